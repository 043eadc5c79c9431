#include "estimators/kl.hpp"

#include <boost/math/special_functions/digamma.hpp>
#include <cmath>

#include "estimators/knn/neighbors.hpp"

namespace mib {

namespace {
// Ĥ from the k-th neighbour distances r of n points in d dimensions.
double kl_entropy(const Eigen::VectorXd& r, int k, Eigen::Index dims) {
  using boost::math::digamma;
  const double n = static_cast<double>(r.size()), d = static_cast<double>(dims);
  return digamma(n) - digamma(k) + d * std::log(2.0) + d * r.array().log().mean();
}
}  // namespace

double kozachenko_leonenko_entropy(MatrixRef points, int k, int threads) {
  return kl_entropy(knn::kth_distance(points, k, knn::Metric::kMax, knn::Backend::kAuto, threads),
                    k, points.cols());
}

Estimate KlEstimator::estimate_core(const Sample& s, Rng&) const {
  // One search serves the three entropies (knn::kth_distances).
  const knn::KthDistances r = knn::kth_distances(s.x, s.y, params_.k, threads());
  const double hx = kl_entropy(r.x, params_.k, s.x.cols());
  const double hy = kl_entropy(r.y, params_.k, s.y.cols());
  const double hxy = kl_entropy(r.joint, params_.k, s.x.cols() + s.y.cols());
  return {hx + hy - hxy, {{"h_x", hx}, {"h_y", hy}, {"h_xy", hxy}}};
}

}  // namespace mib
