#pragma once
// MI of the Gaussian fitted to the sample: Î = ½ ln(det Ŝxx · det Ŝyy / det Ŝ) with Ŝ the
// sample covariance of [x, y]. Equals Σ_i −½ ln(1 − ρ̂_i²) over the sample canonical
// correlations ρ̂_i (the CCA form; Kay, Fundamentals of Statistical Signal Processing, and
// bmi's CCA estimator). Exact for Gaussian data as n → ∞. For other laws it is the MI of the
// Gaussian with their covariance, which is not a bound: X = ±1 and Y = X plus small noise have
// MI <= ln 2 but a correlation near 1, so the Gaussian value is far above. Needs n > dx + dy
// for Ŝ to be non-singular.

#include <string>

#include "estimators/estimator.hpp"

namespace mib {

struct GaussianParams {
  template <class V>
  void visit(V& /*v*/) {}
};

class GaussianEstimator final : public Estimator {
 public:
  using Params = GaussianParams;
  explicit GaussianEstimator(Params) {}
  /// Throws InvalidArgument when n <= dx + dy or the sample covariance is singular.
  Estimate estimate(MatrixRef x, MatrixRef y, Rng& rng) const override;
};

/// ½ ln(det Ŝxx · det Ŝyy / det Ŝ), the estimator's value (nats); InvalidArgument naming
/// `where` when n <= dx + dy or Ŝ is singular.
double gaussian_mi(MatrixRef x, MatrixRef y, const std::string& where);

/// The scatter matrix ZᵀZ of the column-centred [x, y] ((dx + dy) × (dx + dy)).
Eigen::MatrixXd centred_scatter(MatrixRef x, MatrixRef y);

}  // namespace mib
