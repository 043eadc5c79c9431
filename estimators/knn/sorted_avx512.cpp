// AVX-512 versions of the one-column kernels (knn/kernels_avx512.hpp): Sorted's range searches,
// compiled for AVX-512 by function attribute and called only where the CPU has it. They give
// the portable versions' answers bit for bit: the same IEEE operations on the same values, lane
// by lane.
#include <algorithm>

#include "estimators/knn/avx512_ops.hpp"

#if MIB_AVX512_KERNELS

namespace mib::knn::detail::avx512 {
namespace {

// Whether the distance from `from` to `to` passes `radius`, lane by lane.
template <bool Euclidean, bool Strict>
MIB_AVX512 inline __mmask8 pass(__m512d from, __m512d to, __m512d radius) {
  const __m512d delta = _mm512_sub_pd(from, to);
  const __m512d d = Euclidean ? sqrt_pd(_mm512_mul_pd(delta, delta)) : _mm512_abs_pd(delta);
  return _mm512_cmp_pd_mask(d, radius, Strict ? _CMP_LT_OQ : _CMP_LE_OQ);
}

// Sixteen lockstep searches as two vectors of eight (two independent chains of gathers). Lanes
// past g search from a clamped position and are not stored.
template <bool Euclidean, bool Strict>
MIB_AVX512 void range_steps(const double* v, std::ptrdiff_t n, std::ptrdiff_t first, int g,
                            const double* r, int bits, std::ptrdiff_t* up, std::ptrdiff_t* down) {
  const __m512i last = _mm512_set1_epi64(n - 1), zero = _mm512_setzero_si512();
  const __m512i lane = _mm512_set_epi64(7, 6, 5, 4, 3, 2, 1, 0);
  __m512i hi[2], lo[2];
  __m512d at[2], radius[2];
  __mmask8 valid[2];
  for (int h = 0; h < 2; ++h) {
    const int lanes = std::clamp(g - 8 * h, 0, 8);
    valid[h] = static_cast<__mmask8>((1u << lanes) - 1);
    hi[h] = lo[h] = min_epi64(_mm512_add_epi64(_mm512_set1_epi64(first + 8 * h), lane), last);
    at[h] = gather_pd(hi[h], v);
    radius[h] = _mm512_maskz_loadu_pd(valid[h], r + 8 * h);
  }
  for (std::ptrdiff_t step = std::ptrdiff_t{1} << (bits - 1); step > 0; step /= 2) {
    const __m512i s = _mm512_set1_epi64(step);
    for (int h = 0; h < 2; ++h) {
      const __m512i u = min_epi64(_mm512_add_epi64(hi[h], s), last);
      const __m512i d = max_epi64(_mm512_sub_epi64(lo[h], s), zero);
      hi[h] = _mm512_mask_mov_epi64(hi[h],
                                    pass<Euclidean, Strict>(at[h], gather_pd(u, v), radius[h]), u);
      lo[h] = _mm512_mask_mov_epi64(lo[h],
                                    pass<Euclidean, Strict>(at[h], gather_pd(d, v), radius[h]), d);
    }
  }
  for (int h = 0; h < 2; ++h) {
    _mm512_mask_storeu_epi64(up + 8 * h, valid[h], hi[h]);
    _mm512_mask_storeu_epi64(down + 8 * h, valid[h], lo[h]);
  }
}

}  // namespace

MIB_AVX512 void range_steps(const double* v, std::ptrdiff_t n, std::ptrdiff_t first, int g,
                            const double* r, int bits, bool euclidean, bool strict,
                            std::ptrdiff_t* up, std::ptrdiff_t* down) {
  if (euclidean) {
    strict ? range_steps<true, true>(v, n, first, g, r, bits, up, down)
           : range_steps<true, false>(v, n, first, g, r, bits, up, down);
  } else {
    strict ? range_steps<false, true>(v, n, first, g, r, bits, up, down)
           : range_steps<false, false>(v, n, first, g, r, bits, up, down);
  }
}

}  // namespace mib::knn::detail::avx512
#endif
