#include <catch2/catch.hpp>
#include <cmath>

#include "estimators/cca.hpp"
#include "estimators/gaussian.hpp"
#include "estimators/kl.hpp"
#include "test_data.hpp"

TEST_CASE("cca: with all components it equals the Gaussian fit; fewer components give less",
          "[estimators][cca]") {
  const auto s = mib::test::correlated(800, 3, 4, 0.5, 21);
  mib::Rng rng(0);
  const auto all = mib::CcaEstimator({}).estimate(s.x, s.y, rng);
  CHECK(all.mi == Approx(mib::GaussianEstimator({}).estimate(s.x, s.y, rng).mi).epsilon(1e-10));
  const auto one = mib::CcaEstimator({1}).estimate(s.x, s.y, rng);
  const double rho1 = all.info["canonical_correlations"][0];
  CHECK(one.mi == Approx(-0.5 * std::log(1 - rho1 * rho1)).epsilon(1e-12));
  CHECK(one.mi < all.mi);
  CHECK(all.info["canonical_correlations"].size() == 3);
}

TEST_CASE("kl: Kozachenko-Leonenko entropy on a hand-computed example", "[estimators][kl]") {
  // Points 0, 1, 3 with k = 1: radii 1, 1, 2, so
  // Ĥ = ψ(3) − ψ(1) + ln 2 + (1/3)(ln 1 + ln 1 + ln 2) = 3/2 + (4/3) ln 2.
  mib::Matrix p(3, 1);
  p << 0, 1, 3;
  CHECK(mib::kozachenko_leonenko_entropy(p, 1) ==
        Approx(1.5 + 4.0 / 3.0 * std::log(2.0)).epsilon(1e-14));
}

TEST_CASE("kl: entropy of a standard normal and MI of a Gaussian pair at n = 20000",
          "[estimators][kl][.statistical][statistical]") {
  // One draw each with a fixed seed; the tolerances are several times the estimators'
  // standard deviation at this n (about 0.01 nats for the entropy, 0.02 for the MI).
  const auto s = mib::test::correlated(20000, 1, 1, 0.75, 5);
  CHECK(mib::kozachenko_leonenko_entropy(s.x, 3) ==
        Approx(0.5 * std::log(2 * M_PI * M_E)).margin(0.04));
  mib::Rng rng(0);
  CHECK(mib::KlEstimator({}).estimate(s.x, s.y, rng).mi ==
        Approx(-0.5 * std::log(1 - 0.5625)).margin(0.06));
}
