#include "suite/runner.hpp"

#include <fstream>
#include <set>

#include "check.hpp"
#include "core/error.hpp"
#include "core/files.hpp"
#include "estimators/builtin.hpp"
#include "suite/config.hpp"
#include "suite/result_store.hpp"
#include "temp_dir.hpp"

using Catch::Matchers::Contains;

namespace {

struct Throws final : mib::Estimator {
  mib::Estimate estimate(mib::MatrixRef, mib::MatrixRef, mib::Rng&) const override {
    throw mib::InvalidArgument("deliberate failure");
  }
};
struct Nan final : mib::Estimator {
  mib::Estimate estimate(mib::MatrixRef, mib::MatrixRef, mib::Rng&) const override {
    return {std::nan(""), {}};
  }
};

// The built-ins plus two estimators that fail on purpose (registered only here).
const mib::Registry<mib::Estimator>& test_registry() {
  static const mib::Registry<mib::Estimator> r = [] {
    mib::Registry<mib::Estimator> reg;
    mib::register_builtin_estimators(reg);
    reg.add({"throws", "fails", nlohmann::json::object(),
             [](const nlohmann::json&, const std::string&) { return std::make_unique<Throws>(); }});
    reg.add({"nan", "returns NaN", nlohmann::json::object(),
             [](const nlohmann::json&, const std::string&) { return std::make_unique<Nan>(); }});
    return reg;
  }();
  return r;
}

mib::Config config(std::uint64_t seed = 9) {
  const auto j = nlohmann::json::parse(R"({
    "schema_version": 1, "replicates": 3, "sample_sizes": [60, 120],
    "tasks": ["1v1-normal-0.75", {"family": "multinormal-sparse", "params": {"dim": [2, 3]}}],
    "estimators": ["ksg", "ksg2:k=2", "gaussian", "throws", "nan"]
  })");
  auto with_seed = j;
  with_seed["seed"] = seed;
  return mib::parse_config(with_seed, "test.json", mib::builtin_catalog(), test_registry());
}

// Rows without their timing fields, in file order.
std::vector<nlohmann::json> untimed(const std::string& dir) {
  auto rows = mib::parse_results(mib::read_file(mib::ResultStore::results_path(dir)), dir);
  for (auto& r : rows) {
    r.erase("seconds");
    r.erase("cpu_seconds");
  }
  return rows;
}

}  // namespace

TEST_CASE("runner: results are identical for 1 and 2 threads, failures are cells",
          "[suite][runner]") {
  const mib::test::TempDir one("t1"), two("t2");
  const mib::Config c = config();
  const auto s1 = mib::run_sweep(c, {one.str(), 1, false});
  const auto s2 = mib::run_sweep(c, {two.str(), 2, false});
  CHECK(s1.cells == 3 * 2 * 3 * 5);
  CHECK(s1.ran == s1.cells);
  CHECK(s1.failed == 3 * 2 * 3 * 2);  // every "throws" and "nan" cell
  CHECK(s2.failed == s1.failed);
  const auto rows = untimed(one.str());
  CHECK(rows == untimed(two.str()));
  CHECK(mib::read_file(mib::ResultStore::results_path(one.str())).size() > 0);

  std::set<std::string> statuses;
  for (const auto& r : rows) {
    statuses.insert(r["status"].get<std::string>());
    for (const char* key : {"task", "n", "replicate", "seed", "estimator", "spec", "params",
                            "mi_true", "mi_true_se", "estimate", "status", "message", "info"}) {
      REQUIRE(r.contains(key));
    }
    if (r["estimator"] == "throws") CHECK(r["message"] == "deliberate failure");
    if (r["status"] == "ok") CHECK(r["estimate"].is_number());
    if (r["status"] != "ok") CHECK(r["estimate"].is_null());
  }
  CHECK(statuses == std::set<std::string>{"ok", "error", "nonfinite"});
  // Same (task, n, replicate) ⇒ same seed for every estimator: a paired comparison.
  CHECK(rows[0]["seed"] == rows[1]["seed"]);
  CHECK(rows[0]["estimator"] == "ksg");
  CHECK(rows[1]["estimator"] == "ksg2:k=2");
}

TEST_CASE("runner: resume after an interruption gives the same cells, none duplicated",
          "[suite][runner]") {
  const mib::test::TempDir full("full"), part("part");
  const mib::Config c = config();
  mib::run_sweep(c, {full.str(), 2, false});
  const std::string text = mib::read_file(mib::ResultStore::results_path(full.str()));
  // State of a run killed mid-write: the manifest, 17 whole lines and half of the 18th.
  std::size_t cut = 0;
  for (int line = 0; line < 17; ++line) cut = text.find('\n', cut) + 1;
  const std::size_t torn = cut + (text.find('\n', cut) - cut) / 2;
  mib::write_file_atomic(mib::ResultStore::results_path(part.str()), text.substr(0, torn));
  mib::write_file_atomic(mib::ResultStore::manifest_path(part.str()),
                         mib::read_file(mib::ResultStore::manifest_path(full.str())));
  const auto resumed = mib::run_sweep(c, {part.str(), 2, false});
  CHECK(resumed.skipped == 17);
  CHECK(resumed.ran == resumed.cells - 17);
  CHECK(untimed(part.str()) == untimed(full.str()));
  // A third run finds everything done and changes nothing.
  const auto again = mib::run_sweep(c, {part.str(), 1, false});
  CHECK(again.ran == 0);
  CHECK(untimed(part.str()) == untimed(full.str()));
}

TEST_CASE("runner: a folder holding another config's run is refused", "[suite][runner]") {
  const mib::test::TempDir dir("other");
  mib::run_sweep(config(1), {dir.str(), 1, false});
  MIB_CHECK_THROWS(mib::run_sweep(config(2), {dir.str(), 1, false}), mib::ConfigError,
                   Contains("choose another --out"));
}

TEST_CASE("result store: a corrupt line that is not the last is a DataError naming the line",
          "[suite][store]") {
  MIB_CHECK_THROWS(mib::parse_results("{\"key\":\"a\"}\nnot json\n{\"key\":\"b\"}\n", "r.jsonl"),
                   mib::DataError, Contains("r.jsonl:2"));
  std::size_t valid = 0;
  const auto rows = mib::parse_results("{\"key\":\"a\"}\n{\"key\":\"b", "r.jsonl", &valid);
  CHECK(rows.size() == 1);
  CHECK(valid == 12);
}
