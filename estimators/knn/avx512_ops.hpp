#pragma once
// AVX-512 operations shared by the knn module's AVX-512 kernels (internal; only where
// MIB_AVX512_KERNELS, inside functions marked MIB_AVX512). GCC 12's unmasked forms of these
// intrinsics start from an uninitialised vector and warn (-Wuninitialized, an error in the ci
// build); their masked forms with every lane on are the same instructions.

#include "estimators/knn/kernels_avx512.hpp"

#if MIB_AVX512_KERNELS
#include <immintrin.h>

namespace mib::knn::detail::avx512 {

constexpr __mmask8 kAll8 = 0xFF;

MIB_AVX512 inline __m512d min_pd(__m512d a, __m512d b) { return _mm512_maskz_min_pd(kAll8, a, b); }
MIB_AVX512 inline __m512d max_pd(__m512d a, __m512d b) { return _mm512_maskz_max_pd(kAll8, a, b); }
MIB_AVX512 inline __m512d sqrt_pd(__m512d a) { return _mm512_maskz_sqrt_pd(kAll8, a); }
MIB_AVX512 inline __m512i min_epi64(__m512i a, __m512i b) {
  return _mm512_maskz_min_epi64(kAll8, a, b);
}
MIB_AVX512 inline __m512i max_epi64(__m512i a, __m512i b) {
  return _mm512_maskz_max_epi64(kAll8, a, b);
}
/// v[index[j]] in lane j.
MIB_AVX512 inline __m512d gather_pd(__m512i index, const double* v) {
  return _mm512_mask_i64gather_pd(_mm512_setzero_pd(), kAll8, index, v, 8);
}
/// The smallest lane of a, in every lane.
MIB_AVX512 inline __m512d broadcast_min_pd(__m512d a) {
  a = min_pd(a, _mm512_maskz_shuffle_f64x2(kAll8, a, a, 0x4E));  // halves swapped
  a = min_pd(a, _mm512_maskz_shuffle_f64x2(kAll8, a, a, 0xB1));  // quarters swapped
  return min_pd(a, _mm512_maskz_permute_pd(kAll8, a, 0x55));     // neighbours swapped
}

}  // namespace mib::knn::detail::avx512
#endif
