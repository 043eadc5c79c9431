#include "reports/baseline.hpp"

#include <catch2/catch.hpp>
#include <cmath>

#include "check.hpp"
#include "core/error.hpp"

using Catch::Matchers::Contains;

namespace {

mib::Aggregate cell(const char* estimator, double mean, double std, std::size_t replicates,
                    std::size_t failures = 0) {
  mib::Aggregate a;
  a.estimator = estimator;
  a.task = "t";
  a.n = 100;
  a.mean = mean;
  a.std = std;
  a.replicates = replicates;
  a.failures = failures;
  return a;
}

}  // namespace

TEST_CASE("baseline: entries carry mean, standard error, replicates and failures",
          "[reports][gate]") {
  const auto b = mib::make_baseline({cell("ksg", 0.5, 0.2, 4), cell("one", 1.0, NAN, 1)},
                                    {{"config_hash", "h"}});
  CHECK(b["schema_version"] == 1);
  CHECK(b["provenance"]["config_hash"] == "h");
  CHECK(b["entries"][0]["std_error"].get<double>() == Approx(0.1));  // 0.2 / sqrt(4)
  CHECK(b["entries"][1]["std_error"].is_null());
  CHECK(b["entries"][0]["replicates"] == 4);
}

TEST_CASE("check: a run equal to its baseline passes; each kind of regression is caught",
          "[reports][gate]") {
  const std::vector<mib::Aggregate> base = {cell("ksg", 0.5, 0.2, 4), cell("one", 1.0, NAN, 1),
                                            cell("gone", 2.0, 0.1, 4)};
  const auto baseline = mib::make_baseline(base, nullptr);
  const mib::CheckOptions options;  // 4 sigma

  const auto same = mib::check_against(base, baseline, options, "b.json");
  CHECK(same.regressions.empty());
  CHECK(same.compared == 3);
  CHECK_THAT(mib::format_check(same), Contains("check passed: 3 cells"));

  // Tolerance for ksg: 4 · sqrt(0.1² + 0.1²) = 0.5657. A shift of 0.5 passes, 0.6 fails.
  auto run = base;
  run[0].mean = 1.0;
  CHECK(mib::check_against(run, baseline, options, "b.json").regressions.empty());
  run[0].mean = 1.1;
  run[1].mean = 1.0 + 1e-6;  // one replicate: absolute tolerance 1e-9
  run[1].failures = 1;
  run.pop_back();  // "gone" disappears
  run.push_back(cell("fresh", 0.0, 0.1, 4));
  const auto r = mib::check_against(run, baseline, options, "b.json");
  REQUIRE(r.regressions.size() == 4);
  CHECK(r.regressions[0].kind == "shifted");
  CHECK_THAT(r.regressions[0].detail, Contains("tolerance 0.565685424949238"));
  CHECK(r.regressions[1].kind == "new failure");
  CHECK(r.regressions[2].kind == "shifted");
  CHECK_THAT(r.regressions[2].detail, Contains("absolute"));
  CHECK(r.regressions[3].kind == "missing");
  CHECK(r.fresh == std::vector<std::string>{"fresh|t|100"});
  CHECK_THAT(
      mib::format_check(r),
      Contains("| ksg | t | 100 | shifted |") &&
          Contains("check failed: 4 regressions in 3 cells (2 cells compared, 1 baseline cells "
                   "missing from the run)"));
  // A wider tolerance accepts the ksg shift.
  CHECK(mib::check_against(run, baseline, {10, 1e-3}, "b.json").regressions.size() == 2);
}

TEST_CASE("check: a malformed baseline is a DataError naming the file", "[reports][gate]") {
  MIB_CHECK_THROWS(mib::check_against({}, nlohmann::json::array(), {}, "b.json"), mib::DataError,
                   Contains("b.json"));
  MIB_CHECK_THROWS(mib::check_against({}, {{"entries", {{{"task", "t"}}}}}, {}, "b.json"),
                   mib::DataError, Contains("b.json: entries[0]"));
}
