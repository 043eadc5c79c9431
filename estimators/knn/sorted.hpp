#pragma once
// The one-dimensional back-end of knn/neighbors.hpp (internal to the knn module): the values
// sorted once by (value, row); counts by binary search, neighbours by a two-sided scan.

#include <algorithm>
#include <cstddef>
#include <utility>
#include <vector>

#include "core/matrix.hpp"
#include "estimators/knn/metric.hpp"
#include "estimators/knn/neighbors.hpp"

namespace mib::knn::detail {

class Sorted {
 public:
  Sorted(MatrixRef points, Metric metric) : metric_(metric) {
    std::vector<std::pair<double, Eigen::Index>> pairs(static_cast<std::size_t>(points.rows()));
    for (Eigen::Index i = 0; i < points.rows(); ++i)
      pairs[static_cast<std::size_t>(i)] = {points(i, 0), i};
    std::sort(pairs.begin(), pairs.end());  // by (value, index)
    order_.resize(pairs.size());
    values_.resize(pairs.size());
    position_.resize(pairs.size());
    for (std::size_t s = 0; s < pairs.size(); ++s) {
      values_[s] = pairs[s].first;
      order_[s] = pairs[s].second;
      position_[static_cast<std::size_t>(order_[s])] = s;
    }
  }

  /// Original rows in sorted order: querying in this order keeps memory access local.
  const std::vector<Eigen::Index>& order() const { return order_; }

  double dist(std::size_t a, std::size_t b) const {
    return pair_distance(&values_[a], &values_[b], 1, metric_);
  }

  // Distances grow monotonically away from p on either side (IEEE subtraction is monotone),
  // so the k-th distance comes from a two-sided scan, and the k nearest by (distance, index)
  // from the candidates within it.
  void nearest(Eigen::Index query, int k, double* distance, Eigen::Index* index,
               std::vector<std::pair<double, Eigen::Index>>& candidates) const {
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
    candidates.clear();
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
    return static_cast<int>(run(p, +1, radius, strict) + run(p, -1, radius, strict));
  }

  /// The sorted positions [first, last] of the points within the radius of row `query`, the
  /// query's own position included (they are contiguous: distance grows away from it).
  std::pair<std::size_t, std::size_t> range(Eigen::Index query, double radius, bool strict) const {
    const std::size_t p = position_[static_cast<std::size_t>(query)];
    return {p - run(p, -1, radius, strict), p + run(p, +1, radius, strict)};
  }
  /// The sorted position of row i.
  std::size_t position(Eigen::Index i) const { return position_[static_cast<std::size_t>(i)]; }

 private:
  // How many of the positions p + dir, p + 2 dir, ... pass the radius test. They pass up to
  // some offset and fail after it (distance grows away from p), so gallop outwards (1, 2, 4,
  // ...) and then bisect: the points counted are near p, so the search stays in cache.
  std::size_t run(std::size_t p, int dir, double radius, bool strict) const {
    const std::size_t limit = dir > 0 ? values_.size() - 1 - p : p;  // offsets 1..limit exist
    auto passes = [&](std::size_t t) {
      return within(dist(p, dir > 0 ? p + t : p - t), radius, strict);
    };
    std::size_t last_pass = 0, first_fail = 1;
    while (first_fail <= limit && passes(first_fail)) {
      last_pass = first_fail;
      first_fail *= 2;
    }
    first_fail = std::min(first_fail, limit + 1);
    while (first_fail - last_pass > 1) {
      const std::size_t mid = last_pass + (first_fail - last_pass) / 2;
      (passes(mid) ? last_pass : first_fail) = mid;
    }
    return last_pass;
  }

  Metric metric_;
  std::vector<Eigen::Index> order_;
  std::vector<double> values_;
  std::vector<std::size_t> position_;
};

}  // namespace mib::knn::detail
