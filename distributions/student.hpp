#pragma once
// Multivariate Student-t (X, Y) with location 0, dispersion Σ and ν degrees of freedom:
// T = Z / sqrt(W) with Z ~ N(0, Σ) and W ~ χ²_ν / ν (W drawn first, as bmi/SciPy do).
// MI = ½ ln(det Σxx det Σyy / det Σ) + h(dx) + h(dy) − h(dx + dy), with
//   h(k) = −lnΓ((ν+k)/2) + lnΓ(ν/2) + (k/2) ln(νπ) + ((ν+k)/2)[ψ((ν+k)/2) − ψ(ν/2)]
// (Arellano-Valle, Contreras-Reyes & Genton 2013, as corrected in bmi's
// src/bmi/samplers/_split_student_t.py). Marginals are Student-t with the same ν, so the
// PMI is exact.

#include "distributions/distribution.hpp"

namespace mib {

class StudentT final : public Distribution {
 public:
  /// Throws InvalidArgument when ν <= 0, dims < 1 or Σ is not SPD.
  StudentT(std::size_t dx, std::size_t dy, const Eigen::MatrixXd& dispersion, double nu,
           const std::string& where = "student");
  Dims dims() const override { return {dx_, dy_}; }
  GroundTruth mutual_information() const override { return {mi_, 0.0, "closed-form"}; }
  Sample sample(std::size_t n, Rng& rng) const override;
  std::optional<Eigen::VectorXd> pmi(const Sample& s) const override;

 private:
  // log density of the d-dimensional t with Cholesky factor chol of its dispersion, per row.
  Eigen::VectorXd log_density(const Eigen::MatrixXd& chol, const Matrix& v) const;
  std::size_t dx_, dy_;
  double nu_;
  Eigen::MatrixXd chol_, chol_x_, chol_y_;
  double mi_;
};

/// The correction h(dx) + h(dy) − h(dx + dy) of the Student-t MI over the Gaussian one.
double student_mi_correction(std::size_t dx, std::size_t dy, double nu);

}  // namespace mib
