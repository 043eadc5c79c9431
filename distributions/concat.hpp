#pragma once
// Independent concatenation: (X, Y) = ((X₁, X₂), (Y₁, Y₂)) with (X₁, Y₁) ⊥ (X₂, Y₂).
// MI adds (chain rule), standard errors add in quadrature, PMIs add.

#include <memory>

#include "distributions/distribution.hpp"

namespace mib {

class IndependentConcat final : public Distribution {
 public:
  IndependentConcat(std::shared_ptr<const Distribution> first,
                    std::shared_ptr<const Distribution> second)
      : first_(std::move(first)), second_(std::move(second)) {}
  Dims dims() const override;
  GroundTruth mutual_information() const override;
  /// Draws the first law's n rows, then the second's, from the same engine.
  Sample sample(std::size_t n, Rng& rng) const override;
  std::optional<Eigen::VectorXd> pmi(const Sample& s) const override;

 private:
  std::shared_ptr<const Distribution> first_, second_;
};

}  // namespace mib
