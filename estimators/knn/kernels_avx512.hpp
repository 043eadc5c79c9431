#pragma once
// AVX-512 versions of the float32-screen kernels of knn/kernels.hpp and of a sorted column's
// range searches (knn/sorted.hpp), picked at run time by the portable ones (kernels.hpp:
// avx512_kernels()). Each gives the portable version's answer bit for bit: their VRANGEPS takes
// max(|acc|, |gap|) exactly as abs-then-max does, the mask versions of the screens visit the
// same rows in the same order, and the gathered range searches make the same IEEE comparisons.
// They replace what GCC's vector extensions cannot say: a max of magnitudes in one instruction,
// a test of "any lane" or a popcount of a comparison without a horizontal reduction, a gather.

#include <Eigen/Core>
#include <cstddef>

#include "estimators/knn/kernels.hpp"

#if defined(__x86_64__) && defined(__GNUC__)
#define MIB_AVX512_KERNELS 1
#else
#define MIB_AVX512_KERNELS 0
#endif

#if MIB_AVX512_KERNELS
#define MIB_AVX512 __attribute__((target("avx512f,avx512dq,bmi,popcnt")))

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
/// kernels.hpp's count_rows_f32_group.
void count_rows_f32_group(const float* qs, const int* which, int g, const float* cols,
                          Eigen::Index ld, Eigen::Index begin, Eigen::Index m, Eigen::Index dims,
                          const float* sure, const float* unsure, int* counts, int* ambiguous,
                          Eigen::Index stride, int* n_ambiguous);
/// kernels.hpp's kth_smallest.
float kth_smallest(const float* d, Eigen::Index m, Eigen::Index skip, int k, float* best);

/// Sorted::ranges' lockstep binary searches (knn/sorted.hpp; knn/sorted_avx512.cpp) for the g <= 16
/// queries at sorted positions first .. first + g − 1 of the n values v, radius r[j]: from each
/// query's own position, steps of 2^(bits − 1) … 1 move up[j] (down[j]) to the furthest position
/// above (below) whose distance passes (|Δ|, or √(Δ²) when euclidean; < when strict, else <=).
void range_steps(const double* v, std::ptrdiff_t n, std::ptrdiff_t first, int g, const double* r,
                 int bits, bool euclidean, bool strict, std::ptrdiff_t* up, std::ptrdiff_t* down);

}  // namespace mib::knn::detail::avx512
#endif
