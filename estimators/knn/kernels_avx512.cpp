// AVX-512 versions of the float32 screen's kernels (knn/kernels_avx512.hpp), compiled for
// AVX-512 by function attribute and called only where the CPU has it.
#include "estimators/knn/kernels_avx512.hpp"

#include <algorithm>
#include <atomic>
#include <limits>

#if MIB_AVX512_KERNELS
#include <immintrin.h>
#endif

namespace mib::knn::detail {
namespace {
std::atomic<bool> g_portable{false};
}  // namespace

void force_portable_kernels(bool on) { g_portable.store(on, std::memory_order_relaxed); }

#if !MIB_AVX512_KERNELS
bool avx512_kernels() { return false; }
#else
bool avx512_kernels() {
  static const bool has = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") &&
                          __builtin_cpu_supports("bmi") && __builtin_cpu_supports("popcnt");
  return has && !g_portable.load(std::memory_order_relaxed);
}

namespace avx512 {

MIB_AVX512 void block_max(const Panels32& points, int nq, const float* packed, float* out,
                          Eigen::Index ld_out) {
  constexpr Eigen::Index P = Panels32::kPanel;
  constexpr int kVecs = static_cast<int>(P) / 16;
  const Eigen::Index dims = points.dims, panels = (points.rows + P - 1) / P;
  for (Eigen::Index p = 0; p < panels; ++p) {
    const float* panel = points.data.data() + p * dims * P;
    const Eigen::Index j0 = p * P;
    const Eigen::Index width = std::min<Eigen::Index>(P, points.rows - j0);
    for (int a0 = 0; a0 < nq; a0 += kQueries) {
      const float* qs = packed + static_cast<Eigen::Index>(a0) * dims;  // [c][kQueries]
      __m512 acc[kQueries][kVecs];
      for (auto& row : acc) {
        for (auto& v : row) v = _mm512_setzero_ps();
      }
      for (Eigen::Index c = 0; c < dims; ++c) {
        __m512 pv[kVecs];
        for (int v = 0; v < kVecs; ++v) pv[v] = _mm512_loadu_ps(panel + c * P + v * 16);
        for (int a = 0; a < kQueries; ++a) {
          const __m512 qa = _mm512_set1_ps(qs[c * kQueries + a]);
          // imm 0b1011: the operand of larger magnitude, its sign bit cleared.
          for (int v = 0; v < kVecs; ++v) {
            acc[a][v] = _mm512_range_ps(acc[a][v], _mm512_sub_ps(qa, pv[v]), 0x0B);
          }
        }
      }
      for (int a = 0; a < kQueries && a0 + a < nq; ++a) {
        float* row = out + static_cast<Eigen::Index>(a0 + a) * ld_out + j0;
        if (width == P) {
          for (int v = 0; v < kVecs; ++v) _mm512_storeu_ps(row + v * 16, acc[a][v]);
        } else {
          float tmp[P];
          for (int v = 0; v < kVecs; ++v) _mm512_storeu_ps(tmp + v * 16, acc[a][v]);
          std::copy(tmp, tmp + width, row);
        }
      }
    }
  }
}

namespace {
// The lanes of the 16 values at [j, m) as a mask (all 16 before the last group).
inline __mmask16 lanes_before(Eigen::Index j, Eigen::Index m) {
  return m - j >= 16 ? __mmask16{0xFFFF} : static_cast<__mmask16>((1u << (m - j)) - 1);
}
}  // namespace

MIB_AVX512 int count_screened(const float* d, Eigen::Index m, float below, float above,
                              int* undecided, int* n_undecided) {
  const __m512 lo = _mm512_set1_ps(below), hi = _mm512_set1_ps(above);
  int count = 0, found = 0;
  for (Eigen::Index j = 0; j < m; j += 16) {
    // Ordered comparisons: false for NaN, as the portable code's.
    const __mmask16 valid = lanes_before(j, m);
    const __m512 v = _mm512_maskz_loadu_ps(valid, d + j);
    count += _mm_popcnt_u32(_mm512_mask_cmp_ps_mask(valid, v, lo, _CMP_LT_OQ));
    unsigned open = _mm512_mask_cmp_ps_mask(_mm512_mask_cmp_ps_mask(valid, v, lo, _CMP_GE_OQ), v,
                                            hi, _CMP_LE_OQ);
    for (; open != 0; open &= open - 1) {
      undecided[found++] = static_cast<int>(j + _tzcnt_u32(open));
    }
  }
  *n_undecided = found;
  return count;
}

MIB_AVX512 float kth_smallest(const float* d, Eigen::Index m, Eigen::Index skip, int k,
                              float* best) {
  // best[0 .. k): the k smallest so far, ascending (+∞ until filled). A value enters only if it
  // is below the k-th at its turn; one not below it when its group starts never is later (the
  // k-th only falls), so testing each group once against it keeps the portable order.
  std::fill(best, best + k, std::numeric_limits<float>::infinity());
  for (Eigen::Index j = 0; j < m; j += 16) {
    const __mmask16 valid = lanes_before(j, m);
    const __m512 v = _mm512_maskz_loadu_ps(valid, d + j);
    for (unsigned lanes =
             _mm512_mask_cmp_ps_mask(valid, v, _mm512_set1_ps(best[k - 1]), _CMP_LT_OQ);
         lanes != 0; lanes &= lanes - 1) {
      const Eigen::Index at_row = j + _tzcnt_u32(lanes);
      const float x = d[at_row];
      if (!(x < best[k - 1]) || at_row == skip) continue;
      int at = k - 1;
      for (; at > 0 && x < best[at - 1]; --at) best[at] = best[at - 1];
      best[at] = x;
    }
  }
  return best[k - 1];
}

namespace {
// The float32 max-norm distances from q to the 32 points at rows [at, at + 32), as two vectors
// (two independent chains, as the portable kernel's): d[0] rows at .. at + 15, d[1] the rest.
MIB_AVX512 inline void rows32(const float* q, const float* cols, Eigen::Index ld, Eigen::Index at,
                              Eigen::Index dims, __m512 d[2]) {
  __m512 a0 = _mm512_setzero_ps(), a1 = _mm512_setzero_ps();
  for (Eigen::Index c = 0; c < dims; ++c) {
    const __m512 qc = _mm512_set1_ps(q[c]);
    const float* col = cols + c * ld + at;
    a0 = _mm512_range_ps(a0, _mm512_sub_ps(qc, _mm512_loadu_ps(col)), 0x0B);
    a1 = _mm512_range_ps(a1, _mm512_sub_ps(qc, _mm512_loadu_ps(col + 16)), 0x0B);
  }
  d[0] = a0;
  d[1] = a1;
}
}  // namespace

namespace {
// Runs take(at, valid, d) for each group of 16 of the m rows from `begin` (at: the group's
// offset, valid: its lanes before m, d: their float32 distances from q); rows past m are read
// from the columns' padding (kernels.hpp: kRowPad) and masked off.
template <class Take>
MIB_AVX512 inline void for_each_group(const float* q, const float* cols, Eigen::Index ld,
                                      Eigen::Index begin, Eigen::Index m, Eigen::Index dims,
                                      Take& take) {
  for (Eigen::Index j = 0; j < m; j += 32) {
    __m512 d[2];
    rows32(q, cols, ld, begin + j, dims, d);
    for (int h = 0; h < 2 && j + 16 * h < m; ++h) {
      take(j + 16 * h, lanes_before(j + 16 * h, m), d[h]);
    }
  }
}

// rows_at_most_f32's and count_rows_f32's tests of a group (for_each_group).
struct AtMost {
  __m512 bound;
  int* candidate;
  int found = 0;
  MIB_AVX512 void operator()(Eigen::Index at, __mmask16 valid, __m512 d) {
    for (unsigned in = _mm512_mask_cmp_ps_mask(valid, d, bound, _CMP_LE_OQ); in != 0;
         in &= in - 1) {
      candidate[found++] = static_cast<int>(at + _tzcnt_u32(in));
    }
  }
};
struct Within {
  __m512 sure, unsure;
  int* ambiguous;
  int count = 0, found = 0;
  MIB_AVX512 void operator()(Eigen::Index at, __mmask16 valid, __m512 d) {
    count += _mm_popcnt_u32(_mm512_mask_cmp_ps_mask(valid, d, sure, _CMP_LT_OQ));
    for (unsigned open = _mm512_mask_cmp_ps_mask(
             _mm512_mask_cmp_ps_mask(valid, d, sure, _CMP_GE_OQ), d, unsure, _CMP_LE_OQ);
         open != 0; open &= open - 1) {
      ambiguous[found++] = static_cast<int>(at + _tzcnt_u32(open));
    }
  }
};
}  // namespace

MIB_AVX512 int rows_at_most_f32(const float* q, const float* cols, Eigen::Index ld,
                                Eigen::Index begin, Eigen::Index m, Eigen::Index dims, float bound,
                                int* candidate) {
  AtMost take{_mm512_set1_ps(bound), candidate};
  for_each_group(q, cols, ld, begin, m, dims, take);
  return take.found;
}

MIB_AVX512 int count_rows_f32(const float* q, const float* cols, Eigen::Index ld,
                              Eigen::Index begin, Eigen::Index m, Eigen::Index dims, float sure,
                              float unsure, int* ambiguous, int* n_ambiguous) {
  Within take{_mm512_set1_ps(sure), _mm512_set1_ps(unsure), ambiguous};
  for_each_group(q, cols, ld, begin, m, dims, take);
  *n_ambiguous = take.found;
  return take.count;
}

namespace {
// count_rows_f32_group for G queries: a 16-row block's coordinate is loaded once and G distances
// (G chains of VRANGEPS) kept in registers; |x − q| is |q − x| exactly (IEEE subtraction is
// symmetric up to the sign), and q as the second operand lets its broadcast fold into the
// subtraction.
template <int G>
MIB_AVX512 void count_group(const float* qs, const int* which, const float* cols, Eigen::Index ld,
                            Eigen::Index begin, Eigen::Index m, Eigen::Index dims,
                            const float* sure, const float* unsure, int* counts, int* ambiguous,
                            Eigen::Index stride, int* n_ambiguous) {
  const float* q[G];
  __m512 s[G], u[G];
  int count[G], found[G];
  int* listed[G];
  for (int i = 0; i < G; ++i) {
    q[i] = qs + which[i] * dims;
    s[i] = _mm512_set1_ps(sure[which[i]]);
    u[i] = _mm512_set1_ps(unsure[which[i]]);
    count[i] = 0;
    found[i] = n_ambiguous[which[i]];
    listed[i] = ambiguous + which[i] * stride;
  }
  for (Eigen::Index j = 0; j < m; j += 16) {
    __m512 a[G];
    for (int i = 0; i < G; ++i) a[i] = _mm512_setzero_ps();
    for (Eigen::Index c = 0; c < dims; ++c) {
      const __m512 x = _mm512_loadu_ps(cols + c * ld + begin + j);
      for (int i = 0; i < G; ++i)
        a[i] = _mm512_range_ps(a[i], _mm512_sub_ps(x, _mm512_set1_ps(q[i][c])), 0x0B);
    }
    const __mmask16 valid = lanes_before(j, m);
    for (int i = 0; i < G; ++i) {
      count[i] += _mm_popcnt_u32(_mm512_mask_cmp_ps_mask(valid, a[i], s[i], _CMP_LT_OQ));
      for (unsigned open = _mm512_mask_cmp_ps_mask(
               _mm512_mask_cmp_ps_mask(valid, a[i], s[i], _CMP_GE_OQ), a[i], u[i], _CMP_LE_OQ);
           open != 0; open &= open - 1) {
        listed[i][found[i]++] = static_cast<int>(j + _tzcnt_u32(open));
      }
    }
  }
  for (int i = 0; i < G; ++i) {
    counts[which[i]] += count[i];
    n_ambiguous[which[i]] = found[i];
  }
}
// count_group for the run-time g <= G, by a compile-time chain.
template <int G>
MIB_AVX512 void count_group_upto(int g, const float* qs, const int* which, const float* cols,
                                 Eigen::Index ld, Eigen::Index begin, Eigen::Index m,
                                 Eigen::Index dims, const float* sure, const float* unsure,
                                 int* counts, int* ambiguous, Eigen::Index stride,
                                 int* n_ambiguous) {
  if constexpr (G > 1) {
    if (g < G)
      return count_group_upto<G - 1>(g, qs, which, cols, ld, begin, m, dims, sure, unsure, counts,
                                     ambiguous, stride, n_ambiguous);
  }
  count_group<G>(qs, which, cols, ld, begin, m, dims, sure, unsure, counts, ambiguous, stride,
                 n_ambiguous);
}
}  // namespace

MIB_AVX512 void count_rows_f32_group(const float* qs, const int* which, int g, const float* cols,
                                     Eigen::Index ld, Eigen::Index begin, Eigen::Index m,
                                     Eigen::Index dims, const float* sure, const float* unsure,
                                     int* counts, int* ambiguous, Eigen::Index stride,
                                     int* n_ambiguous) {
  count_group_upto<kQueryGroup>(g, qs, which, cols, ld, begin, m, dims, sure, unsure, counts,
                                ambiguous, stride, n_ambiguous);
}

}  // namespace avx512
#endif

}  // namespace mib::knn::detail
