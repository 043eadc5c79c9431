#include "estimators/external.hpp"

#include <catch2/catch.hpp>
#include <chrono>

#include "check.hpp"
#include "core/error.hpp"
#include "estimators/gaussian.hpp"
#include "estimators/harness.hpp"
#include "test_data.hpp"

using Catch::Matchers::Contains;

namespace {
mib::CallOutcome call(std::vector<std::string> command, double timeout_s = 30,
                     double cell_limit = 0) {
  const auto s = mib::test::correlated(200, 2, 1, 0.6, 3);
  const mib::ExternalEstimator e({std::move(command), timeout_s});
  mib::Rng rng(0);
  return mib::call_estimator(e, s.x, s.y, rng, cell_limit);
}
}  // namespace

TEST_CASE("external: the Python example (stdlib only) equals the built-in gaussian estimator",
          "[estimators][external]") {
  const auto s = mib::test::correlated(200, 2, 1, 0.6, 3);
  const auto r =
      call({"python3", std::string(MIB_SOURCE_DIR) + "/examples/gaussian_mi.py", "{x}", "{y}"});
  REQUIRE(r.status == mib::CellStatus::kOk);
  mib::Rng rng(0);
  CHECK(r.mi == Approx(mib::GaussianEstimator({}).estimate(s.x, s.y, rng).mi).epsilon(1e-9));
  CHECK(r.info["n"] == 200);
}

TEST_CASE("external: files are passed by path, JSON is read from stdout",
          "[estimators][external]") {
  // {x} inside a longer argument is replaced too; the files exist while the command runs.
  const auto r = call(
      {"sh", "-c", "test -s \"$0\" && test -s \"${1#path=}\" && echo '{\"mi\": 0.25, \"note\": 1}'",
       "{x}", "path={y}"});
  REQUIRE(r.status == mib::CellStatus::kOk);
  CHECK(r.mi == 0.25);
  CHECK(r.info["note"] == 1);
}

TEST_CASE(
    "external: exit codes, bad output, missing programs and time-outs fail the cell with a reason",
    "[estimators][external]") {
  const auto exit3 = call({"sh", "-c", "echo something broke >&2; exit 3"});
  CHECK(exit3.status == mib::CellStatus::kError);
  CHECK_THAT(exit3.message, Contains("exit code 3") && Contains("something broke"));
  CHECK_THAT(call({"sh", "-c", "echo not json"}).message,
             Contains("one JSON object with a number \"mi\""));
  CHECK_THAT(call({"sh", "-c", "echo '{\"mi\": \"high\"}'"}).message, Contains("number \"mi\""));
  CHECK_THAT(call({"no-such-program-mibench"}).message, Contains("no-such-program-mibench"));
  const auto start = std::chrono::steady_clock::now();
  const auto slow = call({"sh", "-c", "sleep 20"}, 0.3);
  CHECK(slow.status == mib::CellStatus::kError);
  CHECK_THAT(slow.message, Contains("timeout_s of 0.3 s") && Contains("killed"));
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(10));
  // The cell's own time limit also stops it.
  const auto limited = call({"sh", "-c", "sleep 20"}, 600, 0.3);
  CHECK(limited.status == mib::CellStatus::kTimeout);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(15));
  CHECK_THROWS_AS(mib::ExternalEstimator({{}, 10}), mib::ConfigError);
}
