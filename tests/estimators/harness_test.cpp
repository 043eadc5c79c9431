#include "estimators/harness.hpp"

#include <chrono>
#include <limits>
#include <thread>

#include "check.hpp"
#include "core/deadline.hpp"
#include "core/error.hpp"
#include "test_data.hpp"

namespace {

// Test-only estimators that misbehave on purpose.
struct Returns final : mib::Estimator {
  double value;
  explicit Returns(double v) : value(v) {}
  mib::Estimate estimate(mib::MatrixRef, mib::MatrixRef, mib::Rng&) const override {
    return {value, {}};
  }
};
struct Throws final : mib::Estimator {
  mib::Estimate estimate(mib::MatrixRef, mib::MatrixRef, mib::Rng&) const override {
    throw std::runtime_error("boom");
  }
};
struct SpinsChecking final : mib::Estimator {  // polls the deadline, as built-ins do
  mib::Estimate estimate(mib::MatrixRef, mib::MatrixRef, mib::Rng&) const override {
    for (;;) mib::check_deadline();
  }
};
struct SleepsBlindly final : mib::Estimator {  // never polls: caught after the fact
  mib::Estimate estimate(mib::MatrixRef, mib::MatrixRef, mib::Rng&) const override {
    std::this_thread::sleep_for(std::chrono::milliseconds(60));
    return {1.0, {}};
  }
};

}  // namespace

TEST_CASE("harness: failures become a status and message, never an exception",
          "[estimators][harness]") {
  const auto s = mib::test::correlated(20, 1, 1, 0.5, 1);
  mib::Rng rng(0);
  const auto ok = mib::call_estimator(Returns(0.25), s.x, s.y, rng, 0);
  CHECK(ok.status == "ok");
  CHECK(ok.mi == 0.25);
  CHECK(ok.seconds >= 0);

  const auto nan =
      mib::call_estimator(Returns(std::numeric_limits<double>::quiet_NaN()), s.x, s.y, rng, 0);
  CHECK(nan.status == "nonfinite");
  const auto inf =
      mib::call_estimator(Returns(std::numeric_limits<double>::infinity()), s.x, s.y, rng, 0);
  CHECK(inf.status == "nonfinite");
  CHECK(inf.message == "the estimate is inf");

  const auto thrown = mib::call_estimator(Throws(), s.x, s.y, rng, 0);
  CHECK(thrown.status == "error");
  CHECK(thrown.message == "boom");
  CHECK(std::isnan(thrown.mi));

  const auto spun = mib::call_estimator(SpinsChecking(), s.x, s.y, rng, 0.05);
  CHECK(spun.status == "timeout");
  CHECK_THAT(spun.message, Catch::Contains("0.05 s"));
  const auto slept = mib::call_estimator(SleepsBlindly(), s.x, s.y, rng, 0.01);
  CHECK(slept.status == "timeout");
}

TEST_CASE("harness: shared preconditions are checked once, with the place named",
          "[estimators][harness]") {
  auto s = mib::test::correlated(10, 2, 1, 0.5, 1);
  CHECK_NOTHROW(mib::check_inputs(s.x, s.y, 4, "in"));
  CHECK_THROWS_WITH(mib::check_inputs(s.x, s.y, 11, "in"),
                    Catch::Contains("n must be >= 11, but is 10"));
  CHECK_THROWS_WITH(mib::check_inputs(s.x.topRows(9), s.y, 2, "in"), Catch::Contains("row counts"));
  s.x(3, 1) = std::numeric_limits<double>::quiet_NaN();
  MIB_CHECK_THROWS(mib::check_inputs(s.x, s.y, 2, "in"), mib::DataError,
                   Catch::Contains("x at row 4, column 2 must be finite, but is nan"));
  mib::Rng rng(0);
  CHECK(mib::call_estimator(Returns(0), s.x, s.y, rng, 0).status == "error");
}
