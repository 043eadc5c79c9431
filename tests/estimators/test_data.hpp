#pragma once
// Shared inputs of the estimator tests.

#include <boost/random/normal_distribution.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <cmath>

#include "core/matrix.hpp"
#include "core/rng.hpp"

namespace mib::test {

/// n rows of (X, Y) with X ~ N(0, I_dx) and Y_j = rho X_j + sqrt(1 − rho²) E_j (j < dx),
/// independent N(0, 1) for j >= dx. With `levels` > 0 every value is rounded to a grid of
/// that many steps per unit, which creates ties and duplicate points.
inline Sample correlated(std::size_t n, int dx, int dy, double rho, std::uint64_t seed,
                         int levels = 0) {
  Rng rng(seed);
  boost::random::normal_distribution<double> normal;
  Sample s{Matrix(n, dx), Matrix(n, dy)};
  for (std::size_t i = 0; i < n; ++i) {
    const auto r = static_cast<Eigen::Index>(i);
    for (int j = 0; j < dx; ++j) s.x(r, j) = normal(rng);
    for (int j = 0; j < dy; ++j) {
      const double e = normal(rng);
      s.y(r, j) = j < dx ? rho * s.x(r, j) + std::sqrt(1 - rho * rho) * e : e;
    }
  }
  if (levels > 0) {
    s.x = (s.x.array() * levels).round() / levels;
    s.y = (s.y.array() * levels).round() / levels;
  }
  return s;
}

}  // namespace mib::test
