#include "distributions/additive_uniform.hpp"

#include <algorithm>
#include <boost/random/uniform_real_distribution.hpp>
#include <cmath>

#include "core/error.hpp"

namespace mib {

AdditiveUniform::AdditiveUniform(double epsilon, const std::string& where) : epsilon_(epsilon) {
  require(epsilon > 0 && std::isfinite(epsilon), where, "epsilon", "> 0 and finite", epsilon);
}

GroundTruth AdditiveUniform::mutual_information() const {
  const double e = epsilon_;
  return {e <= 0.5 ? e - std::log(2 * e) : 1 / (4 * e), 0.0, "closed-form"};
}

Sample AdditiveUniform::sample(std::size_t n, Rng& rng) const {
  const auto rows = static_cast<Eigen::Index>(n);
  boost::random::uniform_real_distribution<double> unit(0.0, 1.0), noise(-epsilon_, epsilon_);
  Sample s{Matrix(rows, 1), Matrix(rows, 1)};
  for (Eigen::Index i = 0; i < rows; ++i) {
    s.x(i, 0) = unit(rng);
    s.y(i, 0) = s.x(i, 0) + noise(rng);
  }
  return s;
}

std::optional<Eigen::VectorXd> AdditiveUniform::pmi(const Sample& s) const {
  Eigen::VectorXd out(s.y.rows());
  for (Eigen::Index i = 0; i < s.y.rows(); ++i) {
    const double y = s.y(i, 0);
    out(i) = -std::log(std::min(1.0, y + epsilon_) - std::max(0.0, y - epsilon_));
  }
  return out;
}

}  // namespace mib
