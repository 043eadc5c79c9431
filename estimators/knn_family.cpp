#include "estimators/knn_family.hpp"

#include <algorithm>
#include <boost/math/special_functions/digamma.hpp>
#include <cmath>

#include "estimators/knn/digamma.hpp"
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
    knn::CountDigamma psi;
    double sum = 0;
    for (Eigen::Index i = 0; i < c.nx.size(); ++i) sum += psi(c.nx(i) + 1) + psi(c.ny(i) + 1);
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
  // ρ, the k-th joint max-norm distance, and the counts strictly within it (KSG's algorithm 1
  // statistics: above 12 joint dims one exhaustive pass). Counts exclude the point; +1 below puts
  // it back, as the authors' code counts (strict < ρ).
  const knn::MarginalCounts c = knn::ksg_counts(s.x, s.y, params_.k, knn::CountRule::kJointRadius,
                                                knn::Metric::kMax, knn::Backend::kAuto, threads());
  const Eigen::VectorXd& rho = c.radius;
  const Eigen::VectorXi &nx = c.nx, &ny = c.ny;
  // Ties at distance 0 are equal rows: counted by sorting, not searching — and only when some
  // row is on an atom (continuous data has none: three sorts saved, a third of the call).
  const bool any_atom = (rho.array() == 0).any();
  Eigen::VectorXi tied_x, tied_y, tied;
  if (any_atom) {
    tied_x = knn::count_duplicates(s.x);
    tied_y = knn::count_duplicates(s.y);
    tied = knn::count_duplicates(hstack(s.x, s.y));
  }
  const double n = static_cast<double>(s.x.rows());
  knn::CountDigamma psi;
  double sum = 0;
  int atoms = 0;
  for (Eigen::Index i = 0; i < rho.size(); ++i) {
    const bool atom = rho(i) == 0;
    atoms += atom ? 1 : 0;
    sum += atom ? psi(tied(i) + 1) - psi(tied_x(i) + 1) - psi(tied_y(i) + 1)
                : psi(params_.k) - psi(nx(i) + 1) - psi(ny(i) + 1);
  }
  return {std::log(n) + sum / n, {{"points_on_atoms", atoms}}};
}

}  // namespace mib
