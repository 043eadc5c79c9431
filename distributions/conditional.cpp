#include "distributions/conditional.hpp"

#include <boost/random/normal_distribution.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <cmath>

#include "core/error.hpp"
#include "distributions/linalg.hpp"

namespace mib {
namespace {

// The rows and columns idx of m, in that order.
Eigen::MatrixXd select(const Eigen::MatrixXd& m, const std::vector<Eigen::Index>& idx) {
  const auto d = static_cast<Eigen::Index>(idx.size());
  Eigen::MatrixXd out(d, d);
  for (Eigen::Index i = 0; i < d; ++i)
    for (Eigen::Index j = 0; j < d; ++j)
      out(i, j) = m(idx[static_cast<std::size_t>(i)], idx[static_cast<std::size_t>(j)]);
  return out;
}

// The block of m over the index ranges [start, start + count).
Eigen::MatrixXd block(const Eigen::MatrixXd& m,
                      std::initializer_list<std::pair<Eigen::Index, Eigen::Index>> ranges) {
  std::vector<Eigen::Index> idx;
  for (const auto& range : ranges)
    for (Eigen::Index i = 0; i < range.second; ++i) idx.push_back(range.first + i);
  return select(m, idx);
}

}  // namespace

GaussianTriple::GaussianTriple(std::size_t dx, std::size_t dy, std::size_t dz,
                               const Eigen::MatrixXd& covariance, const std::string& where)
    : dims_{dx, dy, dz}, covariance_(covariance) {
  require(dx >= 1 && dy >= 1 && dz >= 1, where, "dim_x, dim_y and dim_z", ">= 1",
          std::to_string(dx) + ", " + std::to_string(dy) + ", " + std::to_string(dz));
  const auto x = static_cast<Eigen::Index>(dx), y = static_cast<Eigen::Index>(dy),
             z = static_cast<Eigen::Index>(dz);
  check_symmetric(covariance, x + y + z, where);
  chol_ = cholesky(covariance, where);
  chol_xz_ = cholesky(block(covariance, {{0, x}, {x + y, z}}), where);
  chol_yz_ = cholesky(block(covariance, {{x, y + z}}), where);
  chol_z_ = cholesky(block(covariance, {{x + y, z}}), where);
  cmi_ = 0.5 * (log_det(chol_xz_) + log_det(chol_yz_) - log_det(chol_z_) - log_det(chol_));
}

double GaussianTriple::unconditional_mi() const {
  const auto x = static_cast<Eigen::Index>(dims_.x), y = static_cast<Eigen::Index>(dims_.y);
  const Eigen::MatrixXd xy = covariance_.topLeftCorner(x + y, x + y);
  return 0.5 * (log_det(cholesky(xy.topLeftCorner(x, x), "x")) +
                log_det(cholesky(xy.bottomRightCorner(y, y), "y")) - log_det(cholesky(xy, "xy")));
}

Sample GaussianTriple::sample(std::size_t n, Rng& rng) const {
  Sample s;
  Matrix rest;
  gaussian_rows(chol_, n, dims_.x, rng, s.x, rest);
  const auto y = static_cast<Eigen::Index>(dims_.y);
  s.y = rest.leftCols(y);
  s.z = rest.rightCols(rest.cols() - y);
  return s;
}

std::optional<Eigen::VectorXd> GaussianTriple::pmi(const Sample& s) const {
  // ln N(xyz) + ln N(z) − ln N(xz) − ln N(yz): the 2π terms cancel (d_xyz + d_z = d_xz + d_yz)
  // and the log-determinants give the CMI.
  const Matrix xz = hstack(s.x, s.z), yz = hstack(s.y, s.z);
  const Matrix xyz = hstack(s.x, yz);
  return (cmi_ - 0.5 * (mahalanobis(chol_, xyz) + mahalanobis(chol_z_, s.z) -
                        mahalanobis(chol_xz_, xz) - mahalanobis(chol_yz_, yz))
                           .array())
      .matrix();
}

// ---- discrete Z -----------------------------------------------------------------------------

DiscreteZGaussian::DiscreteZGaussian(int m, double rho, const std::string& where)
    : m_(m), rho_(rho) {
  require(m >= 1 && m <= 1000, where, "m", "in [1, 1000]", m);
  require(std::abs(rho) < 1, where, "rho", "in (-1, 1)", rho);
}

GroundTruth DiscreteZGaussian::mutual_information() const {
  double sum = 0;
  for (int z = 0; z < m_; ++z) {
    const double r = rho_ * (z + 1) / m_;
    sum += -0.5 * std::log1p(-r * r);
  }
  return {sum / m_, 0.0, "closed-form"};
}

Sample DiscreteZGaussian::sample(std::size_t n, Rng& rng) const {
  boost::random::uniform_int_distribution<int> pick(0, m_ - 1);
  boost::random::normal_distribution<double> normal;
  const auto rows = static_cast<Eigen::Index>(n);
  Sample s{Matrix(rows, 1), Matrix(rows, 1), Matrix(rows, 1)};
  for (Eigen::Index i = 0; i < rows; ++i) {
    const int z = pick(rng);
    const double u = normal(rng), v = normal(rng);
    const double r = rho_ * (z + 1) / m_;
    s.z(i, 0) = z;
    s.x(i, 0) = z + u;
    s.y(i, 0) = z + r * u + std::sqrt(1 - r * r) * v;
  }
  return s;
}

std::optional<Eigen::VectorXd> DiscreteZGaussian::pmi(const Sample& s) const {
  Eigen::VectorXd out(s.x.rows());
  for (Eigen::Index i = 0; i < s.x.rows(); ++i) {
    const double z = std::round(s.z(i, 0));
    require(z >= 0 && z < m_ && z == s.z(i, 0), "discrete-z pmi", "z", "an integer in [0, m)",
            s.z(i, 0));
    const double r = rho_ * (z + 1) / m_;
    const double u = s.x(i, 0) - z, v = s.y(i, 0) - z;
    out(i) =
        -0.5 * std::log1p(-r * r) - (r * r * (u * u + v * v) - 2 * r * u * v) / (2 * (1 - r * r));
  }
  return out;
}

// ---- transfer entropy -----------------------------------------------------------------------

Eigen::MatrixXd VarTransferEntropy::window_covariance(double a, double b, double c, int lag) {
  Eigen::Matrix2d A;
  A << a, 0, c, b;
  // Σ = A Σ Aᵀ + I  ⇔  (I − A ⊗ A) vec Σ = vec I (column-major vec).
  Eigen::Matrix4d kron;
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 2; ++j) kron.block<2, 2>(2 * i, 2 * j) = A(i, j) * A;
  const Eigen::Vector4d vec_sigma =
      (Eigen::Matrix4d::Identity() - kron).fullPivLu().solve(Eigen::Vector4d(1, 0, 0, 1));
  Eigen::Matrix2d sigma;
  sigma << vec_sigma(0), vec_sigma(2), vec_sigma(1), vec_sigma(3);
  sigma = 0.5 * (sigma + sigma.transpose()).eval();
  const int blocks = lag + 1;  // state_{t+1}, state_t, …, state_{t−lag+1}
  Eigen::MatrixXd out(2 * blocks, 2 * blocks);
  Eigen::Matrix2d power = Eigen::Matrix2d::Identity();  // A^h
  std::vector<Eigen::Matrix2d> lagged;                  // Γ(h) = A^h Σ = Cov(s_{u+h}, s_u)
  for (int h = 0; h < blocks; ++h) {
    lagged.push_back(power * sigma);
    power = (power * A).eval();
  }
  for (int i = 0; i < blocks; ++i) {
    for (int j = i; j < blocks; ++j) {  // block i is later than block j by j − i steps
      out.block<2, 2>(2 * i, 2 * j) = lagged[static_cast<std::size_t>(j - i)];
      out.block<2, 2>(2 * j, 2 * i) = lagged[static_cast<std::size_t>(j - i)].transpose();
    }
  }
  return out;
}

