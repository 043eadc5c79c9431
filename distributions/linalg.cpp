#include "distributions/linalg.hpp"

#include <sys/mman.h>

#include <algorithm>
#include <boost/random/normal_distribution.hpp>
#include <cstdint>
#include <vector>

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

namespace {

constexpr std::size_t kBlock = 4;  // output columns per register tile
constexpr std::size_t kRows = 4;   // rows per tile: enough independent sums to fill the pipes

// out[r][j] = Σ_{k <= j} z[r][k] U[k][j] for kRows rows (row-major, d apart), U = Lᵀ padded
// with zeros to a multiple of kBlock columns. Each output sums k in ascending order, as the
// textbook loop does, and the padding adds exact zeros: the bits equal the naive product's,
// whatever the vector width the compiler picks.
[[gnu::noinline]] void triangular_rows(const double* __restrict upper, std::size_t d,
                                       std::size_t padded, const double* __restrict z,
                                       double* __restrict out) {
  for (std::size_t jb = 0; jb < d; jb += kBlock) {
    double acc[kRows][kBlock] = {};
    const std::size_t k_end = std::min(d, jb + kBlock);
    for (std::size_t k = 0; k < k_end; ++k) {
      const double* u = upper + k * padded + jb;
      for (std::size_t r = 0; r < kRows; ++r) {
        const double zk = z[r * d + k];
        for (std::size_t t = 0; t < kBlock; ++t) acc[r][t] += zk * u[t];
      }
    }
    for (std::size_t r = 0; r < kRows; ++r) {
      for (std::size_t t = 0; t < kBlock && jb + t < d; ++t) out[r * d + jb + t] = acc[r][t];
    }
  }
}

}  // namespace

void advise_huge_pages(double* data, std::size_t count) {
  const std::size_t huge = std::size_t{2} << 20;
  const auto begin = (reinterpret_cast<std::uintptr_t>(data) + huge - 1) / huge * huge;
  const auto end = reinterpret_cast<std::uintptr_t>(data + count) / huge * huge;
  if (end > begin) ::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
}

void gaussian_rows(const Eigen::MatrixXd& chol, std::size_t n, std::size_t dx, Rng& rng, Matrix& x,
                   Matrix& y, const std::function<double(Rng&)>& row_scale) {
  const auto d = static_cast<std::size_t>(chol.rows());
  const std::size_t padded = (d + kBlock - 1) / kBlock * kBlock;
  std::vector<double> upper(d * padded, 0.0);  // Lᵀ: row k holds L[:, k], zero before column k
  for (std::size_t k = 0; k < d; ++k) {
    for (std::size_t j = k; j < d; ++j) {
      upper[k * padded + j] = chol(static_cast<Eigen::Index>(j), static_cast<Eigen::Index>(k));
    }
  }
  x.resize(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(dx));
  y.resize(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(d - dx));
  advise_huge_pages(x.data(), static_cast<std::size_t>(x.size()));
  advise_huge_pages(y.data(), static_cast<std::size_t>(y.size()));
  boost::random::normal_distribution<double> normal;
  // Draws for a batch of rows first, then the products: the kernel's Lᵀ stays in L1 cache
  // instead of being evicted by the ziggurat tables between tiles.
  constexpr std::size_t kBatch = 8 * kRows;
  std::vector<double> z(kBatch * d), out(kBatch * d);
  double scale[kBatch];
  for (std::size_t i = 0; i < n; i += kBatch) {
    const std::size_t rows = std::min(kBatch, n - i);
    std::fill(z.begin(), z.end(), 0.0);
    for (std::size_t r = 0; r < rows; ++r) {  // the draws of row i, then of row i + 1, ...
      scale[r] = row_scale ? row_scale(rng) : 1.0;
      for (std::size_t k = 0; k < d; ++k) z[r * d + k] = normal(rng);
    }
    for (std::size_t r = 0; r < rows; r += kRows) {
      triangular_rows(upper.data(), d, padded, z.data() + r * d, out.data() + r * d);
    }
    for (std::size_t r = 0; r < rows; ++r) {
      const auto row = static_cast<Eigen::Index>(i + r);
      for (std::size_t j = 0; j < dx; ++j)
        x(row, static_cast<Eigen::Index>(j)) = scale[r] * out[r * d + j];
      for (std::size_t j = dx; j < d; ++j)
        y(row, static_cast<Eigen::Index>(j - dx)) = scale[r] * out[r * d + j];
    }
  }
}

}  // namespace mib
