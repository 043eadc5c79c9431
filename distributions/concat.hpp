#pragma once
// Independent concatenation: (X, Y) = ((X₁, X₂), (Y₁, Y₂)) with (X₁, Y₁) ⊥ (X₂, Y₂).
// MI adds (chain rule), standard errors add in quadrature, PMIs add. With conditioning
// variables, Z = (Z₁, Z₂) (a part without one adds none) and I(X; Y | Z) = I₁ + I₂ likewise.

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
  bool independent_rows() const override {
    return first_->independent_rows() && second_->independent_rows();
  }

 private:
  std::shared_ptr<const Distribution> first_, second_;
};

}  // namespace mib
