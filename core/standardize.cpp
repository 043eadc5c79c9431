#include "core/standardize.hpp"

#include <cmath>

namespace mib {

void standardize_columns(Matrix& m) {
  if (m.rows() == 0) return;
  const Eigen::RowVectorXd mean = m.colwise().mean();
  m.rowwise() -= mean;
  const Eigen::RowVectorXd sd =
      (m.colwise().squaredNorm() / static_cast<double>(m.rows())).cwiseSqrt();
  for (Eigen::Index j = 0; j < m.cols(); ++j) {
    if (sd(j) > 0) m.col(j) /= sd(j);
  }
}

}  // namespace mib
