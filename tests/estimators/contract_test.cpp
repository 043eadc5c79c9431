// Contract tests over every registered estimator: determinism, permutation invariance,
// symmetry, ≈ 0 on independent data, sensible on dependent data.
#include <catch2/catch.hpp>
#include <numeric>

#include "estimators/builtin.hpp"
#include "test_data.hpp"

namespace {
double run(const mib::Estimator& e, const mib::Matrix& x, const mib::Matrix& y) {
  mib::Rng rng(3);
  return e.estimate(x, y, rng).mi;
}
}  // namespace

TEST_CASE("contract: every registered estimator keeps the estimator contract",
          "[estimators][contract]") {
  for (const auto* entry : mib::builtin_estimators().entries()) {
    SECTION(entry->name) {
      const auto e = entry->make({}, "test");
      const auto s = mib::test::correlated(600, 2, 2, 0.8, 11);
      const double v = run(*e, s.x, s.y);
      // Same data, same seed: the same bits.
      CHECK(run(*e, s.x, s.y) == v);
      // Reordering the rows (pairs kept together) does not change the estimate.
      mib::Matrix px(s.x.rows(), 2), py(s.y.rows(), 2);
      for (Eigen::Index i = 0; i < s.x.rows(); ++i) {
        px.row(i) = s.x.row(s.x.rows() - 1 - i);
        py.row(i) = s.y.row(s.y.rows() - 1 - i);
      }
      CHECK(run(*e, px, py) == Approx(v).margin(1e-12));
      // Every estimator registered here is symmetric in X and Y.
      CHECK(run(*e, s.y, s.x) == Approx(v).margin(1e-12));
      // Dependent data: true MI = 2 · (−½ ln(1 − 0.64)) = 1.0217; every estimator sees it.
      CHECK(v > 0.5);
      CHECK(v < 1.3);
      // Independent data: ≈ 0 within a tolerance from n = 600 (the estimators' sd here is
      // below 0.03 nats; 0.1 is over 3 sd).
      const auto indep = mib::test::correlated(600, 2, 2, 0.0, 12);
      CHECK(std::abs(run(*e, indep.x, indep.y)) < 0.1);
      // Bad parameters are refused.
      CHECK_THROWS(entry->make({{"no_such_parameter", 1}}, "test"));
      // The defaults parse back into the same estimator parameters.
      CHECK_NOTHROW(entry->make(entry->defaults, "test"));
    }
  }
}
