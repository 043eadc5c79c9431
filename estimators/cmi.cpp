#include "estimators/cmi.hpp"

#include <boost/math/special_functions/digamma.hpp>

#include "core/error.hpp"
#include "estimators/gaussian.hpp"
#include "estimators/gcmi.hpp"
#include "estimators/harness.hpp"
#include "estimators/knn/digamma.hpp"
#include "estimators/knn/neighbors.hpp"

namespace mib {
namespace {

[[noreturn]] void needs_z(const char* name) {
  throw InvalidArgument(std::string(name) +
                        ": this estimator estimates I(X; Y | Z) and needs a conditioning "
                        "variable z");
}

}  // namespace

Estimate KsgCmiEstimator::estimate_core(const Sample& s, Rng&) const {
  using boost::math::digamma;
  const int k = params_.k, t = threads();
  Matrix joint(s.x.rows(), s.x.cols() + s.y.cols() + s.z.cols());
  joint << s.x, s.y, s.z;
  const bool fp = variant_ == Variant::kFrenzelPompe;
  // Mesner & Shalizi's k̃ — the joint neighbours within ρ (more than k where several sit at
  // distance ρ or 0) — comes with ρ.
  knn::KthWithin joint_knn;
  if (fp) {
    joint_knn.radius = knn::kth_distance(joint, k, knn::Metric::kMax, knn::Backend::kAuto, t);
  } else {
    joint_knn = knn::kth_distance_within(joint, k, knn::Metric::kMax, t);
  }
  const Eigen::VectorXd& radius = joint_knn.radius;
  const Eigen::Index n = s.x.rows();
  const knn::ConditionalCounts c = knn::conditional_counts(s.x, s.y, s.z, radius, fp, t);
  knn::CountDigamma psi;
  double sum = 0;
  if (fp) {
    for (Eigen::Index i = 0; i < n; ++i)
      sum += psi(c.nxz(i) + 1) + psi(c.nyz(i) + 1) - psi(c.nz(i) + 1);
    return {digamma(k) - sum / static_cast<double>(n),
            {{"mean_nxz", c.nxz.cast<double>().mean()},
             {"mean_nyz", c.nyz.cast<double>().mean()},
             {"mean_nz", c.nz.cast<double>().mean()}}};
  }
  const Eigen::VectorXi& kt = joint_knn.within;
  int atoms = 0;
  for (Eigen::Index i = 0; i < n; ++i) {
    atoms += radius(i) == 0 ? 1 : 0;
    sum += psi(kt(i)) - psi(c.nxz(i)) - psi(c.nyz(i)) + psi(c.nz(i));
  }
  return {sum / static_cast<double>(n),
          {{"points_on_atoms", atoms}, {"mean_k_tilde", kt.cast<double>().mean()}}};
}

double gaussian_cmi(MatrixRef x, MatrixRef y, MatrixRef z, const std::string& where) {
  const Eigen::Index n = x.rows(), d = x.cols() + y.cols() + z.cols();
  require(n > d, where, "n", "> dx + dy + dz = " + std::to_string(d), n);
  // ½ ln(det Ŝ_xz det Ŝ_yz / (det Ŝ_z det Ŝ_xyz)) = I_G(X; (Y, Z)) − I_G(X; Z): det Ŝ_xx cancels.
  return gaussian_mi(x, hstack(y, z), where) - gaussian_mi(x, z, where);
}

Estimate GaussianCmiEstimator::estimate(MatrixRef, MatrixRef, Rng&) const {
  needs_z("gaussian-cmi");
}

Estimate GaussianCmiEstimator::estimate_conditional(MatrixRef x, MatrixRef y, MatrixRef z,
                                                    Rng&) const {
  return {gaussian_cmi(x, y, z, "gaussian-cmi"), nlohmann::json::object()};
}

Estimate GcmiCmiEstimator::estimate(MatrixRef, MatrixRef, Rng&) const { needs_z("gcmi-cmi"); }

Estimate GcmiCmiEstimator::estimate_conditional(MatrixRef x, MatrixRef y, MatrixRef z, Rng&) const {
  double mi =
      gaussian_cmi(copula_normalise(x), copula_normalise(y), copula_normalise(z), "gcmi-cmi");
  if (params_.bias_correct) {
    const Eigen::Index n = x.rows(), dx = x.cols(), dy = y.cols(), dz = z.cols();
    mi += entropy_bias(dx + dy + dz, n) + entropy_bias(dz, n) - entropy_bias(dx + dz, n) -
          entropy_bias(dy + dz, n);
  }
  return {mi, nlohmann::json::object()};
}

ChainRuleEstimator::ChainRuleEstimator(std::shared_ptr<const Estimator> inner)
    : inner_(std::move(inner)) {
  require(!inner_->conditional(), "chain", "the wrapped estimator", "an estimator of I(X; Y)",
          "conditional");
}

Estimate ChainRuleEstimator::estimate(MatrixRef, MatrixRef, Rng&) const { needs_z("chain"); }

Estimate ChainRuleEstimator::estimate_conditional(MatrixRef x, MatrixRef y, MatrixRef z,
                                                  Rng& rng) const {
  const Estimate with_y = inner_->estimate(x, hstack(y, z), rng);
  const Estimate without = constant_rows(z) ? Estimate(0.0) : inner_->estimate(x, z, rng);
  nlohmann::json info = {{"mi_x_yz", with_y.mi}, {"mi_x_z", without.mi}};
  if (!with_y.info.is_null() && !with_y.info.empty()) info["x_yz"] = with_y.info;
  if (!without.info.is_null() && !without.info.empty()) info["x_z"] = without.info;
  return {with_y.mi - without.mi, std::move(info)};
}

}  // namespace mib
