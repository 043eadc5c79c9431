#include "check.hpp"
#include "core/error.hpp"
#include "reports/reporter.hpp"

namespace {

std::vector<mib::ResultRow> rows() {
  const auto j = nlohmann::json::parse(R"([
    {"estimator": "ksg", "task": "t1", "n": 100, "mi_true": 0.5, "mi_true_se": 0, "estimate": 0.4, "status": "ok", "seconds": 0.01},
    {"estimator": "ksg", "task": "t1", "n": 100, "mi_true": 0.5, "mi_true_se": 0, "estimate": 0.6, "status": "ok", "seconds": 0.03},
    {"estimator": "ksg", "task": "t1", "n": 100, "mi_true": 0.5, "mi_true_se": 0, "estimate": null, "status": "timeout", "seconds": 2.0},
    {"estimator": "ksg", "task": "t1", "n": 50, "mi_true": 0.5, "mi_true_se": 0, "estimate": 0.3, "status": "ok", "seconds": 0.001},
    {"estimator": "gauss", "task": "t2", "n": 100, "mi_true": 1.25, "mi_true_se": 0.001, "estimate": null, "status": "error", "seconds": 0.5}
  ])");
  std::vector<mib::ResultRow> out;
  for (const auto& r : j) out.push_back(mib::parse_row(r, "rows"));
  return out;
}

std::string render(const char* format) {
  mib::Report report{mib::aggregate(rows()), {{"config_hash", "abc"}}};
  return mib::builtin_reporters().at(format, "test").make({}, "test")->render(report);
}

}  // namespace

TEST_CASE("aggregate: bias, std, RMSE, median time and failures per (estimator, task, n)",
          "[reports]") {
  const auto a = mib::aggregate(rows());
  REQUIRE(a.size() == 3);
  CHECK(a[0].n == 50);  // n ascending within (estimator, task)
  CHECK(a[1].n == 100);
  CHECK(a[1].replicates == 2);
  CHECK(a[1].failures == 1);
  CHECK(a[1].mean == Approx(0.5));
  CHECK(a[1].bias == Approx(0.0).margin(1e-15));
  CHECK(a[1].std == Approx(std::sqrt(0.02)));  // ddof 1: ((0.1)² + (0.1)²) / 1
  CHECK(a[1].rmse == Approx(0.1));
  CHECK(a[1].median_seconds == Approx(0.03));  // over all three replicates
  CHECK(std::isnan(a[0].std));                 // one replicate: undefined
  CHECK(a[2].estimator == "gauss");
  CHECK(std::isnan(a[2].mean));
}

TEST_CASE("reports: golden Markdown and CSV text", "[reports]") {
  CHECK(render("md") ==
        "| estimator | task | n | true MI | mean | bias | std | RMSE | median s | ok | failed |\n"
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n"
        "| ksg | t1 | 50 | 0.5000 | 0.3000 | -0.2000 | – | 0.2000 | 0.001 | 1 | 0 |\n"
        "| ksg | t1 | 100 | 0.5000 | 0.5000 | 0.0000 | 0.1414 | 0.1000 | 0.03 | 2 | 1 |\n"
        "| gauss | t2 | 100 | 1.2500 ± 0.0010 | – | – | – | – | 0.5 | 0 | 1 |\n");
  CHECK(
      render("csv") ==
      "estimator,task,n,mi_true,mi_true_se,replicates,failures,mean,bias,std,rmse,median_seconds\n"
      "ksg,t1,50,0.5,0,1,0,0.3,-0.2,,0.2,0.001\n"
      "ksg,t1,100,0.5,0,2,1,0.5,0,0.14142135623730948,0.09999999999999998,0.03\n"
      "gauss,t2,100,1.25,0.001,0,1,,,,,0.5\n");
}

TEST_CASE("reports: the JSON carries provenance and nulls for undefined statistics", "[reports]") {
  const auto j = nlohmann::json::parse(render("json"));
  CHECK(j["provenance"]["config_hash"] == "abc");
  CHECK(j["units"] == "nats");
  CHECK(j["aggregates"].size() == 3);
  CHECK(j["aggregates"][0]["std"].is_null());
  CHECK(j["aggregates"][1]["failures"] == 1);
}

TEST_CASE("reports: a row missing a field is a DataError naming it", "[reports]") {
  MIB_CHECK_THROWS(mib::parse_row({{"estimator", "k"}}, "r.jsonl:3"), mib::DataError,
                   Catch::Contains("r.jsonl:3: field task must be present"));
}
