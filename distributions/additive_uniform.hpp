#pragma once
// Additive uniform noise: X ~ U(0, 1), Y = X + N with N ~ U(−ε, ε) (bmi's
// src/bmi/samplers/_additive_uniform.py). MI = ε − ln(2ε) for ε <= ½, else 1/(4ε):
// h(Y) − h(N) with h(N) = ln(2ε) and h(Y) of the trapezoidal density of Y.
// PMI(x, y) = ln p(y | x) − ln p(y) = −ln |[0, 1] ∩ [y − ε, y + ε]|.

#include "distributions/distribution.hpp"

namespace mib {

class AdditiveUniform final : public Distribution {
 public:
  /// Throws InvalidArgument unless ε > 0 and finite.
  explicit AdditiveUniform(double epsilon, const std::string& where = "additive");
  Dims dims() const override { return {1, 1}; }
  GroundTruth mutual_information() const override;
  Sample sample(std::size_t n, Rng& rng) const override;
  std::optional<Eigen::VectorXd> pmi(const Sample& s) const override;

 private:
  double epsilon_;
};

}  // namespace mib
