#include "estimators/knn/kernels.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>
#include <vector>

#include "core/simd.hpp"
#include "estimators/knn/kernels_avx512.hpp"

namespace mib::knn::detail {

namespace {

using simd::broadcast;
using simd::load;
using simd::store;
using V = simd::Vec<double>;
constexpr int kLanes = simd::kLanes<double>;

// |v| by clearing the sign bit, as std::abs does (so |−0| = +0); W is Vec<double> or Vec<float>.
template <class W>
__attribute__((always_inline)) inline W abs_of(W v) {
  using U = std::conditional_t<sizeof(simd::ElementOf<W>) == 8, std::int64_t, std::int32_t>;
  typedef U I __attribute__((vector_size(sizeof(W))));
  return reinterpret_cast<W>(reinterpret_cast<I>(v) & (I{} + std::numeric_limits<U>::max()));
}

// One coordinate's contribution to a running distance: pair_distance's operations (lanes of
// doubles or, for the float32 screen, of floats).
template <Metric M, class W>
__attribute__((always_inline)) inline W step(W acc, W q, W p) {
  if constexpr (M == Metric::kMax) {
    const W gap = abs_of(q - p);
    return acc < gap ? gap : acc;
  } else {
    const W diff = q - p;
    return acc + diff * diff;
  }
}

template <Metric M>
__attribute__((always_inline)) inline double step(double acc, double q, double p) {
  if constexpr (M == Metric::kMax) {
    const double gap = std::abs(q - p);
    return acc < gap ? gap : acc;
  } else {
    return acc + (q - p) * (q - p);
  }
}

// The float32 lanes of the screen (max-norm only).
using VF = simd::Vec<float>;
constexpr int kLanesF = simd::kLanes<float>;

// Lanes [valid, 2 · lanes) of the pair (a0, a1) set to NaN, which passes no comparison.
template <class W>
__attribute__((always_inline)) inline void mask_past(W& a0, W& a1, Eigen::Index valid) {
  constexpr int L = static_cast<int>(sizeof(W) / sizeof(a0[0]));
  using T = simd::ElementOf<W>;
  for (Eigen::Index l = valid; l < 2 * L; ++l) {
    if (l < L) {
      a0[l] = std::numeric_limits<T>::quiet_NaN();
    } else {
      a1[l - L] = std::numeric_limits<T>::quiet_NaN();
    }
  }
}

// Runs sink(j, v0, v1) for each group of 2 · kLanes rows j .. j + 2 · kLanes covering the m rows
// (v0, v1: their distances, squared for the Euclidean metric). The last group reads the rows
// after the m (kernels.hpp: kRowPad) and holds NaN in their lanes.
template <Metric M, class Sink>
__attribute__((always_inline)) inline void rows_kernel(const double* q, const double* cols,
                                                       Eigen::Index ld, Eigen::Index begin,
                                                       Eigen::Index m, Eigen::Index dims,
                                                       Sink sink) {
  for (Eigen::Index j = 0; j < m; j += 2 * kLanes) {  // two independent chains for latency
    V a0{}, a1{};
    for (Eigen::Index c = 0; c < dims; ++c) {
      const double* col = cols + c * ld + begin + j;
      const V qc = broadcast(q[c]);
      a0 = step<M>(a0, qc, load(col));
      a1 = step<M>(a1, qc, load(col + kLanes));
    }
    if (m - j < 2 * kLanes) mask_past(a0, a1, m - j);
    sink(j, a0, a1);
  }
}

// v's lanes in a fixed order (GCC's __builtin_shuffle takes a mask vector of type I, clang's
// __builtin_shufflevector the indices).
#if defined(__clang__)
#define MIB_SHUFFLE(I, v, ...) __builtin_shufflevector(v, v, __VA_ARGS__)
#else
#define MIB_SHUFFLE(I, v, ...) __builtin_shuffle(v, I{__VA_ARGS__})
#endif

// The smallest lane of min(a, b), by halving with shuffles.
__attribute__((always_inline)) inline double lane_min(V a, V b) {
  typedef std::int64_t I __attribute__((vector_size(sizeof(V)), unused));  // GCC's shuffle
  V m = a < b ? a : b;
  V s = MIB_SHUFFLE(I, m, 4, 5, 6, 7, 0, 1, 2, 3);
  m = m < s ? m : s;
  s = MIB_SHUFFLE(I, m, 2, 3, 0, 1, 6, 7, 4, 5);
  m = m < s ? m : s;
  s = MIB_SHUFFLE(I, m, 1, 0, 3, 2, 5, 4, 7, 6);
  m = m < s ? m : s;
  return m[0];
}

template <Metric M>
__attribute__((always_inline)) inline void distances_kernel(const double* q, const double* cols,
                                                            Eigen::Index ld, Eigen::Index begin,
                                                            Eigen::Index m, Eigen::Index dims,
                                                            double* out) {
  rows_kernel<M>(q, cols, ld, begin, m, dims, [&](Eigen::Index j, V v0, V v1) {
    store(out + j, v0);
    store(out + j + kLanes, v1);
    if constexpr (M == Metric::kEuclidean) {
      for (int l = 0; l < 2 * kLanes; ++l) out[j + l] = std::sqrt(out[j + l]);
    }
  });
}

template <Metric M, class T>
__attribute__((always_inline)) inline void block_kernel(const PanelsOf<T>& points, int nq,
                                                        const T* packed, T* out,
                                                        Eigen::Index ld_out) {
  using W = simd::Vec<T>;
  constexpr int L = simd::kLanes<T>;
  constexpr Eigen::Index P = PanelsOf<T>::kPanel;
  constexpr int kVecs = static_cast<int>(P) / L;  // vectors per panel row group
  const Eigen::Index dims = points.dims, panels = (points.rows + P - 1) / P;
  for (Eigen::Index p = 0; p < panels; ++p) {
    const T* panel = points.data.data() + p * dims * P;
    const Eigen::Index j0 = p * P;
    const Eigen::Index width = std::min<Eigen::Index>(P, points.rows - j0);
    for (int a0 = 0; a0 < nq; a0 += kQueries) {
      const T* qs = packed + static_cast<Eigen::Index>(a0) * dims;  // [c][kQueries]
      W acc[kQueries][kVecs] = {};
      for (Eigen::Index c = 0; c < dims; ++c) {
        W pv[kVecs];
        for (int v = 0; v < kVecs; ++v) pv[v] = load(panel + c * P + v * L);
        for (int a = 0; a < kQueries; ++a) {
          const W qa = broadcast(qs[c * kQueries + a]);
          for (int v = 0; v < kVecs; ++v) acc[a][v] = step<M>(acc[a][v], qa, pv[v]);
        }
      }
      for (int a = 0; a < kQueries && a0 + a < nq; ++a) {
        T* row = out + static_cast<Eigen::Index>(a0 + a) * ld_out + j0;
        if (width == P) {
          for (int v = 0; v < kVecs; ++v) store(row + v * L, acc[a][v]);
        } else {
          T tmp[P];
          for (int v = 0; v < kVecs; ++v) store(tmp + v * L, acc[a][v]);
          std::copy(tmp, tmp + width, row);
        }
      }
    }
  }
}

// The largest lane (max is exact: any order gives the same value).
__attribute__((always_inline)) inline double lane_max(V m) {
  for (int l = 1; l < kLanes; ++l) m[0] = m[0] < m[l] ? m[l] : m[0];
  return m[0];
}

// Per lane, the gap from q to [lo, hi] (as box_lower: at most one of lo − q, q − hi is positive).
__attribute__((always_inline)) inline V gap_below(V q, V lo, V hi) {
  V g = lo - q;
  const V above = q - hi;
  g = g < above ? above : g;
  return g < V{} ? V{} : g;
}

// ---- float32 screening (max-norm) ---------------------------------------------------------

__attribute__((always_inline)) inline float lane_min(VF a, VF b) {
  typedef std::int32_t I __attribute__((vector_size(sizeof(VF)), unused));  // GCC's shuffle
  VF m = a < b ? a : b;
  VF s = MIB_SHUFFLE(I, m, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7);
  m = m < s ? m : s;
  s = MIB_SHUFFLE(I, m, 4, 5, 6, 7, 0, 1, 2, 3, 12, 13, 14, 15, 8, 9, 10, 11);
  m = m < s ? m : s;
  s = MIB_SHUFFLE(I, m, 2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13);
  m = m < s ? m : s;
  s = MIB_SHUFFLE(I, m, 1, 0, 3, 2, 5, 4, 7, 6, 9, 8, 11, 10, 13, 12, 15, 14);
  m = m < s ? m : s;
  return m[0];
}

// rows_kernel for float32 max-norm distances: sink(j, v0, v1) per 2 · kLanesF rows.
template <class Sink>
__attribute__((always_inline)) inline void rows_kernel_f32(const float* q, const float* cols,
                                                           Eigen::Index ld, Eigen::Index begin,
                                                           Eigen::Index m, Eigen::Index dims,
                                                           Sink sink) {
  for (Eigen::Index j = 0; j < m; j += 2 * kLanesF) {
    VF a0{}, a1{};
    for (Eigen::Index c = 0; c < dims; ++c) {
      const float* col = cols + c * ld + begin + j;
      const VF qc = broadcast(q[c]);
      VF g0 = abs_of(qc - load(col)), g1 = abs_of(qc - load(col + kLanesF));
      a0 = a0 < g0 ? g0 : a0;
      a1 = a1 < g1 ? g1 : a1;
    }
    if (m - j < 2 * kLanesF) mask_past(a0, a1, m - j);
    sink(j, a0, a1);
  }
}

}  // namespace

MIB_CLONES int rows_at_most_f32(const float* q, const float* cols, Eigen::Index ld,
                                Eigen::Index begin, Eigen::Index m, Eigen::Index dims, float bound,
                                int* candidate) {
#if MIB_AVX512_KERNELS
  if (avx512_kernels()) {
    return avx512::rows_at_most_f32(q, cols, ld, begin, m, dims, bound, candidate);
  }
#endif
  int found = 0;
  const auto take = [&](Eigen::Index j, float d) {
    candidate[found] = static_cast<int>(j);
    found += d <= bound ? 1 : 0;
  };
  rows_kernel_f32(q, cols, ld, begin, m, dims, [&](Eigen::Index j, VF v0, VF v1) {
    if (lane_min(v0, v1) > bound) return;
    for (int l = 0; l < kLanesF; ++l) take(j + l, v0[l]);
    for (int l = 0; l < kLanesF; ++l) take(j + kLanesF + l, v1[l]);
  });
  return found;
}

void count_rows_f32_group(const float* qs, const int* which, int g, const float* cols,
                          Eigen::Index ld, Eigen::Index begin, Eigen::Index m, Eigen::Index dims,
                          const float* sure, const float* unsure, int* counts, int* ambiguous,
                          Eigen::Index stride, int* n_ambiguous) {
#if MIB_AVX512_KERNELS
  if (avx512_kernels()) {
    return avx512::count_rows_f32_group(qs, which, g, cols, ld, begin, m, dims, sure, unsure,
                                        counts, ambiguous, stride, n_ambiguous);
  }
#endif
  for (int w = 0; w < g; ++w) {
    const int i = which[w];
    int found = 0;
    counts[i] += count_rows_f32(qs + i * dims, cols, ld, begin, m, dims, sure[i], unsure[i],
                                ambiguous + i * stride + n_ambiguous[i], &found);
    n_ambiguous[i] += found;
  }
}

MIB_CLONES int count_rows_f32(const float* q, const float* cols, Eigen::Index ld,
                              Eigen::Index begin, Eigen::Index m, Eigen::Index dims, float sure,
                              float unsure, int* ambiguous, int* n_ambiguous) {
#if MIB_AVX512_KERNELS
  if (avx512_kernels()) {
    return avx512::count_rows_f32(q, cols, ld, begin, m, dims, sure, unsure, ambiguous,
                                  n_ambiguous);
  }
#endif
  // The distances go through a buffer and plain loops the compiler vectorises: GCC lowers
  // vector-extension comparisons on floats lane by lane here.
  constexpr Eigen::Index kChunk = 256;
  float d[kChunk];
  int count = 0, found = 0;
  for (Eigen::Index j0 = 0; j0 < m; j0 += kChunk) {
    const Eigen::Index w = std::min(kChunk, m - j0);
    rows_kernel_f32(q, cols, ld, begin + j0, w, dims, [&](Eigen::Index j, VF v0, VF v1) {
      store(d + j, v0);
      store(d + j + kLanesF, v1);
    });
    int undecided = 0;
    for (Eigen::Index j = 0; j < w; ++j) count += d[j] < sure;
    for (Eigen::Index j = 0; j < w; ++j) undecided += (d[j] >= sure) & (d[j] <= unsure);
    if (undecided == 0) continue;
    for (Eigen::Index j = 0; j < w; ++j) {
      ambiguous[found] = static_cast<int>(j0 + j);
      found += d[j] >= sure && d[j] <= unsure ? 1 : 0;
    }
  }
  *n_ambiguous = found;
  return count;
}

static_assert(kBoxPad == kLanes, "box bounds are one vector per kLanes coordinates");

MIB_CLONES void max_box_lower2(const double* q, const double* a, const double* b, Eigen::Index pad,
                               double* lower_a, double* lower_b) {
  V la{}, lb{};
  for (Eigen::Index c = 0; c < pad; c += kLanes) {
    const V qc = load(q + c);
    const V ga = gap_below(qc, load(a + c), load(a + pad + c));
    const V gb = gap_below(qc, load(b + c), load(b + pad + c));
    la = la < ga ? ga : la;
    lb = lb < gb ? gb : lb;
  }
  *lower_a = lane_max(la);
  *lower_b = lane_max(lb);
}

MIB_CLONES void max_box_bounds(const double* q, const double* box, Eigen::Index pad, double* lower,
                               double* upper) {
  V lo_acc{}, hi_acc{};
  for (Eigen::Index c = 0; c < pad; c += kLanes) {
    const V qc = load(q + c), lo = load(box + c), hi = load(box + pad + c);
    const V g = gap_below(qc, lo, hi);
    V far = abs_of(qc - lo);
    const V far_hi = abs_of(qc - hi);
    far = far < far_hi ? far_hi : far;
    lo_acc = lo_acc < g ? g : lo_acc;
    hi_acc = hi_acc < far ? far : hi_acc;
  }
  *lower = lane_max(lo_acc);
  *upper = lane_max(hi_acc);
}

template <class T>
PanelsOf<T>::PanelsOf(MatrixRef points)
    : rows(points.rows()),
      dims(points.cols()),
      data(static_cast<std::size_t>((rows + kPanel - 1) / kPanel * kPanel * dims), 0.0) {
  for (Eigen::Index r = 0; r < rows; ++r) {
    for (Eigen::Index c = 0; c < dims; ++c) {
      data[static_cast<std::size_t>(((r / kPanel) * dims + c) * kPanel + r % kPanel)] =
          static_cast<T>(points(r, c));
    }
  }
}

MIB_CLONES int count_bits(const std::uint64_t* words, std::size_t lo, std::size_t end) {
  const std::size_t first = lo / 64, last = end / 64;
  const std::uint64_t below_lo = (std::uint64_t{1} << (lo % 64)) - 1;
  const std::uint64_t below_end = (std::uint64_t{1} << (end % 64)) - 1;
  if (first == last) return __builtin_popcountll(words[first] & below_end & ~below_lo);
  // Four sums: popcounts of independent words overlap.
  int sum[4] = {__builtin_popcountll(words[first] & ~below_lo), 0, 0, 0};
  std::size_t w = first + 1;
  for (; w + 4 <= last; w += 4) {
    for (int u = 0; u < 4; ++u) sum[u] += __builtin_popcountll(words[w + u]);
  }
  for (; w < last; ++w) sum[0] += __builtin_popcountll(words[w]);
  if (below_end != 0) sum[1] += __builtin_popcountll(words[last] & below_end);
  return sum[0] + sum[1] + sum[2] + sum[3];
}

MIB_CLONES int count_rows_within(const double* q, const double* cols, Eigen::Index ld,
                                 Eigen::Index begin, Eigen::Index m, Eigen::Index dims,
                                 Metric metric, double radius, bool strict) {
  if (metric == Metric::kEuclidean) {  // the sqrt is per row: no vector shortcut
    double distance[256];
    int count = 0;
    for (Eigen::Index j0 = 0; j0 < m; j0 += 256) {
      const Eigen::Index w = std::min<Eigen::Index>(256, m - j0);
      distances_kernel<Metric::kEuclidean>(q, cols, ld, begin + j0, w, dims, distance);
      for (Eigen::Index j = 0; j < w; ++j) {
        count += (strict ? distance[j] < radius : distance[j] <= radius) ? 1 : 0;
      }
    }
    return count;
  }
  // Comparisons stay inside selects: GCC lowers a vector comparison used as an integer mask
  // lane by lane.
  const V r = broadcast(radius), one = broadcast(1.0);
  V lanes{};  // per lane: how many passed (small integers: exact)
  int count = 0;
  rows_kernel<Metric::kMax>(q, cols, ld, begin, m, dims, [&](Eigen::Index, V v0, V v1) {
    if (strict) {
      lanes += (v0 < r ? one : V{}) + (v1 < r ? one : V{});
    } else {
      lanes += (v0 <= r ? one : V{}) + (v1 <= r ? one : V{});
    }
  });
  for (int l = 0; l < kLanes; ++l) count += static_cast<int>(lanes[l]);
  return count;
}

MIB_CLONES double row_kth(const double* q, const double* cols, Eigen::Index ld, Eigen::Index begin,
                          Eigen::Index m, Eigen::Index dims, Metric metric, Eigen::Index skip,
                          int k, double* distance) {
  if (metric == Metric::kMax) {
    distances_kernel<Metric::kMax>(q, cols, ld, begin, m, dims, distance);
  } else {
    distances_kernel<Metric::kEuclidean>(q, cols, ld, begin, m, dims, distance);
  }
  const double inf = std::numeric_limits<double>::infinity();
  constexpr int kNetwork = 8;  // the largest k the network keeps in registers
  if (k > kNetwork) {
    thread_local std::vector<double> rest;  // no allocation per query
    rest.clear();
    for (Eigen::Index j = 0; j < m; ++j) {
      if (j != skip) rest.push_back(distance[j]);
    }
    if (static_cast<Eigen::Index>(rest.size()) < k) return inf;
    std::nth_element(rest.begin(), rest.begin() + (k - 1), rest.end());
    return rest[static_cast<std::size_t>(k - 1)];
  }
  // b[i]: per lane the (i + 1)-th smallest so far; x passes down the list, the smaller kept.
  V b[kNetwork];
  std::fill(b, b + k, broadcast(inf));
  const auto insert = [&](V x) {
    for (int i = 0; i < k; ++i) {
      const V smaller = x < b[i] ? x : b[i];
      x = x < b[i] ? b[i] : x;
      b[i] = smaller;
    }
  };
  for (Eigen::Index j = 0; j < m; j += kLanes) {
    V x = load(distance + j);
    if (j + kLanes > m || (skip >= j && skip < j + kLanes)) {
      for (int l = 0; l < kLanes; ++l) {
        if (j + l >= m || j + l == skip) x[l] = inf;
      }
    }
    insert(x);
  }
  // Lanes merged pairwise: each lane's list takes in the other lane's.
  typedef std::int64_t I __attribute__((vector_size(sizeof(V)), unused));  // GCC's shuffle
  V other[kNetwork];
  for (int i = 0; i < k; ++i) other[i] = MIB_SHUFFLE(I, b[i], 4, 5, 6, 7, 0, 1, 2, 3);
  for (int i = 0; i < k; ++i) insert(other[i]);
  for (int i = 0; i < k; ++i) other[i] = MIB_SHUFFLE(I, b[i], 2, 3, 0, 1, 6, 7, 4, 5);
  for (int i = 0; i < k; ++i) insert(other[i]);
  for (int i = 0; i < k; ++i) other[i] = MIB_SHUFFLE(I, b[i], 1, 0, 3, 2, 5, 4, 7, 6);
  for (int i = 0; i < k; ++i) insert(other[i]);
  return b[k - 1][0];
}

MIB_CLONES int rows_at_most(const double* q, const double* cols, Eigen::Index ld,
                            Eigen::Index begin, Eigen::Index m, Eigen::Index dims, Metric metric,
                            double threshold, double* distance, int* candidate) {
  int found = 0;
  const auto take = [&](Eigen::Index j, double d) {
    candidate[found] = static_cast<int>(j);
    found += d <= threshold ? 1 : 0;
  };
  if (metric == Metric::kEuclidean) {
    distances_kernel<Metric::kEuclidean>(q, cols, ld, begin, m, dims, distance);
    for (Eigen::Index j = 0; j < m; ++j) take(j, distance[j]);
    return found;
  }
  // Max-norm: rows are looked at one by one only in groups holding a candidate (rare once the
  // k best are near).
  rows_kernel<Metric::kMax>(q, cols, ld, begin, m, dims, [&](Eigen::Index j, V v0, V v1) {
    store(distance + j, v0);
    store(distance + j + kLanes, v1);
    if (lane_min(v0, v1) > threshold) return;
    for (int l = 0; l < 2 * kLanes; ++l) take(j + l, distance[j + l]);
  });
  return found;
}

MIB_CLONES void boxes_lower(const double* q, const double* lo, const double* hi, Eigen::Index ld,
                            Eigen::Index m, Eigen::Index dims, Metric metric, double* out) {
  // box_lower's operations per box, kLanes boxes at a time (coordinates in the same order).
  const bool max_norm = metric == Metric::kMax;
  Eigen::Index l = 0;
  for (; l + kLanes <= m; l += kLanes) {
    V acc{};
    for (Eigen::Index c = 0; c < dims; ++c) {
      const V qc = broadcast(q[c]);
      const V below = load(lo + c * ld + l) - qc, above = qc - load(hi + c * ld + l);
      V gap = below < above ? above : below;
      gap = gap < V{} ? V{} : gap;
      acc = max_norm ? (acc < gap ? gap : acc) : acc + gap * gap;
    }
    store(out + l, acc);
    if (!max_norm) {
      for (int t = 0; t < kLanes; ++t) out[l + t] = std::sqrt(out[l + t]);
    }
  }
  for (; l < m; ++l) {
    double acc = 0;
    for (Eigen::Index c = 0; c < dims; ++c) {
      const double gap = std::max(std::max(lo[c * ld + l] - q[c], q[c] - hi[c * ld + l]), 0.0);
      acc = max_norm ? std::max(acc, gap) : acc + gap * gap;
    }
    out[l] = max_norm ? acc : std::sqrt(acc);
  }
}

template struct PanelsOf<double>;
template struct PanelsOf<float>;

namespace {

// The queries' coordinates, kQueries at a time: packed[(a / kQueries * dims + c) * kQueries +
// a % kQueries]; slots past the last query repeat it (their results are not stored).
template <class T>
std::vector<T> pack_queries(const PanelsOf<T>& points, Eigen::Index first, int nq) {
  const Eigen::Index dims = points.dims;
  const int groups = (nq + kQueries - 1) / kQueries;
  std::vector<T> packed(static_cast<std::size_t>(groups * kQueries * dims));
  for (int a = 0; a < groups * kQueries; ++a) {
    const Eigen::Index row = first + std::min(a, nq - 1);
    for (Eigen::Index c = 0; c < dims; ++c) {
      packed[static_cast<std::size_t>((a / kQueries * dims + c) * kQueries + a % kQueries)] =
          points.at(row, c);
    }
  }
  return packed;
}

}  // namespace

MIB_CLONES void block_distances(const Panels& points, Eigen::Index first, int nq, Metric metric,
                                double* out, Eigen::Index ld_out) {
  const std::vector<double> packed = pack_queries(points, first, nq);
  if (metric == Metric::kMax) {
    block_kernel<Metric::kMax>(points, nq, packed.data(), out, ld_out);
  } else {
    block_kernel<Metric::kEuclidean>(points, nq, packed.data(), out, ld_out);
    for (int a = 0; a < nq; ++a) {
      double* row = out + static_cast<Eigen::Index>(a) * ld_out;
      for (Eigen::Index j = 0; j < points.rows; ++j) row[j] = std::sqrt(row[j]);
    }
  }
}

MIB_CLONES void block_squared(const Panels& points, Eigen::Index first, int nq, double* out,
                              Eigen::Index ld_out) {
  const std::vector<double> packed = pack_queries(points, first, nq);
  block_kernel<Metric::kEuclidean>(points, nq, packed.data(), out, ld_out);
}

// The float32 Euclidean sums fuse their multiply-adds where the clone has them (x86-64-v3, -v4;
// GCC's optimize attribute, which clang lacks): the screen's bound holds for fused and unfused
// sums alike (kernels.hpp: ScreenError), and the screen decides no bits.
#if defined(__GNUC__) && !defined(__clang__)
#define MIB_FUSED __attribute__((optimize("fp-contract=fast")))
#else
#define MIB_FUSED
#endif
MIB_FUSED MIB_CLONES void block_squared(const Panels32& points, Eigen::Index first, int nq,
                                        float* out, Eigen::Index ld_out) {
  const std::vector<float> packed = pack_queries(points, first, nq);
  block_kernel<Metric::kEuclidean>(points, nq, packed.data(), out, ld_out);
}

MIB_CLONES void block_distances(const Panels32& points, Eigen::Index first, int nq, Metric metric,
                                float* out, Eigen::Index ld_out) {
  if (metric == Metric::kMax) {
    const std::vector<float> packed = pack_queries(points, first, nq);
#if MIB_AVX512_KERNELS
    if (avx512_kernels()) {
      avx512::block_max(points, nq, packed.data(), out, ld_out);
      return;
    }
#endif
    block_kernel<Metric::kMax>(points, nq, packed.data(), out, ld_out);
    return;
  }
  block_squared(points, first, nq, out, ld_out);
  for (int a = 0; a < nq; ++a) {
    float* row = out + static_cast<Eigen::Index>(a) * ld_out;
    for (Eigen::Index j = 0; j < points.rows; ++j) row[j] = std::sqrt(row[j]);
  }
}

}  // namespace mib::knn::detail
