#include "estimators/kl.hpp"

#include <boost/math/special_functions/digamma.hpp>
#include <cmath>

#include "estimators/knn/neighbors.hpp"

namespace mib {

double kozachenko_leonenko_entropy(MatrixRef points, int k, int threads) {
  using boost::math::digamma;
  const knn::Neighbors nb =
      knn::nearest(points, k, knn::Metric::kMax, knn::Backend::kAuto, threads);
  const double n = static_cast<double>(points.rows()), d = static_cast<double>(points.cols());
  const double mean_log_radius = nb.distance.col(k - 1).array().log().mean();
  return digamma(n) - digamma(k) + d * std::log(2.0) + d * mean_log_radius;
}

Estimate KlEstimator::estimate_core(const Sample& s, Rng&) const {
  const double hx = kozachenko_leonenko_entropy(s.x, params_.k, threads());
  const double hy = kozachenko_leonenko_entropy(s.y, params_.k, threads());
  const double hxy = kozachenko_leonenko_entropy(hstack(s.x, s.y), params_.k, threads());
  return {hx + hy - hxy, {{"h_x", hx}, {"h_y", hy}, {"h_xy", hxy}}};
}

}  // namespace mib
