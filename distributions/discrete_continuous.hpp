#pragma once
// Discrete–continuous laws of Gao, Kannan, Oh & Viswanath, "Estimating mutual information for
// discrete-continuous mixtures", NeurIPS 2017 (as in bmi's
// src/bmi/samplers/_discrete_continuous.py). Both have an exact PMI.

#include "distributions/distribution.hpp"

namespace mib {

/// X ~ Uniform{0, …, m−1}, Y = X + U(0, 2). MI = ln m − ((m − 1)/m) ln 2.
/// PMI = ln m − ln c(y) with c(y) = #{k : k <= y < k + 2} ∈ {1, 2}.
class DiscreteUniformMixture final : public Distribution {
 public:
  explicit DiscreteUniformMixture(int m, const std::string& where = "discrete-uniform-mixture");
  Dims dims() const override { return {1, 1}; }
  GroundTruth mutual_information() const override;
  Sample sample(std::size_t n, Rng& rng) const override;
  std::optional<Eigen::VectorXd> pmi(const Sample& s) const override;

 private:
  int m_;
};

/// X ~ Exp(1), B ~ Bernoulli(1 − p), Y = B · Poisson(X).
/// p(y | x) = p[y = 0] + (1 − p) e^{−x} x^y / y!, and integrating over x,
/// p(y) = p[y = 0] + (1 − p) 2^{−(y+1)}, so the PMI is exact. The MI is
///   I = Σ_y ∫₀^∞ e^{−x} p(y | x) ln(p(y | x) / p(y)) dx,
/// integrated numerically (exp-sinh quadrature, y up to 200, error < 1e-10). For p = 0 it is
/// 2 ln 2 − γ − Σ_{k>=1} ln k · 2^{−k} = 0.3012448 (Gao et al. 2017). Note: Gao et al. and bmi
/// give (1 − p) times that for p > 0, which is I(X; Y | B), not I(X; Y) — a zero from B = 0
/// cannot be told from a Poisson zero. For p = 0.15 that is 0.256058; the MI is 0.229776.
class ZeroInflatedPoissonization final : public Distribution {
 public:
  explicit ZeroInflatedPoissonization(double p,
                                      const std::string& where = "zero-inflated-poissonization");
  Dims dims() const override { return {1, 1}; }
  GroundTruth mutual_information() const override;
  Sample sample(std::size_t n, Rng& rng) const override;
  std::optional<Eigen::VectorXd> pmi(const Sample& s) const override;

 private:
  double p_;
};

}  // namespace mib
