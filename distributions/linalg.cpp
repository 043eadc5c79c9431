#include "distributions/linalg.hpp"

#include "core/error.hpp"

namespace mib {

Eigen::MatrixXd cholesky(const Eigen::MatrixXd& m, const std::string& where) {
  Eigen::LLT<Eigen::MatrixXd> llt(m);
  if (llt.info() != Eigen::Success) {
    fail(where, "the covariance", "positive definite", "not (Cholesky failed)");
  }
  Eigen::MatrixXd l = llt.matrixL();
  if (!(l.diagonal().array() > 0).all() || !l.allFinite()) {
    fail(where, "the covariance", "positive definite", "singular");
  }
  return l;
}

double log_det(const Eigen::MatrixXd& chol) { return 2.0 * chol.diagonal().array().log().sum(); }

Eigen::VectorXd mahalanobis(const Eigen::MatrixXd& chol, MatrixRef v) {
  const Eigen::MatrixXd w = chol.triangularView<Eigen::Lower>().solve(v.transpose());
  return w.colwise().squaredNorm().transpose();
}

void check_symmetric(const Eigen::MatrixXd& m, Eigen::Index d, const std::string& where) {
  require(m.rows() == d && m.cols() == d, where, "the covariance",
          std::to_string(d) + " x " + std::to_string(d),
          std::to_string(m.rows()) + " x " + std::to_string(m.cols()));
  require(m.allFinite(), where, "the covariance", "finite", "not");
  const double scale = m.cwiseAbs().maxCoeff();
  require((m - m.transpose()).cwiseAbs().maxCoeff() <= 1e-12 * scale, where, "the covariance",
          "symmetric", "not symmetric");
}

Matrix hstack(MatrixRef x, MatrixRef y) {
  Matrix joint(x.rows(), x.cols() + y.cols());
  joint << x, y;
  return joint;
}

}  // namespace mib
