#include "suite/runner.hpp"

#include <atomic>
#include <fstream>
#include <map>
#include <set>

#include "check.hpp"
#include "core/deadline.hpp"
#include "core/error.hpp"
#include "core/files.hpp"
#include "estimators/builtin.hpp"
#include "suite/config.hpp"
#include "suite/grid.hpp"
#include "suite/merge.hpp"
#include "suite/result_store.hpp"
#include "suite/run_folder.hpp"
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

// Sets the run's cancel flag (as Ctrl-C in the Python package does) on its 3rd call, then
// works until check_deadline() stops it; other calls return 0.5.
std::atomic<bool> g_cancel{false};
std::atomic<int> g_calls{0};
struct Cancels final : mib::Estimator {
  mib::Estimate estimate(mib::MatrixRef, mib::MatrixRef, mib::Rng&) const override {
    if (++g_calls != 3) return {0.5, {}};
    g_cancel = true;
    for (;;) mib::check_deadline();
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
    reg.add(
        {"cancels", "cancels the run", nlohmann::json::object(),
         [](const nlohmann::json&, const std::string&) { return std::make_unique<Cancels>(); }});
    return reg;
  }();
  return r;
}

mib::Config runner_config(std::uint64_t seed = 9) {
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
  for (auto& r : rows) r = mib::without_timing(r);
  return rows;
}

}  // namespace

TEST_CASE("runner: results are identical for 1 and 2 threads, failures are cells",
          "[suite][runner]") {
  const mib::test::TempDir one("t1"), two("t2");
  const mib::Config c = runner_config();
  const auto s1 = mib::run_sweep(c, {one.str(), 1, false, {}});
  const auto s2 = mib::run_sweep(c, {two.str(), 2, false, {}});
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
  const mib::Config c = runner_config();
  mib::run_sweep(c, {full.str(), 2, false, {}});
  const std::string text = mib::read_file(mib::ResultStore::results_path(full.str()));
  // State of a run killed mid-write: the manifest, 17 whole lines and half of the 18th.
  std::size_t cut = 0;
  for (int line = 0; line < 17; ++line) cut = text.find('\n', cut) + 1;
  const std::size_t torn = cut + (text.find('\n', cut) - cut) / 2;
  mib::write_file_atomic(mib::ResultStore::results_path(part.str()), text.substr(0, torn));
  mib::write_file_atomic(mib::ResultStore::manifest_path(part.str()),
                         mib::read_file(mib::ResultStore::manifest_path(full.str())));
  const auto resumed = mib::run_sweep(c, {part.str(), 2, false, {}});
  CHECK(resumed.skipped == 17);
  CHECK(resumed.ran == resumed.cells - 17);
  CHECK(untimed(part.str()) == untimed(full.str()));
  // A third run finds everything done and changes nothing.
  const auto again = mib::run_sweep(c, {part.str(), 1, false, {}});
  CHECK(again.ran == 0);
  CHECK(untimed(part.str()) == untimed(full.str()));
}

TEST_CASE("runner: a cancelled run stops in the cell in flight, writes no row for it, resumes",
          "[suite][runner]") {
  const mib::test::TempDir dir("cancel");
  auto j = nlohmann::json::parse(R"({"schema_version": 1, "seed": 3, "replicates": 4,
    "sample_sizes": [60], "tasks": ["1v1-normal-0.75"], "estimators": ["gaussian", "cancels"]})");
  const mib::Config c = mib::parse_config(j, "c.json", mib::builtin_catalog(), test_registry());
  g_cancel = false;
  g_calls = 0;
  mib::RunOptions options{dir.str(), 1, false, {}};
  options.cancel = &g_cancel;
  const auto s = mib::run_sweep(c, options);
  CHECK(s.cancelled);
  CHECK(s.ran == 5);  // replicates 0 and 1, and replicate 2's gaussian; then nothing
  const auto rows = untimed(dir.str());
  REQUIRE(rows.size() == 5);
  CHECK(rows.back()["key"] == "1v1-normal-0.75|60|2|gaussian");
  // The same run again (not cancelled) finishes the grid.
  g_cancel = false;
  const auto resumed = mib::run_sweep(c, {dir.str(), 2, false, {}});
  CHECK(!resumed.cancelled);
  CHECK(resumed.skipped == 5);
  CHECK(resumed.ran == 3);
  CHECK(untimed(dir.str()).size() == 8);
}

