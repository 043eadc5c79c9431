#pragma once
// Small dense linear-algebra helpers shared by the Gaussian-based laws.

#include <Eigen/Dense>
#include <functional>
#include <string>

#include "core/matrix.hpp"
#include "core/rng.hpp"

namespace mib {

/// Lower Cholesky factor of an SPD matrix; InvalidArgument naming `where` otherwise.
Eigen::MatrixXd cholesky(const Eigen::MatrixXd& m, const std::string& where);

/// ln det Σ from its Cholesky factor.
double log_det(const Eigen::MatrixXd& chol);

/// vᵢᵀ Σ⁻¹ vᵢ for every row vᵢ of v, with chol the Cholesky factor of Σ.
Eigen::VectorXd mahalanobis(const Eigen::MatrixXd& chol, MatrixRef v);

/// Checks that `m` is a finite, symmetric d × d matrix (InvalidArgument naming `where`).
void check_symmetric(const Eigen::MatrixXd& m, Eigen::Index d, const std::string& where);

/// Asks Linux for transparent huge pages on a large, not yet touched buffer of `count` doubles:
/// a 400 MB sample then takes ~200 page faults instead of ~100 000 (about 10 % of the Gaussian
/// sampling time, half of the image tasks').
void advise_huge_pages(double* data, std::size_t count);

/// n rows of N(0, L Lᵀ) split into x (first dx columns) and y (the rest). Row by row: first
/// `row_scale(rng)` if given (a factor for the whole row, e.g. a Student-t mixing variable),
/// then d standard normals from Boost.Random, then the product with the lower-triangular L
/// (half the flops of a full product; the summation order is fixed, so the bits do not depend
/// on blocking or vector width).
void gaussian_rows(const Eigen::MatrixXd& chol, std::size_t n, std::size_t dx, Rng& rng, Matrix& x,
                   Matrix& y, const std::function<double(Rng&)>& row_scale = nullptr);

}  // namespace mib
