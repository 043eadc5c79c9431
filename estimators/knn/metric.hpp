#pragma once
// The one distance kernel of the neighbour searches, and the bounding-box bounds that prune
// with it. Every back-end computes distances through pair_distance(), in the same coordinate
// order, so a radius found by one search compares exactly with the distances of another; the
// box bounds use the same operations on smaller (larger) per-coordinate gaps, so by
// monotonicity of IEEE rounding they bound every computed distance inside the box exactly.

#include <algorithm>
#include <cmath>

#include "estimators/knn/neighbors.hpp"

namespace mib::knn::detail {

inline double pair_distance(const double* p, const double* q, Eigen::Index d, Metric metric) {
  double acc = 0;
  if (metric == Metric::kMax) {
    for (Eigen::Index c = 0; c < d; ++c) acc = std::max(acc, std::abs(p[c] - q[c]));
    return acc;
  }
  for (Eigen::Index c = 0; c < d; ++c) acc += (p[c] - q[c]) * (p[c] - q[c]);
  return std::sqrt(acc);
}

/// A lower bound on the distance from any point of box a to any point of box b: per coordinate
/// the gap between the boxes, rounded as p − q is for p in one and q in the other, so it bounds
/// their computed distance from below by the same monotonicity.
inline double box_box_lower(const double* a_lo, const double* a_hi, const double* b_lo,
                            const double* b_hi, Eigen::Index d, Metric metric) {
  double acc = 0;
  for (Eigen::Index c = 0; c < d; ++c) {
    // Branch-free: at most one of the two differences is positive.
    const double gap = std::max(std::max(b_lo[c] - a_hi[c], a_lo[c] - b_hi[c]), 0.0);
    if (metric == Metric::kMax) {
      acc = std::max(acc, gap);
    } else {
      acc += gap * gap;
    }
  }
  return metric == Metric::kMax ? acc : std::sqrt(acc);
}

/// A lower bound on the distance from q to any point of the box [lo, hi] (q as a box of one
/// point: per coordinate max(lo − q, q − hi, 0)).
inline double box_lower(const double* q, const double* lo, const double* hi, Eigen::Index d,
                        Metric metric) {
  return box_box_lower(q, q, lo, hi, d, metric);
}

/// An upper bound on the distance from q to any point of the box [lo, hi].
inline double box_upper(const double* q, const double* lo, const double* hi, Eigen::Index d,
                        Metric metric) {
  double acc = 0;
  for (Eigen::Index c = 0; c < d; ++c) {
    const double gap = std::max(std::abs(q[c] - lo[c]), std::abs(q[c] - hi[c]));
    if (metric == Metric::kMax) {
      acc = std::max(acc, gap);
    } else {
      acc += gap * gap;
    }
  }
  return metric == Metric::kMax ? acc : std::sqrt(acc);
}

/// Does a distance pass a radius test (strict: d < r, else d <= r)?
inline bool within(double distance, double radius, bool strict) {
  return strict ? distance < radius : distance <= radius;
}

}  // namespace mib::knn::detail
