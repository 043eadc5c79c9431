#pragma once
// Canonical-correlation estimate: Î = Σ_{i <= c} −½ ln(1 − ρ̂_i²) over the c largest sample
// canonical correlations ρ̂_i of x and y (Hotelling 1936; exact MI for Gaussian data, where
// it equals the `gaussian` estimator when c = min(dx, dy); bmi's CCA estimator). With
// components < min(dx, dy) it is the MI of the best c-dimensional linear projections.

#include "estimators/estimator.hpp"

namespace mib {

struct CcaParams {
  int components = 0;  ///< c; 0 means all min(dx, dy)
  template <class V>
  void visit(V& v) {
    v("components", components, ">= 0 (0: all)", [](int c) { return c >= 0; });
  }
};

class CcaEstimator final : public Estimator {
 public:
  using Params = CcaParams;
  explicit CcaEstimator(Params params) : params_(params) {}
  /// Throws InvalidArgument when n <= dx + dy or a marginal covariance is singular.
  Estimate estimate(MatrixRef x, MatrixRef y, Rng& rng) const override;

 private:
  Params params_;
};

}  // namespace mib
