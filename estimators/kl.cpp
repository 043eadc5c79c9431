#include "estimators/kl.hpp"

#include <boost/math/special_functions/digamma.hpp>
#include <cmath>

#include "estimators/knn/neighbors.hpp"

namespace mib {

double kozachenko_leonenko_entropy(MatrixRef points, int k) {
  using boost::math::digamma;
  const knn::Neighbors nb = knn::nearest(points, k, knn::Metric::kMax);
  const double n = static_cast<double>(points.rows()), d = static_cast<double>(points.cols());
  const double mean_log_radius = nb.distance.col(k - 1).array().log().mean();
  return digamma(n) - digamma(k) + d * std::log(2.0) + d * mean_log_radius;
}

Estimate KlEstimator::estimate(MatrixRef x, MatrixRef y, Rng& /*rng*/) const {
  const Matrix joint = hstack(x, y);
  const double hx = kozachenko_leonenko_entropy(x, params_.k);
  const double hy = kozachenko_leonenko_entropy(y, params_.k);
  const double hxy = kozachenko_leonenko_entropy(joint, params_.k);
  return {hx + hy - hxy, {{"h_x", hx}, {"h_y", hy}, {"h_xy", hxy}}};
}

}  // namespace mib
