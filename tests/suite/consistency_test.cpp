// The self-consistency tests pass a consistent estimator and flag an inconsistent one.
#include "suite/consistency.hpp"

#include <catch2/catch.hpp>

#include "core/error.hpp"
#include "estimators/gaussian.hpp"
#include "estimators/ksg.hpp"
#include "tests/estimators/test_data.hpp"

namespace {
// Deliberately inconsistent: reports 1 nat whatever the data.
class ConstantEstimator final : public mib::Estimator {
 public:
  mib::Estimate estimate(mib::MatrixRef, mib::MatrixRef, mib::Rng&) const override {
    return {1.0, nullptr};
  }
};

// The Gaussian fit, for one Y column only: the tests that widen Y cannot be computed with it.
class OneColumnEstimator final : public mib::Estimator {
 public:
  mib::Estimate estimate(mib::MatrixRef x, mib::MatrixRef y, mib::Rng& rng) const override {
    if (y.cols() != 1) throw mib::InvalidArgument("one-column: y must have 1 column");
    return mib::GaussianEstimator({}).estimate(x, y, rng);
  }
};
}  // namespace

TEST_CASE("consistency: KSG passes on a 1 + 1-dim Gaussian pair, a constant estimator fails",
          "[suite][consistency]") {
  // MI 0.223 nats. At n = 8000 (halves of 4000) the additivity ratio's sd is about 0.04
  // (KSG's sd ≈ 0.012 per estimate), so the default tolerance 0.1 is 2.5 sd.
  const auto s = mib::test::correlated(8000, 1, 1, 0.6, 5);
  mib::ConsistencyOptions o;
  o.permutations = 10;
  const auto ksg = mib::check_consistency(
      mib::KsgEstimator({}, mib::KsgEstimator::Algorithm::kFirst), s.x, s.y, o);
  CAPTURE(ksg.to_json().dump());
  CHECK(ksg.status == mib::CellStatus::kOk);
  CHECK(ksg.mi == Approx(0.223).margin(0.05));
  // Shuffled Y: about 0; the data's Î is above every shuffle (p = 1/11).
  CHECK(ksg.independence_ok);
  CHECK(ksg.p_value == Approx(1.0 / 11));
  // Y³ beside Y adds no information: the same estimate within the tolerance.
  CHECK(ksg.processing_ratio == Approx(1.0).margin(0.1));
  CHECK(ksg.processing_ok);
  CHECK(ksg.additivity_ok);

  const auto constant = mib::check_consistency(ConstantEstimator{}, s.x, s.y, o);
  CHECK_FALSE(constant.independence_ok);  // 1 nat on shuffled data
  CHECK(constant.null_mean == 1.0);
  CHECK(constant.p_value == 1.0);
  CHECK(constant.processing_ok);            // a constant is trivially invariant here …
  CHECK(constant.additivity_ratio == 0.5);  // … but not additive
  CHECK_FALSE(constant.additivity_ok);
}

TEST_CASE("consistency: every test applies to the Gaussian fit on Gaussian data, and passes",
          "[suite][consistency]") {
  // Song & Ermon's [X, X] had made the fit's covariance singular: the data-processing test
  // "failed" for it on every input (ratio null, empty message). Y-side processing with a
  // nonlinear h keeps every covariance regular, and Y³'s covariance with X goes through Y.
  const auto s = mib::test::correlated(4000, 2, 2, 0.5, 7);
  mib::ConsistencyOptions o;
  o.permutations = 5;
  const auto g = mib::check_consistency(mib::GaussianEstimator({}), s.x, s.y, o);
  CAPTURE(g.to_json().dump());
  CHECK(g.status == mib::CellStatus::kOk);
  CHECK(g.processing_na.empty());
  CHECK(g.processing_ratio == Approx(1.0).margin(0.05));
  CHECK(g.consistent());
}

TEST_CASE("consistency: a test the estimator cannot compute is not applicable, with the reason",
          "[suite][consistency]") {
  const auto s = mib::test::correlated(2000, 1, 1, 0.5, 7);
  mib::ConsistencyOptions o;
  o.permutations = 5;
  const auto g = mib::check_consistency(OneColumnEstimator{}, s.x, s.y, o);
  CAPTURE(g.to_json().dump());
  CHECK(g.status == mib::CellStatus::kOk);
  CHECK_THAT(g.processing_na,
             Catch::Contains("not applicable") && Catch::Contains("y must have 1 column"));
  CHECK(g.processing_ok);
  CHECK(g.independence_na.empty());
  CHECK_FALSE(g.additivity_na.empty());  // [Y₁, Y₂] has two columns too
  CHECK(g.consistent());
  const auto j = g.to_json();
  CHECK(j["data_processing"]["applicable"] == false);
  CHECK(j["data_processing"]["message"] == g.processing_na);
  CHECK(j["independence"]["applicable"] == true);
}
