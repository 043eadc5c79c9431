#pragma once
// Log-sum-exp of a row of values in two parts, vectorised and in a fixed order.

namespace mib {

/// ln Σ_j e^{v_j} in two parts, max = max_j v_j and sum = Σ_j e^{v_j − max}, over j < n, j ≠ skip
/// (skip = −1: every j), with v_j = s[j] clamped to [lo, hi] (±∞: no clamp). For a row of the
/// neural bounds' test scores and kde's kernel sums. The sum is in double, in a fixed order (vector
/// blocks from the start of [0, skip) and of (skip, n) into eight running sums, added in order,
/// then the j left over), so the result does not depend on the machine or the clone; each term is
/// in the values' precision: double values by exp_fixed (<= 2 ulp), float values by
/// exp_fixed_float of v − max in float (the values' own rounding, 2⁻²⁴ |v|, already moves e^v by
/// more). sum >= 1 (the max's term is e⁰ = 1); a NaN value makes it NaN.
struct LogSumExp {
  double max, sum;
};
template <class T>
LogSumExp log_sum_exp(const T* s, int n, int skip, double lo, double hi);

}  // namespace mib
