#include "distributions/discrete_continuous.hpp"

#include <boost/math/quadrature/exp_sinh.hpp>
#include <boost/random/bernoulli_distribution.hpp>
#include <boost/random/exponential_distribution.hpp>
#include <boost/random/poisson_distribution.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <boost/random/uniform_real_distribution.hpp>
#include <cmath>

#include "core/error.hpp"

namespace mib {
namespace {
const double kLn2 = 0.693147180559945309417232121458176568;
}  // namespace

DiscreteUniformMixture::DiscreteUniformMixture(int m, const std::string& where) : m_(m) {
  require(m >= 1, where, "m", ">= 1", m);
}

GroundTruth DiscreteUniformMixture::mutual_information() const {
  const double m = m_;
  return {std::log(m) - (m - 1) / m * kLn2, 0.0, "closed-form"};
}

Sample DiscreteUniformMixture::sample(std::size_t n, Rng& rng) const {
  boost::random::uniform_int_distribution<int> label(0, m_ - 1);
  boost::random::uniform_real_distribution<double> noise(0.0, 2.0);
  Sample s{Matrix(static_cast<Eigen::Index>(n), 1), Matrix(static_cast<Eigen::Index>(n), 1)};
  for (Eigen::Index i = 0; i < s.x.rows(); ++i) {
    s.x(i, 0) = label(rng);
    s.y(i, 0) = s.x(i, 0) + noise(rng);
  }
  return s;
}

std::optional<Eigen::VectorXd> DiscreteUniformMixture::pmi(const Sample& s) const {
  Eigen::VectorXd out(s.y.rows());
  for (Eigen::Index i = 0; i < s.y.rows(); ++i) {
    const double y = s.y(i, 0);
    int count = 0;
    for (int k : {static_cast<int>(std::floor(y)) - 1, static_cast<int>(std::floor(y))}) {
      count += (k >= 0 && k < m_ && k <= y && y < k + 2) ? 1 : 0;
    }
    out(i) = std::log(static_cast<double>(m_)) - std::log(static_cast<double>(count));
  }
  return out;
}

ZeroInflatedPoissonization::ZeroInflatedPoissonization(double p, const std::string& where) : p_(p) {
  require(p >= 0 && p < 1, where, "p", "in [0, 1)", p);
}

GroundTruth ZeroInflatedPoissonization::mutual_information() const {
  boost::math::quadrature::exp_sinh<double> integrator;
  double total = 0;
  for (int y = 0; y <= 200; ++y) {
    const double marginal = (y == 0 ? p_ : 0.0) + (1 - p_) * std::ldexp(1.0, -y - 1);
    auto integrand = [&](double x) {
      if (!(x > 0)) return 0.0;
      const double poisson = std::exp(-x + y * std::log(x) - std::lgamma(y + 1.0));
      const double conditional = (y == 0 ? p_ : 0.0) + (1 - p_) * poisson;
      return conditional > 0 ? std::exp(-x) * conditional * std::log(conditional / marginal) : 0.0;
    };
    total += integrator.integrate(integrand, 1e-10);
  }
  return {total, 0.0, "closed-form"};
}

Sample ZeroInflatedPoissonization::sample(std::size_t n, Rng& rng) const {
  boost::random::exponential_distribution<double> exponential(1.0);
  boost::random::bernoulli_distribution<double> keep(1 - p_);
  Sample s{Matrix(static_cast<Eigen::Index>(n), 1), Matrix(static_cast<Eigen::Index>(n), 1)};
  for (Eigen::Index i = 0; i < s.x.rows(); ++i) {
    const double x = exponential(rng);
    s.x(i, 0) = x;
    const bool kept = keep(rng);
    s.y(i, 0) = (kept && x > 0)
                    ? static_cast<double>(boost::random::poisson_distribution<long, double>(x)(rng))
                    : 0.0;
  }
  return s;
}

std::optional<Eigen::VectorXd> ZeroInflatedPoissonization::pmi(const Sample& s) const {
  Eigen::VectorXd out(s.y.rows());
  for (Eigen::Index i = 0; i < s.y.rows(); ++i) {
    const double x = s.x(i, 0), y = s.y(i, 0);
    const double zero = y == 0 ? p_ : 0.0;
    const double poisson = std::exp(-x + y * std::log(x) - std::lgamma(y + 1));
    const double conditional = zero + (1 - p_) * poisson;
    const double marginal = zero + (1 - p_) * std::ldexp(1.0, -static_cast<int>(y) - 1);
    out(i) = std::log(conditional) - std::log(marginal);
  }
  return out;
}

}  // namespace mib
