#pragma once
// Transformed(base, fx, fy, where, fz): (fx(X), fy(Y), fz(Z)) for (X, Y, Z) ~ base. Injective
// fx, fy keep the MI (Cover & Thomas, 2nd ed., eq. 2.119 / data processing both ways), and
// the PMI of the result is the base PMI at the pre-image (the Jacobians cancel between joint
// and marginals). For a law with a conditioning variable, an injective fz keeps I(X; Y | Z)
// too (conditioning on fz(Z) is conditioning on Z), and the Jacobians of the conditional PMI's
// four densities cancel the same way.

#include <memory>

#include "distributions/distribution.hpp"
#include "distributions/transforms.hpp"

namespace mib {

class Transformed final : public Distribution {
 public:
  /// fx, fy or fz may be null (identity); fz is ignored for a law without Z. Throws
  /// InvalidArgument naming `where` when a map does not act on its side's dimension.
  Transformed(std::shared_ptr<const Distribution> base, TransformPtr fx, TransformPtr fy,
              const std::string& where = "transformed", TransformPtr fz = nullptr);
  Dims dims() const override { return dims_; }
  GroundTruth mutual_information() const override { return base_->mutual_information(); }
  Sample sample(std::size_t n, Rng& rng) const override;
  std::optional<Eigen::VectorXd> pmi(const Sample& s) const override;
  bool independent_rows() const override { return base_->independent_rows(); }

 private:
  std::shared_ptr<const Distribution> base_;
  TransformPtr fx_, fy_, fz_;
  Dims dims_;
};

}  // namespace mib
