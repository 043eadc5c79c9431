#include "estimators/knn/neighbors.hpp"

#include <algorithm>
#include <numeric>
#include <vector>

#include "core/deadline.hpp"
#include "core/error.hpp"
#include "estimators/knn/kdtree.hpp"
#include "estimators/knn/metric.hpp"

namespace mib::knn {

using detail::pair_distance;
using detail::within;

namespace {

constexpr Eigen::Index kKdTreeMaxDim = 12;

// ---- exhaustive -----------------------------------------------------------------------------

void distances_from(MatrixRef points, Eigen::Index i, Metric metric, std::vector<double>& out) {
  for (Eigen::Index j = 0; j < points.rows(); ++j) {
    out[static_cast<std::size_t>(j)] =
        pair_distance(points.row(i).data(), points.row(j).data(), points.cols(), metric);
  }
}

void brute_nearest(MatrixRef points, int k, Metric metric, Neighbors& result) {
  const Eigen::Index n = points.rows();
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
}

Eigen::VectorXi brute_count(MatrixRef points, const Eigen::VectorXd& radius, Metric metric,
                            bool strict) {
  const Eigen::Index n = points.rows();
  Eigen::VectorXi counts(n);
  std::vector<double> dist(static_cast<std::size_t>(n));
  for (Eigen::Index i = 0; i < n; ++i) {
    check_deadline();
    distances_from(points, i, metric, dist);
    int c = 0;
    for (double dj : dist) c += within(dj, radius(i), strict) ? 1 : 0;
    // The loop counted row i itself (distance 0) whenever 0 passes the test; take it out.
    counts(i) = c - (within(0.0, radius(i), strict) ? 1 : 0);
  }
  return counts;
}

// ---- one dimension: a sorted array ----------------------------------------------------------

class Sorted {
 public:
  Sorted(MatrixRef points, Metric metric) : metric_(metric), order_(static_cast<std::size_t>(points.rows())) {
    std::iota(order_.begin(), order_.end(), Eigen::Index{0});
    std::sort(order_.begin(), order_.end(), [&](Eigen::Index a, Eigen::Index b) {
      return points(a, 0) < points(b, 0) || (points(a, 0) == points(b, 0) && a < b);
    });
    values_.resize(order_.size());
    position_.resize(order_.size());
    for (std::size_t s = 0; s < order_.size(); ++s) {
      values_[s] = points(order_[s], 0);
      position_[static_cast<std::size_t>(order_[s])] = s;
    }
  }

  double dist(std::size_t a, std::size_t b) const {
    return pair_distance(&values_[a], &values_[b], 1, metric_);
  }

  // Distances grow monotonically away from p on either side (IEEE subtraction is monotone),
  // so the k-th distance comes from a two-sided scan, and the k nearest by (distance, index)
  // from the candidates within it.
  void nearest(Eigen::Index query, int k, double* distance, Eigen::Index* index) const {
    const std::size_t p = position_[static_cast<std::size_t>(query)], n = values_.size();
    std::size_t left = p, right = p + 1;  // next candidates: left - 1, right
    double kth = 0;
    for (int taken = 0; taken < k; ++taken) {
      const bool has_left = left > 0, has_right = right < n;
      if (has_left && (!has_right || dist(p, left - 1) <= dist(p, right))) {
        kth = dist(p, --left);
      } else {
        kth = dist(p, right++);
      }
    }
    while (left > 0 && dist(p, left - 1) <= kth) --left;
    while (right < n && dist(p, right) <= kth) ++right;
    std::vector<std::pair<double, Eigen::Index>> candidates;
    for (std::size_t s = left; s < right; ++s) {
      if (s != p) candidates.emplace_back(dist(p, s), order_[s]);
    }
    std::partial_sort(candidates.begin(), candidates.begin() + k, candidates.end());
    for (int m = 0; m < k; ++m) {
      distance[m] = candidates[static_cast<std::size_t>(m)].first;
      index[m] = candidates[static_cast<std::size_t>(m)].second;
    }
  }

