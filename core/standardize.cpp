#include "core/standardize.hpp"

#include <cmath>

namespace mib {

void standardize_columns(Matrix& m) {
  if (m.rows() == 0) return;
  const Eigen::RowVectorXd mean = m.colwise().mean();
  m.rowwise() -= mean;
  const Eigen::RowVectorXd sd =
      (m.colwise().squaredNorm() / static_cast<double>(m.rows())).cwiseSqrt();
  // One row-major pass (column by column, the strided divisions had been most of this call);
  // x / 1 = x for every x, so a zero-variance column keeps its bits.
  const Eigen::RowVectorXd divisor = (sd.array() > 0).select(sd, 1.0);
  m.array().rowwise() /= divisor.array();
}

}  // namespace mib
