#pragma once
// AVX-512 versions of the float32-screen kernels of knn/kernels.hpp, picked at run time by the
// portable ones (kernels.hpp: avx512_kernels()). Each gives the portable version's answer bit for
// bit: their VRANGEPS takes max(|acc|, |gap|) exactly as abs-then-max does, and the mask
// versions of the screens visit the same rows in the same order. They
// replace what GCC's vector extensions cannot say: a max of magnitudes in one instruction, and a
// test of "any lane" or a popcount of a comparison without a horizontal reduction.

#include <Eigen/Core>

#include "estimators/knn/kernels.hpp"

#if defined(__x86_64__) && defined(__GNUC__)
#define MIB_AVX512_KERNELS 1
#else
#define MIB_AVX512_KERNELS 0
#endif

#if MIB_AVX512_KERNELS
namespace mib::knn::detail::avx512 {

/// block_distances' max-norm float32 kernel on queries packed by pack_queries (kQueries groups).
void block_max(const Panels32& points, int nq, const float* packed, float* out,
               Eigen::Index ld_out);
/// kernels.hpp's count_screened.
int count_screened(const float* d, Eigen::Index m, float below, float above, int* undecided,
                   int* n_undecided);
/// kernels.hpp's rows_at_most_f32 and count_rows_f32.
int rows_at_most_f32(const float* q, const float* cols, Eigen::Index ld, Eigen::Index begin,
                     Eigen::Index m, Eigen::Index dims, float bound, int* candidate);
int count_rows_f32(const float* q, const float* cols, Eigen::Index ld, Eigen::Index begin,
                   Eigen::Index m, Eigen::Index dims, float sure, float unsure, int* ambiguous,
                   int* n_ambiguous);
/// kernels.hpp's kth_smallest.
float kth_smallest(const float* d, Eigen::Index m, Eigen::Index skip, int k, float* best);

}  // namespace mib::knn::detail::avx512
#endif
