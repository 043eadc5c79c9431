#include "estimators/knn_family.hpp"

#include <algorithm>
#include <boost/math/special_functions/digamma.hpp>
#include <cmath>

#include "core/parallel.hpp"
#include "estimators/knn/neighbors.hpp"

namespace mib {

using boost::math::digamma;

bool positive_k(int k) { return k >= 1; }

namespace {
const double kLogPi = 1.144729885849400174143427351353058712;

double log_unit_ball(double d, knn::Metric metric) {
  return metric == knn::Metric::kMax ? d * std::log(2.0)
                                     : 0.5 * d * kLogPi - std::lgamma(1 + 0.5 * d);
}
}  // namespace

Estimate KsgBmiEstimator::estimate_core(const Sample& s, Rng&) const {
  const double n = static_cast<double>(s.x.rows());
  double total = 0;
  nlohmann::json per_k = nlohmann::json::object();
  // One exhaustive pass serves every k.
  const std::vector<knn::MarginalCounts> counts =
      knn::ksg_counts(s.x, s.y, params_.ks, knn::CountRule::kJointRadius, knn::Metric::kEuclidean,
                      knn::Backend::kAuto, threads());
  for (std::size_t m = 0; m < params_.ks.size(); ++m) {
    const int k = params_.ks[m];
    const knn::MarginalCounts& c = counts[m];
    double sum = 0;
    for (Eigen::Index i = 0; i < c.nx.size(); ++i)
      sum += digamma(c.nx(i) + 1) + digamma(c.ny(i) + 1);
    const double mi = std::max(0.0, digamma(k) + digamma(n) - sum / n);  // bmi clips each k
    per_k[std::to_string(k)] = mi;
    total += mi;
  }
  return {total / static_cast<double>(params_.ks.size()), {{"per_k", per_k}}};
}

Estimate BiKsgEstimator::estimate_core(const Sample& s, Rng&) const {
  const knn::Metric metric = params_.norm == "max" ? knn::Metric::kMax : knn::Metric::kEuclidean;
  const knn::MarginalCounts c = knn::joint_radius_counts(s.x, s.y, params_.k, metric, threads());
  const Eigen::VectorXi &nx = c.nx, &ny = c.ny;
  const double n = static_cast<double>(s.x.rows());
  const double dx = static_cast<double>(s.x.cols()), dy = static_cast<double>(s.y.cols());
  double sum = 0;
  for (Eigen::Index i = 0; i < nx.size(); ++i)
    sum += std::log(static_cast<double>(nx(i))) + std::log(static_cast<double>(ny(i)));
  const double volumes =
      log_unit_ball(dx, metric) + log_unit_ball(dy, metric) - log_unit_ball(dx + dy, metric);
  return {digamma(params_.k) + std::log(n) + volumes - sum / n, nlohmann::json::object()};
}

Estimate MixedKsgEstimator::estimate_core(const Sample& s, Rng&) const {
  const Matrix joint = hstack(s.x, s.y);
  const knn::Neighbors nb =
      knn::nearest(joint, params_.k, knn::Metric::kMax, knn::Backend::kAuto, threads());
  const Eigen::VectorXd rho = nb.distance.col(params_.k - 1);
  const Eigen::VectorXd zero = Eigen::VectorXd::Zero(rho.size());
  // Counts exclude the point; +1 below puts it back, as the authors' code counts (strict < ρ).
  // Each variable's two counts (within ρ, and ties at 0) side by side with the other's.
  const auto count = [](MatrixRef m, const Eigen::VectorXd& radius, bool strict, int t) {
    return knn::count_within(m, radius, knn::Metric::kMax, strict, knn::Backend::kAuto, t);
  };
  Eigen::VectorXi nx, ny, tied_x, tied_y;
  side_by_side(
      threads(),
      [&](int t) {
        nx = count(s.x, rho, true, t);
        tied_x = count(s.x, zero, false, t);
      },
      [&](int t) {
        ny = count(s.y, rho, true, t);
        tied_y = count(s.y, zero, false, t);
      });
  const Eigen::VectorXi tied = count(joint, zero, false, threads());
  const double n = static_cast<double>(s.x.rows());
  double sum = 0;
  int atoms = 0;
  for (Eigen::Index i = 0; i < rho.size(); ++i) {
    const bool atom = rho(i) == 0;
    atoms += atom ? 1 : 0;
    sum += atom ? digamma(tied(i) + 1) - digamma(tied_x(i) + 1) - digamma(tied_y(i) + 1)
                : digamma(params_.k) - digamma(nx(i) + 1) - digamma(ny(i) + 1);
  }
  return {std::log(n) + sum / n, {{"points_on_atoms", atoms}}};
}

}  // namespace mib
