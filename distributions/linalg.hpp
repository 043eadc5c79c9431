#pragma once
// Small dense linear-algebra helpers shared by the Gaussian-based laws.

#include <Eigen/Dense>
#include <string>

#include "core/matrix.hpp"

namespace mib {

/// Lower Cholesky factor of an SPD matrix; InvalidArgument naming `where` otherwise.
Eigen::MatrixXd cholesky(const Eigen::MatrixXd& m, const std::string& where);

/// ln det Σ from its Cholesky factor.
double log_det(const Eigen::MatrixXd& chol);

/// vᵢᵀ Σ⁻¹ vᵢ for every row vᵢ of v, with chol the Cholesky factor of Σ.
Eigen::VectorXd mahalanobis(const Eigen::MatrixXd& chol, MatrixRef v);

/// Checks that `m` is a finite, symmetric d × d matrix (InvalidArgument naming `where`).
void check_symmetric(const Eigen::MatrixXd& m, Eigen::Index d, const std::string& where);

/// [x, y] side by side.
Matrix hstack(MatrixRef x, MatrixRef y);

}  // namespace mib