namespace {

// The stationary covariance of one row (x, y, z) of the task: x the source's history, y the
// target's next value, z the target's history (state coordinate 0 is X, 1 is Y).
Eigen::MatrixXd row_covariance(bool x_to_y, int lag, double a, double b, double c) {
  const Eigen::MatrixXd w = VarTransferEntropy::window_covariance(a, b, c, lag);
  const Eigen::Index source = x_to_y ? 0 : 1, target = 1 - source;
  std::vector<Eigen::Index> idx;
  for (int k = 1; k <= lag; ++k) idx.push_back(2 * k + source);
  idx.push_back(target);
  for (int k = 1; k <= lag; ++k) idx.push_back(2 * k + target);
  return select(w, idx);
}

int checked(int lag, double a, double b, double c, const std::string& where) {
  require(lag >= 1 && lag <= 50, where, "the history length lag", "in [1, 50]", lag);
  // A = [[a, 0], [c, b]] has eigenvalues a and b: stationary when both are inside (−1, 1).
  require(std::abs(a) < 1 && std::abs(b) < 1, where, "the autoregression coefficients a and b",
          "in (-1, 1) (a stationary process)", std::to_string(a) + ", " + std::to_string(b));
  require(std::isfinite(c), where, "the coupling c", "finite", c);
  return lag;
}

}  // namespace

VarTransferEntropy::VarTransferEntropy(bool x_to_y, int lag, double a, double b, double c,
                                       const std::string& where)
    : x_to_y_(x_to_y),
      lag_(checked(lag, a, b, c, where)),
      a_(a),
      b_(b),
      c_(c),
      stationary_(static_cast<std::size_t>(lag), 1, static_cast<std::size_t>(lag),
                  row_covariance(x_to_y, lag, a, b, c), where) {}

Sample VarTransferEntropy::sample(std::size_t n, Rng& rng) const {
  boost::random::normal_distribution<double> normal;
  const std::size_t length = n + static_cast<std::size_t>(lag_);
  std::vector<double> xs(length), ys(length);
  double x = 0, y = 0;
  for (std::size_t t = 0; t < kBurnIn + length; ++t) {
    const double e = normal(rng), h = normal(rng);
    const double next_x = a_ * x + e, next_y = b_ * y + c_ * x + h;
    x = next_x;
    y = next_y;
    if (t >= kBurnIn) {
      xs[t - kBurnIn] = x;
      ys[t - kBurnIn] = y;
    }
  }
  const std::vector<double>& source = x_to_y_ ? xs : ys;
  const std::vector<double>& target = x_to_y_ ? ys : xs;
  const auto rows = static_cast<Eigen::Index>(n), l = static_cast<Eigen::Index>(lag_);
  Sample s{Matrix(rows, l), Matrix(rows, 1), Matrix(rows, l)};
  for (Eigen::Index r = 0; r < rows; ++r) {
    const auto next = static_cast<std::size_t>(r + l);  // time t + 1 of this row
    s.y(r, 0) = target[next];
    for (Eigen::Index k = 1; k <= l; ++k) {  // column k − 1 holds time t + 1 − k
      s.x(r, k - 1) = source[next - static_cast<std::size_t>(k)];
      s.z(r, k - 1) = target[next - static_cast<std::size_t>(k)];
    }
  }
  return s;
}

}  // namespace mib
