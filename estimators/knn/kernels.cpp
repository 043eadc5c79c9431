#include "estimators/knn/kernels.hpp"

#include <cmath>
#include <cstdint>

#include "core/simd.hpp"

namespace mib::knn::detail {

namespace {

using simd::broadcast;
using simd::load;
using simd::store;
using V = simd::Vec<double>;
constexpr int kLanes = simd::kLanes<double>;

// |v| by clearing the sign bit, as std::abs does (so |−0| = +0).
__attribute__((always_inline)) inline V abs_of(V v) {
  typedef std::int64_t I __attribute__((vector_size(sizeof(V))));
  return reinterpret_cast<V>(reinterpret_cast<I>(v) & (I{} + INT64_MAX));
}

// One coordinate's contribution to a running distance: pair_distance's operations.
template <Metric M>
__attribute__((always_inline)) inline V step(V acc, V q, V p) {
  if constexpr (M == Metric::kMax) {
    const V gap = abs_of(q - p);
    return acc < gap ? gap : acc;
  } else {
    const V diff = q - p;
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

// Runs sink(j, v) for each group of kLanes rows j .. j + kLanes of the m rows (v: their
// distances, squared for the Euclidean metric) and tail(j, d) for each remaining row.
template <Metric M, class Sink, class Tail>
__attribute__((always_inline)) inline void rows_kernel(const double* q, const double* cols,
                                                       Eigen::Index ld, Eigen::Index begin,
                                                       Eigen::Index m, Eigen::Index dims, Sink sink,
                                                       Tail tail) {
  Eigen::Index j = 0;
  for (; j + 2 * kLanes <= m; j += 2 * kLanes) {  // two independent chains for latency
    V a0{}, a1{};
    for (Eigen::Index c = 0; c < dims; ++c) {
      const double* col = cols + c * ld + begin + j;
      const V qc = broadcast(q[c]);
      a0 = step<M>(a0, qc, load(col));
      a1 = step<M>(a1, qc, load(col + kLanes));
    }
    sink(j, a0);
    sink(j + kLanes, a1);
  }
  for (; j < m; ++j) {
    double a = 0;
    for (Eigen::Index c = 0; c < dims; ++c) a = step<M>(a, q[c], cols[c * ld + begin + j]);
    tail(j, a);
  }
}

// pair_distance's final step: sqrt for the Euclidean metric.
template <Metric M>
__attribute__((always_inline)) inline double finish(double a) {
  return M == Metric::kMax ? a : std::sqrt(a);
}

template <Metric M>
__attribute__((always_inline)) inline void distances_kernel(const double* q, const double* cols,
                                                            Eigen::Index ld, Eigen::Index begin,
                                                            Eigen::Index m, Eigen::Index dims,
                                                            double* out) {
  rows_kernel<M>(
      q, cols, ld, begin, m, dims,
      [&](Eigen::Index j, V v) {
        store(out + j, v);
        if constexpr (M == Metric::kEuclidean) {
          for (int l = 0; l < kLanes; ++l) out[j + l] = std::sqrt(out[j + l]);
        }
      },
      [&](Eigen::Index j, double a) { out[j] = finish<M>(a); });
}

constexpr int kQueries = 4;                                            // queries per micro-kernel
constexpr int kPanelVecs = static_cast<int>(Panels::kPanel) / kLanes;  // vectors per panel

template <Metric M>
__attribute__((always_inline)) inline void block_kernel(const Panels& points, int nq,
                                                        const double* packed, double* out,
                                                        Eigen::Index ld_out) {
  const Eigen::Index dims = points.dims,
                     panels = (points.rows + Panels::kPanel - 1) / Panels::kPanel;
  for (Eigen::Index p = 0; p < panels; ++p) {
    const double* panel = points.data.data() + p * dims * Panels::kPanel;
    const Eigen::Index j0 = p * Panels::kPanel;
    const Eigen::Index width = std::min<Eigen::Index>(Panels::kPanel, points.rows - j0);
    for (int a0 = 0; a0 < nq; a0 += kQueries) {
      const double* qs = packed + static_cast<Eigen::Index>(a0) * dims;  // [c][kQueries]
      V acc[kQueries][kPanelVecs] = {};
      for (Eigen::Index c = 0; c < dims; ++c) {
        V pv[kPanelVecs];
        for (int v = 0; v < kPanelVecs; ++v) pv[v] = load(panel + c * Panels::kPanel + v * kLanes);
        for (int a = 0; a < kQueries; ++a) {
          const V qa = broadcast(qs[c * kQueries + a]);
          for (int v = 0; v < kPanelVecs; ++v) acc[a][v] = step<M>(acc[a][v], qa, pv[v]);
        }
      }
      for (int a = 0; a < kQueries && a0 + a < nq; ++a) {
        double* row = out + static_cast<Eigen::Index>(a0 + a) * ld_out + j0;
        if (width == Panels::kPanel) {
          for (int v = 0; v < kPanelVecs; ++v) store(row + v * kLanes, acc[a][v]);
        } else {
          double tmp[Panels::kPanel];
          for (int v = 0; v < kPanelVecs; ++v) store(tmp + v * kLanes, acc[a][v]);
          std::copy(tmp, tmp + width, row);
        }
      }
    }
  }
}

}  // namespace

Panels::Panels(MatrixRef points)
    : rows(points.rows()),
      dims(points.cols()),
      data(static_cast<std::size_t>((rows + kPanel - 1) / kPanel * kPanel * dims), 0.0) {
  for (Eigen::Index r = 0; r < rows; ++r) {
    for (Eigen::Index c = 0; c < dims; ++c) {
      data[static_cast<std::size_t>(((r / kPanel) * dims + c) * kPanel + r % kPanel)] =
          points(r, c);
    }
  }
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
  typedef std::int64_t I __attribute__((vector_size(sizeof(V))));
  const V r = broadcast(radius);
  I lanes{};  // per lane: minus the number passing (a true comparison is −1)
  int count = 0;
  rows_kernel<Metric::kMax>(
      q, cols, ld, begin, m, dims, [&](Eigen::Index, V v) { lanes += strict ? v < r : v <= r; },
      [&](Eigen::Index, double a) { count += (strict ? a < radius : a <= radius) ? 1 : 0; });
  for (int l = 0; l < kLanes; ++l) count -= static_cast<int>(lanes[l]);
  return count;
}

MIB_CLONES int rows_at_most(const double* q, const double* cols, Eigen::Index ld,
                            Eigen::Index begin, Eigen::Index m, Eigen::Index dims, Metric metric,
                            double threshold, double* distance, int* candidate) {
  if (metric == Metric::kMax) {
    distances_kernel<Metric::kMax>(q, cols, ld, begin, m, dims, distance);
  } else {
    distances_kernel<Metric::kEuclidean>(q, cols, ld, begin, m, dims, distance);
  }
  int found = 0;
  for (Eigen::Index j = 0; j < m; ++j) {
    candidate[found] = static_cast<int>(j);
    found += distance[j] <= threshold ? 1 : 0;
  }
  return found;
}

MIB_CLONES void block_distances(const Panels& points, Eigen::Index first, int nq, Metric metric,
                                double* out, Eigen::Index ld_out) {
  // The queries' coordinates, kQueries at a time: packed[(a0 / kQueries * dims + c) * kQueries
  // + a % kQueries]; rows past the last query repeat it (their results are not stored).
  const Eigen::Index dims = points.dims;
  const int groups = (nq + kQueries - 1) / kQueries;
  std::vector<double> packed(static_cast<std::size_t>(groups * kQueries * dims));
  for (int a = 0; a < groups * kQueries; ++a) {
    const Eigen::Index row = first + std::min(a, nq - 1);
    for (Eigen::Index c = 0; c < dims; ++c) {
      packed[static_cast<std::size_t>((a / kQueries * dims + c) * kQueries + a % kQueries)] =
          points.at(row, c);
    }
  }
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

}  // namespace mib::knn::detail
