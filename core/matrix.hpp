#pragma once
// Core numeric types. Rows are samples, columns are coordinates.

#include <Eigen/Dense>
#include <cstddef>

namespace mib {

/// n × d sample matrix, row-major so that one sample is contiguous in memory.
using Matrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using MatrixRef = Eigen::Ref<const Matrix>;

/// A paired sample: x is n × dx, y is n × dy, row i of x goes with row i of y. z is the
/// conditioning variable (n × dz) of a task that has one, and empty (0 × 0) otherwise.
struct Sample {
  Matrix x;
  Matrix y;
  Matrix z = Matrix();
};

/// Dimensions of the variables of a joint law; z is 0 for a law without a conditioning
/// variable.
struct Dims {
  std::size_t x = 0;
  std::size_t y = 0;
  std::size_t z = 0;
};

/// [x, y] side by side (same row count).
inline Matrix hstack(MatrixRef x, MatrixRef y) {
  Matrix joint(x.rows(), x.cols() + y.cols());
  joint << x, y;
  return joint;
}

}  // namespace mib
