#include "estimators/knn/neighbors.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include "core/deadline.hpp"
#include "core/error.hpp"

namespace mib::knn {
namespace {

// The one distance kernel: every query and count goes through it, so a radius found by one
// query compares exactly with the distances of another.
inline double pair_distance(const double* p, const double* q, Eigen::Index d, Metric metric) {
  double acc = 0;
  if (metric == Metric::kMax) {
    for (Eigen::Index c = 0; c < d; ++c) acc = std::max(acc, std::abs(p[c] - q[c]));
    return acc;
  }
  for (Eigen::Index c = 0; c < d; ++c) acc += (p[c] - q[c]) * (p[c] - q[c]);
  return std::sqrt(acc);
}

// Distances from row i to every row, into out (out[i] is 0).
void distances_from(MatrixRef points, Eigen::Index i, Metric metric, std::vector<double>& out) {
  for (Eigen::Index j = 0; j < points.rows(); ++j) {
    out[static_cast<std::size_t>(j)] =
        pair_distance(points.row(i).data(), points.row(j).data(), points.cols(), metric);
  }
}

}  // namespace

double distance(MatrixRef points, Eigen::Index a, Eigen::Index b, Metric metric) {
  return pair_distance(points.row(a).data(), points.row(b).data(), points.cols(), metric);
}

Neighbors nearest(MatrixRef points, int k, Metric metric) {
  const Eigen::Index n = points.rows();
  require(k >= 1 && k < n, "knn::nearest", "k", "in [1, n) with n = " + std::to_string(n), k);
  Neighbors result{Eigen::MatrixXd(n, k), IndexMatrix(n, k)};
  std::vector<double> dist(static_cast<std::size_t>(n));
  std::vector<Eigen::Index> order(static_cast<std::size_t>(n));
  for (Eigen::Index i = 0; i < n; ++i) {
    check_deadline();
    distances_from(points, i, metric, dist);
    std::iota(order.begin(), order.end(), Eigen::Index{0});
    std::swap(order[static_cast<std::size_t>(i)], order.back());  // exclude self by index
    auto by_distance = [&](Eigen::Index a, Eigen::Index b) {
      const double da = dist[static_cast<std::size_t>(a)], db = dist[static_cast<std::size_t>(b)];
      return da < db || (da == db && a < b);
    };
    std::partial_sort(order.begin(), order.begin() + k, order.end() - 1, by_distance);
    for (int m = 0; m < k; ++m) {
      result.index(i, m) = order[static_cast<std::size_t>(m)];
      result.distance(i, m) = dist[static_cast<std::size_t>(order[static_cast<std::size_t>(m)])];
    }
  }
  return result;
}

Eigen::VectorXi count_within(MatrixRef points, const Eigen::VectorXd& radius, Metric metric,
                             bool strict) {
  const Eigen::Index n = points.rows();
  require(radius.size() == n, "knn::count_within", "radius size", "n = " + std::to_string(n),
          radius.size());
  Eigen::VectorXi counts(n);
  std::vector<double> dist(static_cast<std::size_t>(n));
  for (Eigen::Index i = 0; i < n; ++i) {
    check_deadline();
    distances_from(points, i, metric, dist);
    const double r = radius(i);
    int c = 0;
    for (Eigen::Index j = 0; j < n; ++j) {
      const double dj = dist[static_cast<std::size_t>(j)];
      c += (strict ? dj < r : dj <= r) ? 1 : 0;
    }
    // The loop counted row i itself (distance 0) whenever 0 passes the test; take it out.
    if (strict ? 0.0 < r : 0.0 <= r) --c;
    counts(i) = c;
  }
  return counts;
}

}  // namespace mib::knn