TEST_CASE("runner: a folder holding another config's run is refused", "[suite][runner]") {
  const mib::test::TempDir dir("other");
  mib::run_sweep(runner_config(1), {dir.str(), 1, false, {}});
  MIB_CHECK_THROWS(mib::run_sweep(runner_config(2), {dir.str(), 1, false, {}}), mib::ConfigError,
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

TEST_CASE("shards: together they equal the unsharded run exactly; merge joins them",
          "[suite][shard]") {
  const mib::test::TempDir all("all"), s1("s1"), s2("s2"), s3("s3"), merged("merged");
  const mib::Config c = runner_config();
  mib::run_sweep(c, {all.str(), 2, false, {}});
  std::size_t cells = 0;
  const std::string dirs[] = {s1.str(), s2.str(), s3.str()};
  for (std::size_t i = 0; i < 3; ++i)
    cells += mib::run_sweep(c, {dirs[i], 1, false, {i + 1, 3}}).cells;
  CHECK(cells == 3 * 2 * 3 * 5);
  const auto summary = mib::merge_runs({dirs[2], dirs[0], dirs[1]}, merged.str() + "/out",
                                       mib::builtin_catalog(), test_registry());
  CHECK(summary.missing.empty());
  CHECK(summary.merged == cells);
  CHECK(untimed(merged.str() + "/out") == untimed(all.str()));
  // Merging a folder twice drops the identical duplicates; a missing shard is reported.
  const auto twice = mib::merge_runs({dirs[0], dirs[0], dirs[1]}, merged.str() + "/twice",
                                     mib::builtin_catalog(), test_registry());
  CHECK(twice.duplicates == cells / 3);
  CHECK(twice.missing.size() == cells / 3);
  // Different configs are refused, and so is an output folder that already holds results.
  const mib::test::TempDir other("other-config");
  mib::run_sweep(runner_config(77), {other.str(), 1, false, {1, 3}});
  CHECK_THROWS_WITH(mib::merge_runs({dirs[0], other.str()}, merged.str() + "/bad",
                                    mib::builtin_catalog(), test_registry()),
                    Contains("config_hash must be that of"));
  CHECK_THROWS_WITH(
      mib::merge_runs({dirs[0]}, merged.str() + "/out", mib::builtin_catalog(), test_registry()),
      Contains("one without results.jsonl"));
}

TEST_CASE(
    "runner: replicates_by_n and max_n — run, shards, merge and the reader agree on the "
    "cells, whose samples are the full grid's",
    "[suite][runner]") {
  auto j = runner_config().json;
  j["replicates_by_n"] = {{"120", 1}};
  j["max_n"] = {{"ksg2:k=2", 60}, {"gaussian", 60}};
  const mib::Config c = mib::parse_config(j, "test.json", mib::builtin_catalog(), test_registry());
  const mib::test::TempDir all("shaped"), s1("shaped-1"), s2("shaped-2"), merged("shaped-merged");
  const auto summary = mib::run_sweep(c, {all.str(), 2, false, {}});
  // 3 tasks: at n = 60, 3 replicates × 5 estimators; at n = 120, 1 replicate × 3 estimators.
  CHECK(summary.cells == 3 * (3 * 5 + 1 * 3));
  std::set<std::string> keys;
  for (const auto& row : untimed(all.str())) keys.insert(row["key"].get<std::string>());
  CHECK(keys.size() == summary.cells);
  CHECK(keys.count("1v1-normal-0.75|120|0|ksg") == 1);
  CHECK(keys.count("1v1-normal-0.75|120|1|ksg") == 0);
  CHECK(keys.count("1v1-normal-0.75|120|0|gaussian") == 0);
  // The reader accepts exactly these cells; shards and merge reproduce the run.
  const mib::RunFolder folder =
      mib::read_run_folder(all.str(), mib::builtin_catalog(), test_registry());
  CHECK(folder.results.rows.size() == summary.cells);
  mib::run_sweep(c, {s1.str(), 1, false, {1, 2}});
  mib::run_sweep(c, {s2.str(), 1, false, {2, 2}});
  const auto m = mib::merge_runs({s2.str(), s1.str()}, merged.str() + "/out",
                                 mib::builtin_catalog(), test_registry());
  CHECK(m.missing.empty());
  CHECK(untimed(merged.str() + "/out") == untimed(all.str()));
  // The cells both grids have are identical: same seeds, same samples, same estimates.
  const mib::test::TempDir plain("plain");
  mib::run_sweep(runner_config(), {plain.str(), 1, false, {}});
  std::map<std::string, nlohmann::json> full;
  for (const auto& row : untimed(plain.str())) full[row["key"].get<std::string>()] = row;
  for (const auto& row : untimed(all.str())) {
    CAPTURE(row["key"]);
    CHECK(full.at(row["key"].get<std::string>()) == row);
  }
}

TEST_CASE("shards: i/N is parsed strictly", "[suite][shard]") {
  CHECK(mib::parse_shard("2/5", "s").index == 2);
  CHECK(mib::parse_shard("2/5", "s").count == 5);
  for (const char* bad : {"0/3", "4/3", "1/0", "a/3", "1-3", "1/3x", ""}) {
    CAPTURE(bad);
    CHECK_THROWS_AS(mib::parse_shard(bad, "--shard"), mib::ConfigError);
  }
}
