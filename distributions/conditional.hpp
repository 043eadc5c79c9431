#pragma once
// Laws of (X, Y, Z) whose conditional MI I(X; Y | Z) is known in closed form: their dims()
// have z >= 1, mutual_information() is I(X; Y | Z) and pmi() the conditional PMI
//   ln p(x, y | z) − ln p(x | z) − ln p(y | z) = ln p(x, y, z) + ln p(z) − ln p(x, z) − ln p(y, z),
// whose mean under the law is I(X; Y | Z).

#include <Eigen/Dense>
#include <string>

#include "distributions/distribution.hpp"

namespace mib {

/// (X, Y, Z) ~ N(0, Σ), coordinates in the order X, Y, Z:
///   I(X; Y | Z) = ½ ln(det Σ_xz · det Σ_yz / (det Σ_z · det Σ)).
class GaussianTriple final : public Distribution {
 public:
  /// Throws InvalidArgument naming `where` when a dimension is 0 or Σ is not SPD.
  GaussianTriple(std::size_t dx, std::size_t dy, std::size_t dz, const Eigen::MatrixXd& covariance,
                 const std::string& where);
  Dims dims() const override { return dims_; }
  GroundTruth mutual_information() const override { return {cmi_, 0.0, "closed-form"}; }
  Sample sample(std::size_t n, Rng& rng) const override;
  std::optional<Eigen::VectorXd> pmi(const Sample& s) const override;
  /// I(X; Y) of the same law (no conditioning), for the docs and tests.
  double unconditional_mi() const;

 private:
  Dims dims_;
  Eigen::MatrixXd covariance_;
  Eigen::MatrixXd chol_, chol_xz_, chol_yz_, chol_z_;
  double cmi_;
};

/// Z uniform on {0, …, m − 1} (a column of integer values); given Z = z, (X, Y) bivariate
/// normal with both means z, unit variances and correlation ρ_z = ρ (z + 1) / m:
///   I(X; Y | Z) = (1/m) Σ_z −½ ln(1 − ρ_z²),
/// while I(X; Y) is larger (the shared mean). A discrete–continuous triple.
class DiscreteZGaussian final : public Distribution {
 public:
  DiscreteZGaussian(int m, double rho, const std::string& where);
  Dims dims() const override { return {1, 1, 1}; }
  GroundTruth mutual_information() const override;
  Sample sample(std::size_t n, Rng& rng) const override;
  std::optional<Eigen::VectorXd> pmi(const Sample& s) const override;

 private:
  int m_;
  double rho_;
};

/// Transfer entropy of a linear-Gaussian vector autoregression of order 1,
///   X_{t+1} = a X_t + ε_t,   Y_{t+1} = b Y_t + c X_t + η_t,   ε, η ~ N(0, 1) independent,
/// so X drives Y with coupling c and Y never drives X. With history length l, a row is
///   direction "xy": x = (X_t, …, X_{t−l+1}), y = Y_{t+1}, z = (Y_t, …, Y_{t−l+1}),
///   TE_{X→Y} = I(Y_{t+1}; X_t^(l) | Y_t^(l));
///   direction "yx": the roles swapped, TE_{Y→X} = 0 exactly.
/// The truth is the Gaussian CMI of the stationary covariance of the stacked states
/// (Γ(h) = Aʰ Σ, Σ = A Σ Aᵀ + I, the discrete Lyapunov equation solved exactly through
/// (I − A ⊗ A) vec Σ = vec I). A sample is n consecutive windows of one simulated series,
/// started at 0 after a burn-in of kBurnIn steps: rows are dependent (independent_rows() is
/// false), as in every real transfer-entropy analysis.
class VarTransferEntropy final : public Distribution {
 public:
  static constexpr std::size_t kBurnIn = 1000;
  VarTransferEntropy(bool x_to_y, int lag, double a, double b, double c, const std::string& where);
  Dims dims() const override { return stationary_.dims(); }
  GroundTruth mutual_information() const override { return stationary_.mutual_information(); }
  Sample sample(std::size_t n, Rng& rng) const override;
  /// The conditional PMI of each row under the stationary law (exact; rows are dependent).
  std::optional<Eigen::VectorXd> pmi(const Sample& s) const override { return stationary_.pmi(s); }
  bool independent_rows() const override { return false; }

  /// The stationary covariance of (state_{t+1}, state_t, …, state_{t−l+1}), states (X, Y).
  static Eigen::MatrixXd window_covariance(double a, double b, double c, int lag);

 private:
  bool x_to_y_;
  int lag_;
  double a_, b_, c_;
  GaussianTriple stationary_;
};

}  // namespace mib
