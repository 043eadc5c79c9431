#pragma once
// Per-column standardisation, as bmi applies to every drawn sample (sklearn's scale():
// subtract the sample mean, divide by the population sd (ddof 0); a zero-variance column is
// only centred).

#include "core/matrix.hpp"

namespace mib {

void standardize_columns(Matrix& m);

}  // namespace mib
