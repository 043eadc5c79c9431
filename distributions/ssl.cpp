#include "distributions/ssl.hpp"

#include <boost/random/normal_distribution.hpp>
#include <boost/random/uniform_real_distribution.hpp>
#include <cmath>

#include "core/error.hpp"
#include "core/rng.hpp"
#include "distributions/linalg.hpp"

namespace mib {
namespace {

Eigen::MatrixXd gaussian_matrix(int rows, int cols, double sd, Rng& rng) {
  boost::random::normal_distribution<double> normal(0.0, sd);
  Eigen::MatrixXd m(rows, cols);
  for (int i = 0; i < rows; ++i)
    for (int j = 0; j < cols; ++j) m(i, j) = normal(rng);
  return m;
}

// ½ ln(det Σ₁₁ det Σ₂₂ / det Σ) of a joint covariance with blocks of size k and k.
double gaussian_mi(const Eigen::MatrixXd& s, int k, const std::string& where) {
  return 0.5 * (log_det(cholesky(s.topLeftCorner(k, k), where)) +
                log_det(cholesky(s.bottomRightCorner(k, k), where)) - log_det(cholesky(s, where)));
}

class InvertibleNetwork final : public Transform {
 public:
  InvertibleNetwork(int dim, int depth, std::uint64_t seed) : dim_(dim) {
    Rng rng(derive_seed(seed, "invertible-network"));
    boost::random::uniform_real_distribution<double> scale(0.5, 1.5);
    for (int l = 0; l < depth; ++l) {
      Eigen::HouseholderQR<Eigen::MatrixXd> qr(gaussian_matrix(dim, dim, 1.0, rng));
      Eigen::MatrixXd q = qr.householderQ();
      Eigen::VectorXd s(dim);
      for (int i = 0; i < dim; ++i) s(i) = scale(rng);
      q_.push_back(q);
      s_.push_back(s);
      b_.push_back(gaussian_matrix(1, dim, 0.1, rng).row(0).transpose());
    }
  }
  std::size_t output_dim(std::size_t dim, const std::string& where) const override {
    require(dim == static_cast<std::size_t>(dim_), where, "the input dimension",
            std::to_string(dim_) + " (the network's width)", dim);
    return dim;
  }
  Matrix forward(MatrixRef v) const override {
    Matrix h = v;
    for (std::size_t l = 0; l < q_.size(); ++l) {
      // Row-wise: h ← asinh(Q diag(s) h + b), i.e. for the row vector: h diag(s) Qᵀ + bᵀ.
      Matrix z = (h * s_[l].asDiagonal()) * q_[l].transpose();
      z.rowwise() += b_[l].transpose();
      h = z.array().asinh().matrix();
    }
    return h;
  }
  Matrix inverse(MatrixRef w) const override {
    Matrix h = w;
    for (std::size_t l = q_.size(); l-- > 0;) {
      Matrix z = h.array().sinh().matrix();
      z.rowwise() -= b_[l].transpose();
      h = (z * q_[l]) * s_[l].cwiseInverse().asDiagonal();
    }
    return h;
  }

