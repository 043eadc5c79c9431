#include "distributions/mixture.hpp"

#include <algorithm>
#include <boost/random/normal_distribution.hpp>
#include <boost/random/uniform_01.hpp>
#include <cmath>

#include "core/error.hpp"
#include "core/stats.hpp"
#include "distributions/linalg.hpp"

namespace mib {
namespace {
const double kLog2Pi = 1.837877066409345483560659472811235279;
}  // namespace

GaussianMixture::GaussianMixture(std::size_t dx, std::size_t dy,
                                 std::vector<MixtureComponent> components,
                                 std::optional<GroundTruth> truth, const std::string& where)
    : dx_(dx), dy_(dy), truth_(std::move(truth)) {
  require(dx >= 1 && dy >= 1, where, "dim_x and dim_y", ">= 1",
          std::to_string(dx) + " and " + std::to_string(dy));
  require(!components.empty(), where, "the number of components", ">= 1", 0);
  const auto d = static_cast<Eigen::Index>(dx + dy);
  const auto ix = static_cast<Eigen::Index>(dx), iy = static_cast<Eigen::Index>(dy);
  double total = 0;
  for (const auto& c : components) {
    require(c.weight > 0 && std::isfinite(c.weight), where, "each weight", "> 0", c.weight);
    require(c.mean.size() == d, where, "each mean's size", std::to_string(d), c.mean.size());
    total += c.weight;
  }
  auto part = [](double w, const Eigen::VectorXd& mean, const Eigen::MatrixXd& cov,
                 const std::string& here) {
    check_symmetric(cov, mean.size(), here);
    Part p{std::log(w), mean, cholesky(cov, here), 0};
    p.log_norm = -0.5 * (static_cast<double>(mean.size()) * kLog2Pi + log_det(p.chol));
    return p;
  };
  double running = 0;
  for (const auto& c : components) {
    const double w = c.weight / total;
    running += w;
    cumulative_.push_back(running);
    joint_.push_back(part(w, c.mean, c.covariance, where));
    x_.push_back(part(w, c.mean.head(ix), c.covariance.topLeftCorner(ix, ix), where));
    y_.push_back(part(w, c.mean.tail(iy), c.covariance.bottomRightCorner(iy, iy), where));
  }
  cumulative_.back() = 1.0;
}

Sample GaussianMixture::sample(std::size_t n, Rng& rng) const {
  const auto d = static_cast<Eigen::Index>(dx_ + dy_);
  boost::random::uniform_01<double> uniform;
  boost::random::normal_distribution<double> normal;
  Matrix joint(static_cast<Eigen::Index>(n), d);
  Eigen::VectorXd z(d);
  for (Eigen::Index r = 0; r < joint.rows(); ++r) {
    const double u = uniform(rng);
    std::size_t k = 0;
    while (k + 1 < cumulative_.size() && u >= cumulative_[k]) ++k;
    for (Eigen::Index j = 0; j < d; ++j) z(j) = normal(rng);
    joint.row(r) = (joint_[k].mean + joint_[k].chol * z).transpose();
  }
  const auto ix = static_cast<Eigen::Index>(dx_);
  return {joint.leftCols(ix), joint.rightCols(d - ix)};
}

Eigen::VectorXd GaussianMixture::log_density(const std::vector<Part>& parts, MatrixRef v) {
  Eigen::MatrixXd terms(v.rows(), static_cast<Eigen::Index>(parts.size()));
  for (std::size_t k = 0; k < parts.size(); ++k) {
    const Matrix centred = v.rowwise() - parts[k].mean.transpose();
    terms.col(static_cast<Eigen::Index>(k)) = (parts[k].log_weight + parts[k].log_norm -
                                               0.5 * mahalanobis(parts[k].chol, centred).array())
                                                  .matrix();
  }
  const Eigen::VectorXd top = terms.rowwise().maxCoeff();
  return top.array() + (terms.colwise() - top).array().exp().rowwise().sum().log();
}

std::optional<Eigen::VectorXd> GaussianMixture::pmi(const Sample& s) const {
  return (log_density(joint_, hstack(s.x, s.y)) - log_density(x_, s.x) - log_density(y_, s.y))
      .eval();
}

GroundTruth GaussianMixture::mutual_information() const {
  std::call_once(once_, [this] {
    if (!truth_) truth_ = monte_carlo_mi(*this, 200000, 0);
  });
  return *truth_;
}

GroundTruth monte_carlo_mi(const Distribution& d, std::size_t m, std::uint64_t seed) {
  require(m >= 2, "monte_carlo_mi", "the number of draws", ">= 2", m);
  Rng rng(seed);
  // Blocks of at most 100 000 rows and 2^24 values per matrix (high-dimensional laws such as
  // images); for every law of at most 167 columns the blocks, and so the draws, are as before.
  const std::size_t columns = d.dims().x + d.dims().y + d.dims().z;
  // Dependent rows (windows of one time series): blocks of 1 000 rows, each a series of its
  // own, and the standard error from the spread of the block means (batch means).
  const bool iid = d.independent_rows();
  const std::size_t block =
      iid ? std::clamp<std::size_t>((std::size_t{1} << 24) / columns, 1000, 100000) : 1000;
  stats::Moments moments, block_means;
  for (std::size_t done = 0; done < m; done += block) {
    const auto values = d.pmi(d.sample(std::min(block, m - done), rng));
    require(values.has_value(), "monte_carlo_mi", "the law", "one with a known PMI", "without");
    moments.add(values->data(), static_cast<std::size_t>(values->size()));
    const double mean = values->mean();
    block_means.add(&mean, 1);
  }
  if (!iid) {
    require(block_means.count() >= 10, "monte_carlo_mi", "the number of draws",
            ">= 10 000 for a law with dependent rows", m);
  }
  return {moments.mean(), iid ? moments.standard_error() : block_means.standard_error(),
          "monte-carlo (" + std::to_string(m) + " draws, seed " + std::to_string(seed) +
              (iid ? ")" : ", batch means of 1000)")};
}

}  // namespace mib
