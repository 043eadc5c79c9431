#include "estimators/cca.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"
#include "estimators/gaussian.hpp"

namespace mib {
namespace {

// Σ^{-1/2} of an SPD matrix by its eigen-decomposition; InvalidArgument when singular.
Eigen::MatrixXd inverse_sqrt(const Eigen::MatrixXd& s, const char* what) {
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(s);
  const Eigen::VectorXd values = eig.eigenvalues();
  if (!(values.minCoeff() > 1e-12 * std::max(values.maxCoeff(), 0.0))) {
    fail("cca", what, "positive definite", "singular (a constant or collinear column)");
  }
  return eig.eigenvectors() * values.cwiseInverse().cwiseSqrt().asDiagonal() *
         eig.eigenvectors().transpose();
}

}  // namespace

Estimate CcaEstimator::estimate(MatrixRef x, MatrixRef y, Rng& /*rng*/) const {
  const Eigen::Index n = x.rows(), dx = x.cols(), dy = y.cols();
  require(n > dx + dy, "cca", "n", "> dx + dy = " + std::to_string(dx + dy), n);
  const Eigen::MatrixXd s = centred_scatter(x, y);
  const Eigen::MatrixXd k = inverse_sqrt(s.topLeftCorner(dx, dx), "the covariance of x") *
                            s.topRightCorner(dx, dy) *
                            inverse_sqrt(s.bottomRightCorner(dy, dy), "the covariance of y");
  const Eigen::VectorXd rho = Eigen::JacobiSVD<Eigen::MatrixXd>(k).singularValues();  // descending
  const Eigen::Index all = std::min(dx, dy);
  const Eigen::Index c =
      params_.components == 0 ? all : std::min<Eigen::Index>(params_.components, all);
  double mi = 0;
  nlohmann::json correlations = nlohmann::json::array();
  for (Eigen::Index i = 0; i < all; ++i) {
    const double r = std::min(rho(i), 1.0 - 1e-16);  // rounding can push ρ̂ to 1
    if (i < c) mi += -0.5 * std::log1p(-r * r);
    correlations.push_back(r);
  }
  return {mi, {{"canonical_correlations", correlations}, {"components", c}}};
}

}  // namespace mib
