// The float32 screen's side of knn/kernels.hpp: its error bound and thresholds, and the passes
// over a row of float32 distances (the exhaustive pass's joint max, count and k-th smallest),
// each with its AVX-512 twin picked at run time (knn/kernels_avx512.hpp).
#include <algorithm>
#include <cmath>
#include <limits>

#include "core/simd.hpp"
#include "estimators/knn/kernels.hpp"
#include "estimators/knn/kernels_avx512.hpp"

namespace mib::knn::detail {

ScreenError screen_error(double largest, Eigen::Index dims, Metric metric) {
  if (!std::isfinite(largest) || !(largest < 1e30)) return {};
  if (metric == Metric::kMax) return {std::ldexp(largest, -20) + 1e-37, 0.0};
  const double d = static_cast<double>(dims);
  if (!(d * largest * largest < 1e37)) return {};
  return {std::sqrt(d) * (std::ldexp(largest, -20) + 1e-18), std::ldexp(d + 4, -22)};
}

float float_above(double r, const ScreenError& error) {
  if (std::isinf(r)) return static_cast<float>(r);  // (0 · ∞ would make the margin NaN)
  const double t = r + 2 * (error.absolute + error.relative * r);
  float f = static_cast<float>(t);
  if (static_cast<double>(f) < t) f = std::nextafter(f, std::numeric_limits<float>::infinity());
  return f;
}

float float_below(double r, const ScreenError& error) {
  if (std::isinf(r)) return static_cast<float>(r);
  const double t = r - 2 * (error.absolute + error.relative * r);
  float f = static_cast<float>(t);
  if (static_cast<double>(f) > t) f = std::nextafter(f, -std::numeric_limits<float>::infinity());
  return f;
}

MIB_CLONES int count_screened(const float* d, Eigen::Index m, float below, float above,
                              int* undecided, int* n_undecided) {
#if MIB_AVX512_KERNELS
  if (avx512_kernels()) return avx512::count_screened(d, m, below, above, undecided, n_undecided);
#endif
  // Groups of 64 rows in plain loops the compiler vectorises (vector-extension comparisons on
  // floats were lowered lane by lane); a group's offsets are listed (a scalar pass) only when one
  // of its values lies in the band, which holds a handful of the m rows.
  constexpr Eigen::Index kGroup = 64;
  int count = 0, found = 0;
  const auto group = [&](Eigen::Index first, Eigen::Index size) __attribute__((always_inline)) {
    const float* g = d + first;
    int sure = 0, open = 0;
    for (Eigen::Index l = 0; l < size; ++l) {
      sure += g[l] < below;
      open += (g[l] >= below) & (g[l] <= above);
    }
    count += sure;
    if (open == 0) return;
    for (Eigen::Index l = 0; l < size; ++l) {
      undecided[found] = static_cast<int>(first + l);
      found += (g[l] >= below) & (g[l] <= above);
    }
  };
  Eigen::Index j = 0;
  for (; j + kGroup <= m; j += kGroup) group(j, kGroup);
  if (j < m) group(j, m - j);
  *n_undecided = found;
  return count;
}

MIB_CLONES void group_box_bounds(const double* q, const double* lo, const double* hi,
                                 Eigen::Index dims, double* lower, double* upper) {
  // box_lower's and box_upper's operations, coordinates in the same order, a lane per query.
  double low[kQueryGroup] = {}, up[kQueryGroup] = {};
  for (Eigen::Index c = 0; c < dims; ++c) {
    const double* qc = q + c * kQueryGroup;
    for (int i = 0; i < kQueryGroup; ++i) {
      low[i] = std::max(low[i], std::max(std::max(lo[c] - qc[i], qc[i] - hi[c]), 0.0));
      up[i] = std::max(up[i], std::max(std::abs(qc[i] - lo[c]), std::abs(qc[i] - hi[c])));
    }
  }
  std::copy(low, low + kQueryGroup, lower);
  std::copy(up, up + kQueryGroup, upper);
}

namespace {
// How many of v[0 .. m) lead with pred true (pred true on a prefix, false after): a branch-free
// binary search (the step's select compiles to a conditional move).
template <class Pred>
Eigen::Index leading(const float* v, Eigen::Index m, Pred pred) {
  if (m == 0) return 0;
  const float* base = v;
  for (Eigen::Index n = m; n > 1;) {
    const Eigen::Index half = n / 2;
    base = pred(base[half - 1]) ? base + half : base;
    n -= half;
  }
  return (base - v) + (pred(*base) ? 1 : 0);
}
}  // namespace

MIB_CLONES void window_f32(const float* v, Eigen::Index m, float q_lo, float q_hi, float bound,
                           Eigen::Index* first, Eigen::Index* last) {
  if (bound < 0) {
    *first = *last = 0;
    return;
  }
  // Two independent binary searches (a vector count of both sides measured 1.02–1.05× slower on
  // the joint search at 5 + 5).
  *first = leading(v, m, [&](float x) { return q_lo - x > bound; });
  *last = leading(v, m, [&](float x) { return !(x - q_hi > bound); });
}

MIB_CLONES void elementwise_max(const float* a, const float* b, Eigen::Index m, float* out) {
  for (Eigen::Index j = 0; j < m; ++j) out[j] = std::max(a[j], b[j]);
}

MIB_CLONES float kth_smallest(const float* d, Eigen::Index m, Eigen::Index skip, int k,
                              float* best) {
#if MIB_AVX512_KERNELS
  if (avx512_kernels()) return avx512::kth_smallest(d, m, skip, k, best);
#endif
  // best[0 .. k): the k smallest so far, ascending (+∞ until filled).
  std::fill(best, best + k, std::numeric_limits<float>::infinity());
  const auto take = [&](Eigen::Index j) {
    const float v = d[j];
    if (!(v < best[k - 1]) || j == skip) return;
    int at = k - 1;
    for (; at > 0 && v < best[at - 1]; --at) best[at] = best[at - 1];
    best[at] = v;
  };
  // Groups of 32 whose smallest value cannot improve the k-th are skipped whole (a plain loop the
  // compiler vectorises).
  constexpr Eigen::Index kGroup = 32;
  Eigen::Index j = 0;
  for (; j + kGroup <= m; j += kGroup) {
    float smallest = d[j];
    for (Eigen::Index l = 1; l < kGroup; ++l) smallest = std::min(smallest, d[j + l]);
    if (smallest >= best[k - 1]) continue;
    for (Eigen::Index l = 0; l < kGroup; ++l) take(j + l);
  }
  for (; j < m; ++j) take(j);
  return best[k - 1];
}

}  // namespace mib::knn::detail
