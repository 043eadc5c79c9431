#include "distributions/multinormal.hpp"

#include <cmath>

#include "core/error.hpp"
#include "distributions/linalg.hpp"

namespace mib {

MultivariateNormal::MultivariateNormal(std::size_t dx, std::size_t dy,
                                       const Eigen::MatrixXd& covariance, const std::string& where)
    : dx_(dx), dy_(dy), covariance_(covariance) {
  require(dx >= 1, where, "dim_x", ">= 1", dx);
  require(dy >= 1, where, "dim_y", ">= 1", dy);
  const auto d = static_cast<Eigen::Index>(dx + dy);
  check_symmetric(covariance, d, where);
  chol_ = cholesky(covariance, where);
  chol_x_ = cholesky(covariance.topLeftCorner(d - static_cast<Eigen::Index>(dy),
                                              d - static_cast<Eigen::Index>(dy)),
                     where);
  chol_y_ = cholesky(
      covariance.bottomRightCorner(static_cast<Eigen::Index>(dy), static_cast<Eigen::Index>(dy)),
      where);
  mi_ = 0.5 * (log_det(chol_x_) + log_det(chol_y_) - log_det(chol_));
}

Sample MultivariateNormal::sample(std::size_t n, Rng& rng) const {
  Sample s;
  gaussian_rows(chol_, n, dx_, rng, s.x, s.y);
  return s;
}

std::optional<Eigen::VectorXd> MultivariateNormal::pmi(const Sample& s) const {
  const Matrix joint = hstack(s.x, s.y);
  // log N(z; Σ) − log N(x; Σxx) − log N(y; Σyy): the 2π terms cancel, the log-determinants give MI.
  return (mi_ -
          0.5 * (mahalanobis(chol_, joint) - mahalanobis(chol_x_, s.x) - mahalanobis(chol_y_, s.y))
                    .array())
      .matrix();
}

Eigen::MatrixXd dense_covariance(std::size_t dx, std::size_t dy, double corr) {
  const auto d = static_cast<Eigen::Index>(dx + dy);
  Eigen::MatrixXd c = Eigen::MatrixXd::Constant(d, d, corr);
  c.diagonal().setOnes();
  return c;
}

Eigen::MatrixXd sparse_covariance(std::size_t dx, std::size_t dy, std::size_t pairs,
                                  double strength) {
  const auto d = static_cast<Eigen::Index>(dx + dy);
  Eigen::MatrixXd c = Eigen::MatrixXd::Identity(d, d);
  const double r = strength * strength / (1.0 + strength * strength);
  for (std::size_t i = 0; i < pairs; ++i) {
    const auto a = static_cast<Eigen::Index>(i);
    const auto b = static_cast<Eigen::Index>(dx + i);
    c(a, b) = c(b, a) = r;
  }
  return c;
}

}  // namespace mib
