#pragma once
// Transformed(base, fx, fy): (fx(X), fy(Y)) for (X, Y) ~ base. Injective fx, fy keep the MI
// (Cover & Thomas, 2nd ed., eq. 2.119 / data processing both ways), and the PMI of the
// result is the base PMI at the pre-image (the Jacobians cancel between joint and marginals).

#include <memory>

#include "distributions/distribution.hpp"
#include "distributions/transforms.hpp"

namespace mib {

class Transformed final : public Distribution {
 public:
  /// fx or fy may be null (identity). Throws InvalidArgument naming `where` when a map does
  /// not act on its side's dimension.
  Transformed(std::shared_ptr<const Distribution> base, TransformPtr fx, TransformPtr fy,
              const std::string& where = "transformed");
  Dims dims() const override { return dims_; }
  GroundTruth mutual_information() const override { return base_->mutual_information(); }
  Sample sample(std::size_t n, Rng& rng) const override;
  std::optional<Eigen::VectorXd> pmi(const Sample& s) const override;

 private:
  std::shared_ptr<const Distribution> base_;
  TransformPtr fx_, fy_;
  Dims dims_;
};

}  // namespace mib
