#include "estimators/gcmi.hpp"

#include <boost/math/distributions/normal.hpp>
#include <boost/math/special_functions/digamma.hpp>
#include <cmath>
#include <vector>

#include "check.hpp"
#include "core/stats.hpp"
#include "estimators/gaussian.hpp"
#include "test_data.hpp"

namespace {

double gcmi(const mib::Matrix& x, const mib::Matrix& y, bool bias_correct = true) {
  mib::Rng rng(0);
  return mib::GcmiEstimator({bias_correct}).estimate(x, y, rng).mi;
}

}  // namespace

TEST_CASE("gcmi: a hand-computed 4-point example", "[estimators][gcmi]") {
  // x ranks 1 2 3 4, y ranks 1 3 2 4: normal scores ±a, ±b with a = Φ⁻¹(0.8), b = Φ⁻¹(0.6);
  // both centred, so r = Σ zx zy / Σ zx² = (2a² − 2b²) / (2a² + 2b²).
  const mib::Matrix x = (mib::Matrix(4, 1) << 1, 2, 3, 4).finished();
  const mib::Matrix y = (mib::Matrix(4, 1) << 10, 30, 20, 40).finished();
  const boost::math::normal standard;
  const double a = boost::math::quantile(standard, 0.8), b = boost::math::quantile(standard, 0.6);
  const double r = (a * a - b * b) / (a * a + b * b);
  const double plug_in = -0.5 * std::log(1 - r * r);
  CHECK(gcmi(x, y, false) == Approx(plug_in).epsilon(1e-12));
  // Bias of ½ ln det Ŝ in d dims at n = 4: ½ (d ln(2/3) + Σ_{i≤d} ψ((4 − i)/2)).
  using boost::math::digamma;
  const double bias1 = 0.5 * (std::log(2.0 / 3) + digamma(1.5));
  const double bias2 = 0.5 * (2 * std::log(2.0 / 3) + digamma(1.5) + digamma(1.0));
  CHECK(gcmi(x, y) == Approx(plug_in - 2 * bias1 + bias2).epsilon(1e-12));
  CHECK(gcmi(x, y) == Approx(0.2873).margin(1e-4));  // 0.59416 − 0.30685, by hand
}

TEST_CASE("gcmi: ties share their average rank; any increasing map of a column changes nothing",
          "[estimators][gcmi]") {
  const mib::Matrix ties = (mib::Matrix(4, 1) << 5, 7, 7, 9).finished();
  const mib::Matrix scores = mib::copula_normalise(ties);
  CHECK(scores(1, 0) == scores(2, 0));
  CHECK(scores(1, 0) == Approx(0).margin(1e-15));  // average rank 2.5 of 4: Φ⁻¹(0.5)
  CHECK(scores(0, 0) == Approx(-scores(3, 0)).epsilon(1e-14));
  const auto s = mib::test::correlated(500, 2, 2, 0.6, 5);
  mib::Matrix bent_x = s.x.array().exp();
  mib::Matrix bent_y = s.y.array().cube();
  CHECK(gcmi(bent_x, bent_y) == gcmi(s.x, s.y));  // the same ranks, the same bits
}

TEST_CASE("gcmi: the bias correction centres independent data on 0, the Gaussian fit does not",
          "[estimators][gcmi]") {
  // 300 independent 2 + 2-dim samples of n = 40: the plug-in's mean is about dx·dy/(2n) =
  // 0.05; the corrected mean is within 4 standard errors of 0.
  std::vector<double> corrected, plug_in;
  for (std::uint64_t seed = 1; seed <= 300; ++seed) {
    const auto s = mib::test::correlated(40, 2, 2, 0.0, seed);
    corrected.push_back(gcmi(s.x, s.y));
    plug_in.push_back(gcmi(s.x, s.y, false));
  }
  CHECK(std::abs(mib::stats::mean(corrected)) < 4 * mib::stats::standard_error(corrected));
  CHECK(mib::stats::mean(plug_in) > 0.03);
  // On Gaussian data at n = 2000 it is the Gaussian fit, up to the rank transform's noise.
  const auto g = mib::test::correlated(2000, 3, 3, 0.7, 9);
  mib::Rng rng(0);
  CHECK(gcmi(g.x, g.y) ==
        Approx(mib::GaussianEstimator({}).estimate(g.x, g.y, rng).mi).margin(0.02));
}
