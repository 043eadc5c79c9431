#pragma once
// Multivariate normal (X, Y) ~ N(0, Σ) with Σ = [[Σxx, Σxy], [Σyx, Σyy]].
// MI = ½ ln(det Σxx · det Σyy / det Σ) (Cover & Thomas, Elements of Information Theory,
// 2nd ed., eq. 8.56 applied to h(X) + h(Y) − h(X, Y)).

#include "distributions/distribution.hpp"

namespace mib {

class MultivariateNormal final : public Distribution {
 public:
  /// covariance: (dx+dy) × (dx+dy), symmetric positive definite, X coordinates first.
  /// Throws InvalidArgument (naming `where`) when dims < 1 or Σ is not SPD.
  MultivariateNormal(std::size_t dx, std::size_t dy, const Eigen::MatrixXd& covariance,
                     const std::string& where = "multinormal");

  Dims dims() const override { return {dx_, dy_}; }
  GroundTruth mutual_information() const override { return {mi_, 0.0, "closed-form"}; }
  Sample sample(std::size_t n, Rng& rng) const override;
  std::optional<Eigen::VectorXd> pmi(const Sample& s) const override;

  const Eigen::MatrixXd& covariance() const { return covariance_; }

 private:
  std::size_t dx_, dy_;
  Eigen::MatrixXd covariance_;
  Eigen::MatrixXd chol_, chol_x_, chol_y_;  // lower Cholesky factors of Σ, Σxx, Σyy
  double mi_;
};

/// bmi's dense task covariance: unit variances, every off-diagonal entry `corr`.
Eigen::MatrixXd dense_covariance(std::size_t dx, std::size_t dy, double corr);

/// bmi's sparse ("2-pair") task: the correlation of the latent model with K = pairs shared
/// latents of loading `strength` and unit noise, i.e. identity except
/// corr(X_i, Y_i) = strength² / (1 + strength²) for i < pairs.
Eigen::MatrixXd sparse_covariance(std::size_t dx, std::size_t dy, std::size_t pairs,
                                  double strength);

}  // namespace mib
