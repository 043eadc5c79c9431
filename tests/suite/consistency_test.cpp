// The self-consistency tests pass a consistent estimator and flag an inconsistent one.
#include "suite/consistency.hpp"

#include <catch2/catch.hpp>

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
  // Duplicated columns leave max-norm distances unchanged: exactly the same estimate.
  CHECK(ksg.processing_ratio == Approx(1.0).epsilon(1e-12));
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

TEST_CASE("consistency: a test the estimator cannot compute is not applicable, with the reason",
          "[suite][consistency]") {
  // The Gaussian fit on [X, X] has a singular covariance: the data-processing test cannot be
  // computed — that is not a failure of the estimator's consistency (it had always "failed",
  // with ratio null and an empty message).
  const auto s = mib::test::correlated(2000, 2, 2, 0.5, 7);
  mib::ConsistencyOptions o;
  o.permutations = 5;
  const auto g = mib::check_consistency(mib::GaussianEstimator({}), s.x, s.y, o);
  CAPTURE(g.to_json().dump());
  CHECK(g.status == mib::CellStatus::kOk);
  CHECK_THAT(g.processing_na,
             Catch::Contains("not applicable") && Catch::Contains("positive definite"));
  CHECK(g.processing_ok);
  CHECK(g.independence_na.empty());
  CHECK(g.additivity_na.empty());
  CHECK(g.consistent());
  const auto j = g.to_json();
  CHECK(j["data_processing"]["applicable"] == false);
  CHECK(j["data_processing"]["message"] == g.processing_na);
  CHECK(j["additivity"]["applicable"] == true);
}