  int count(Eigen::Index query, double radius, bool strict) const {
    const std::size_t p = position_[static_cast<std::size_t>(query)];
    // Binary searches for the first positions, leftwards and rightwards, that fail the test.
    std::size_t lo = 0, hi = p;  // left: the smallest s in [0, p] that passes
    while (lo < hi) {
      const std::size_t mid = lo + (hi - lo) / 2;
      within(dist(p, mid), radius, strict) ? hi = mid : lo = mid + 1;
    }
    const std::size_t first = lo;
    lo = p;
    hi = values_.size();  // right: one past the largest s in [p, n) that passes
    while (lo < hi) {
      const std::size_t mid = lo + (hi - lo) / 2;
      within(dist(p, mid), radius, strict) ? lo = mid + 1 : hi = mid;
    }
    const std::size_t past = lo;
    if (past <= first) return 0;  // not even the query itself passes (r = 0 strict)
    return static_cast<int>(past - first) - 1;
  }

 private:
  Metric metric_;
  std::vector<Eigen::Index> order_;
  std::vector<double> values_;
  std::vector<std::size_t> position_;
};

Backend resolve(Backend backend, MatrixRef points) {
  const Backend b = backend == Backend::kAuto ? auto_backend(points.cols()) : backend;
  require(b != Backend::kSorted || points.cols() == 1, "knn", "the sorted back-end's dimension",
          "1", points.cols());
  return b;
}

}  // namespace

Backend auto_backend(Eigen::Index d) {
  if (d == 1) return Backend::kSorted;
  return d <= kKdTreeMaxDim ? Backend::kKdTree : Backend::kBrute;
}

double distance(MatrixRef points, Eigen::Index a, Eigen::Index b, Metric metric) {
  return pair_distance(points.row(a).data(), points.row(b).data(), points.cols(), metric);
}

Neighbors nearest(MatrixRef points, int k, Metric metric, Backend backend) {
  const Eigen::Index n = points.rows();
  require(k >= 1 && k < n, "knn::nearest", "k", "in [1, n) with n = " + std::to_string(n), k);
  Neighbors result{Eigen::MatrixXd(n, k), IndexMatrix(n, k)};
  const Backend b = resolve(backend, points);
  if (b == Backend::kBrute) {
    brute_nearest(points, k, metric, result);
    return result;
  }
  std::vector<double> dist(static_cast<std::size_t>(k));
  std::vector<Eigen::Index> index(static_cast<std::size_t>(k));
  auto fill = [&](Eigen::Index i) {
    for (int m = 0; m < k; ++m) {
      result.distance(i, m) = dist[static_cast<std::size_t>(m)];
      result.index(i, m) = index[static_cast<std::size_t>(m)];
    }
  };
  if (b == Backend::kSorted) {
    const Sorted sorted(points, metric);
    for (Eigen::Index i = 0; i < n; ++i) {
      if ((i & 255) == 0) check_deadline();
      sorted.nearest(i, k, dist.data(), index.data());
      fill(i);
    }
  } else {
    const KdTree tree(points, metric);
    for (Eigen::Index i = 0; i < n; ++i) {
      if ((i & 63) == 0) check_deadline();
      tree.nearest(i, k, dist.data(), index.data());
      fill(i);
    }
  }
  return result;
}

Eigen::VectorXi count_within(MatrixRef points, const Eigen::VectorXd& radius, Metric metric,
                             bool strict, Backend backend) {
  const Eigen::Index n = points.rows();
  require(radius.size() == n, "knn::count_within", "radius size", "n = " + std::to_string(n),
          radius.size());
  const Backend b = resolve(backend, points);
  if (b == Backend::kBrute) return brute_count(points, radius, metric, strict);
  Eigen::VectorXi counts(n);
  if (b == Backend::kSorted) {
    const Sorted sorted(points, metric);
    for (Eigen::Index i = 0; i < n; ++i) counts(i) = sorted.count(i, radius(i), strict);
  } else {
    const KdTree tree(points, metric);
    for (Eigen::Index i = 0; i < n; ++i) {
      if ((i & 63) == 0) check_deadline();
      counts(i) = tree.count(i, radius(i), strict);
    }
  }
  return counts;
}

}  // namespace mib::knn