 private:
  int dim_;
  std::vector<Eigen::MatrixXd> q_;
  std::vector<Eigen::VectorXd> s_, b_;
};

}  // namespace

TransformPtr invertible_network(int dim, int depth, std::uint64_t seed) {
  return std::make_shared<InvertibleNetwork>(dim, depth, seed);
}

MultiView::MultiView(int ambient, int content, int style, int shared, double rho, double sigma,
                     std::uint64_t seed, const std::string& where)
    : ambient_(ambient),
      content_(content),
      style_(style),
      shared_(shared),
      rho_(rho),
      sigma_(sigma) {
  const int k = content + style;
  require(content >= 1, where, "content", ">= 1", content);
  require(style >= 0, where, "style", ">= 0", style);
  require(shared >= 0 && shared <= style, where, "shared", "in [0, style]", shared);
  require(ambient >= k, where, "the ambient dimension", ">= content + style = " + std::to_string(k),
          ambient);
  require(std::abs(rho) < 1, where, "rho", "in (-1, 1)", rho);
  require(sigma > 0 && std::isfinite(sigma), where, "sigma", "> 0", sigma);
  for (int v = 0; v < 2; ++v) {
    Rng rng(derive_seed(seed, v == 0 ? "view-1" : "view-2"));
    a_[v] = gaussian_matrix(ambient, k, 1 / std::sqrt(static_cast<double>(k)), rng);
    const Eigen::MatrixXd gram = a_[v].transpose() * a_[v];
    pinv_[v] = gram.llt().solve(a_[v].transpose());
  }
  // Cov(w₁, w₂): I + σ²(A_vᵀA_v)⁻¹ on the diagonal blocks; across, ρ² on content and 1 on the
  // shared style coordinates.
  Eigen::MatrixXd c = Eigen::MatrixXd::Zero(2 * k, 2 * k);
  for (int v = 0; v < 2; ++v) {
    const Eigen::MatrixXd gram = a_[v].transpose() * a_[v];
    c.block(v * k, v * k, k, k) = Eigen::MatrixXd::Identity(k, k) +
                                  sigma * sigma * gram.llt().solve(Eigen::MatrixXd::Identity(k, k));
  }
  for (int i = 0; i < content; ++i) c(i, k + i) = c(k + i, i) = rho * rho;
  for (int i = content; i < content + shared; ++i) c(i, k + i) = c(k + i, i) = 1;
  c = 0.5 * (c + c.transpose());
  w_covariance_ = c;
  mi_ = gaussian_mi(c, k, where);
}

Dims MultiView::dims() const {
  return {static_cast<std::size_t>(ambient_), static_cast<std::size_t>(ambient_)};
}

Sample MultiView::sample(std::size_t n, Rng& rng) const {
  boost::random::normal_distribution<double> normal;
  const int k = content_ + style_;
  const auto rows = static_cast<Eigen::Index>(n);
  Eigen::MatrixXd z1(rows, k), z2(rows, k);
  const double keep = std::sqrt(1 - rho_ * rho_);
  for (Eigen::Index i = 0; i < rows; ++i) {
    for (int j = 0; j < content_; ++j) {
      const double c = normal(rng);
      z1(i, j) = rho_ * c + keep * normal(rng);
      z2(i, j) = rho_ * c + keep * normal(rng);
    }
    for (int j = content_; j < k; ++j) {
      z1(i, j) = normal(rng);
      z2(i, j) = j < content_ + shared_ ? z1(i, j) : normal(rng);
    }
  }
  Sample s{z1 * a_[0].transpose(), z2 * a_[1].transpose()};
  for (Matrix* u : {&s.x, &s.y})
    for (Eigen::Index i = 0; i < rows; ++i)
      for (int j = 0; j < ambient_; ++j) (*u)(i, j) += sigma_ * normal(rng);
  return s;
}

std::optional<Eigen::VectorXd> MultiView::pmi(const Sample& s) const {
  const int k = content_ + style_;
  Eigen::MatrixXd w(s.x.rows(), 2 * k);
  w.leftCols(k) = s.x * pinv_[0].transpose();
  w.rightCols(k) = s.y * pinv_[1].transpose();
  // ln N(w; Σ) − ln N(w₁; Σ₁₁) − ln N(w₂; Σ₂₂); the 2π terms cancel.
  auto log_density = [](const Eigen::MatrixXd& rows, const Eigen::MatrixXd& cov) {
    const Eigen::LLT<Eigen::MatrixXd> llt(cov);
    const Eigen::MatrixXd l = llt.matrixL();
    const Eigen::MatrixXd solved = l.triangularView<Eigen::Lower>().solve(rows.transpose());
    const double half_log_det = l.diagonal().array().log().sum();
    return Eigen::VectorXd(-0.5 * solved.colwise().squaredNorm().transpose().array() -
                           half_log_det);
  };
  return log_density(w, w_covariance_) -
         log_density(w.leftCols(k), w_covariance_.topLeftCorner(k, k)) -
         log_density(w.rightCols(k), w_covariance_.bottomRightCorner(k, k));
}

}  // namespace mib
