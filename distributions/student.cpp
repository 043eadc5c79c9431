#include "distributions/student.hpp"

#include <boost/math/special_functions/digamma.hpp>
#include <boost/random/chi_squared_distribution.hpp>
#include <cmath>

#include "core/error.hpp"
#include "distributions/linalg.hpp"

namespace mib {
namespace {
const double kPi = 3.141592653589793238462643383279502884;

double h(double k, double nu) {
  using boost::math::digamma;
  return -std::lgamma((nu + k) / 2) + std::lgamma(nu / 2) + (k / 2) * std::log(nu * kPi) +
         ((nu + k) / 2) * (digamma((nu + k) / 2) - digamma(nu / 2));
}
}  // namespace

double student_mi_correction(std::size_t dx, std::size_t dy, double nu) {
  const double a = static_cast<double>(dx), b = static_cast<double>(dy);
  return h(a, nu) + h(b, nu) - h(a + b, nu);
}

StudentT::StudentT(std::size_t dx, std::size_t dy, const Eigen::MatrixXd& dispersion, double nu,
                   const std::string& where)
    : dx_(dx), dy_(dy), nu_(nu) {
  require(dx >= 1, where, "dim_x", ">= 1", dx);
  require(dy >= 1, where, "dim_y", ">= 1", dy);
  require(nu > 0 && std::isfinite(nu), where, "the degrees of freedom nu", "> 0 and finite", nu);
  const auto d = static_cast<Eigen::Index>(dx + dy);
  const auto ix = static_cast<Eigen::Index>(dx), iy = static_cast<Eigen::Index>(dy);
  check_symmetric(dispersion, d, where);
  chol_ = cholesky(dispersion, where);
  chol_x_ = cholesky(dispersion.topLeftCorner(ix, ix), where);
  chol_y_ = cholesky(dispersion.bottomRightCorner(iy, iy), where);
  mi_ = 0.5 * (log_det(chol_x_) + log_det(chol_y_) - log_det(chol_)) +
        student_mi_correction(dx, dy, nu);
}

Sample StudentT::sample(std::size_t n, Rng& rng) const {
  boost::random::chi_squared_distribution<double> chi2(nu_);
  Sample s;
  gaussian_rows(chol_, n, dx_, rng, s.x, s.y,
                [&](Rng& r) { return 1.0 / std::sqrt(chi2(r) / nu_); });
  return s;
}

Eigen::VectorXd StudentT::log_density(const Eigen::MatrixXd& chol, const Matrix& v) const {
  const double k = static_cast<double>(v.cols());
  const double c = std::lgamma((nu_ + k) / 2) - std::lgamma(nu_ / 2) -
                   (k / 2) * std::log(nu_ * kPi) - 0.5 * log_det(chol);
  return (c - ((nu_ + k) / 2) * (mahalanobis(chol, v).array() / nu_).log1p()).matrix();
}

std::optional<Eigen::VectorXd> StudentT::pmi(const Sample& s) const {
  return (log_density(chol_, hstack(s.x, s.y)) - log_density(chol_x_, s.x) -
          log_density(chol_y_, s.y))
      .eval();
}

}  // namespace mib
