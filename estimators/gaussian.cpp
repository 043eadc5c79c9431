#include "estimators/gaussian.hpp"

#include "core/error.hpp"

namespace mib {
namespace {

// log det of a covariance matrix. L(i,i)² / S(i,i) is the fraction of coordinate i's variance
// not explained by the coordinates before it; below 1e-12 the matrix is singular to working
// precision (a collinear column), and the log-determinant would be rounding noise.
double log_det_spd(const Eigen::MatrixXd& m, const std::string& where) {
  Eigen::LLT<Eigen::MatrixXd> llt(m);
  const Eigen::VectorXd diag = Eigen::MatrixXd(llt.matrixL()).diagonal();
  const bool singular = llt.info() != Eigen::Success || !diag.allFinite() ||
                        !(diag.array().square() > 1e-12 * m.diagonal().array()).all();
  if (singular) {
    fail(where, "the sample covariance", "positive definite",
         "singular (a constant or collinear column)");
  }
  return 2.0 * diag.array().log().sum();
}

}  // namespace

Eigen::MatrixXd centred_scatter(MatrixRef x, MatrixRef y) {
  Eigen::MatrixXd z(x.rows(), x.cols() + y.cols());
  z << x, y;
  z.rowwise() -= z.colwise().mean();
  return z.transpose() * z;
}

double gaussian_mi(MatrixRef x, MatrixRef y, const std::string& where) {
  const Eigen::Index n = x.rows(), dx = x.cols(), dy = y.cols();
  require(n > dx + dy, where, "n", "> dx + dy = " + std::to_string(dx + dy), n);
  const Eigen::MatrixXd s = centred_scatter(x, y) / static_cast<double>(n - 1);
  return 0.5 * (log_det_spd(s.topLeftCorner(dx, dx), where) +
                log_det_spd(s.bottomRightCorner(dy, dy), where) - log_det_spd(s, where));
}

Estimate GaussianEstimator::estimate(MatrixRef x, MatrixRef y, Rng& /*rng*/) const {
  return {gaussian_mi(x, y, "gaussian"), nlohmann::json::object()};
}

}  // namespace mib
