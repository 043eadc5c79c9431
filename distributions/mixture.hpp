#pragma once
// Gaussian mixtures ("fine" distributions, Czyż et al., "The mixtures and the neural critics",
// NeurIPS 2023; bmi's src/bmi/benchmark/tasks/mixtures.py): (X, Y) ~ Σ_k w_k N(μ_k, Σ_k).
// The density and both marginal densities (mixtures of the components' marginals) are exact,
// so the PMI is exact; the MI is the Monte Carlo mean of the PMI over m draws, with standard
// error sd(PMI)/sqrt(m). Named tasks carry a stored value from 10⁶ draws (see
// distributions/mixture_truths.cpp for the command that regenerates it); others compute
// 2·10⁵ draws on first use.

#include <mutex>
#include <optional>
#include <vector>

#include "distributions/distribution.hpp"

namespace mib {

struct MixtureComponent {
  double weight;
  Eigen::VectorXd mean;        ///< dx + dy, X coordinates first
  Eigen::MatrixXd covariance;  ///< (dx + dy) × (dx + dy), SPD
};

class GaussianMixture final : public Distribution {
 public:
  /// Weights > 0 (normalised here); every component's mean and covariance of size dx + dy.
  /// `truth`: a stored Monte Carlo value; without one, mutual_information() computes it.
  GaussianMixture(std::size_t dx, std::size_t dy, std::vector<MixtureComponent> components,
                  std::optional<GroundTruth> truth = std::nullopt,
                  const std::string& where = "mixture");
  Dims dims() const override { return {dx_, dy_}; }
  GroundTruth mutual_information() const override;
  Sample sample(std::size_t n, Rng& rng) const override;
  std::optional<Eigen::VectorXd> pmi(const Sample& s) const override;

 private:
  struct Part {  // one component restricted to a block of coordinates
    double log_weight;
    Eigen::VectorXd mean;
    Eigen::MatrixXd chol;
    double log_norm;  // −½(d ln 2π + ln det Σ)
  };
  static Eigen::VectorXd log_density(const std::vector<Part>& parts, MatrixRef v);
  std::size_t dx_, dy_;
  std::vector<double> cumulative_;
  std::vector<Part> joint_, x_, y_;
  mutable std::once_flag once_;
  mutable std::optional<GroundTruth> truth_;
};

/// Monte Carlo estimate of MI as the mean PMI over m draws with `seed`, with its standard
/// error. Throws InvalidArgument when the law has no PMI.
GroundTruth monte_carlo_mi(const Distribution& d, std::size_t m, std::uint64_t seed);

}  // namespace mib
