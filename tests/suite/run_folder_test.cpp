// The rules every reader of a run folder applies (suite/run_folder.hpp), tested through each
// reader: run's resume, read_run_folder (report, check, baseline) and merge.
#include "suite/run_folder.hpp"

#include <functional>

#include "check.hpp"
#include "core/error.hpp"
#include "core/files.hpp"
#include "estimators/builtin.hpp"
#include "suite/merge.hpp"
#include "suite/result_store.hpp"
#include "suite/runner.hpp"
#include "temp_dir.hpp"

using Catch::Matchers::Contains;

namespace {

mib::Config config(std::uint64_t seed = 3, const char* estimators = R"(["ksg", "gaussian"])") {
  auto j = nlohmann::json::parse(R"({"schema_version": 1, "replicates": 2, "sample_sizes": [80],
    "tasks": ["1v1-normal-0.75", "multinormal-dense-2-2-0.5"]})");
  j["seed"] = seed;
  j["estimators"] = nlohmann::json::parse(estimators);
  return mib::parse_config(j, "test.json", mib::builtin_catalog(), mib::builtin_estimators());
}

// A finished run of config(), and its results text.
struct Run {
  mib::test::TempDir dir{"folder"};
  std::string results, manifest;
  Run() {
    mib::run_sweep(config(), {dir.str(), 1, false, {}});
    results = mib::read_file(mib::ResultStore::results_path(dir.str()));
    manifest = mib::read_file(mib::ResultStore::manifest_path(dir.str()));
  }
  void write_results(const std::string& text) const {
    mib::write_file_atomic(mib::ResultStore::results_path(dir.str()), text);
  }
};

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  for (std::size_t start = 0, end; (end = text.find('\n', start)) != std::string::npos;
       start = end + 1)
    out.push_back(text.substr(start, end - start));
  return out;
}

std::string joined(const std::vector<std::string>& rows) {
  std::string out;
  for (const auto& r : rows) out += r + "\n";
  return out;
}

// Each reader of a folder, as a call that throws what it refuses.
struct Reader {
  const char* name;
  std::function<void(const std::string& dir)> read;
};
std::vector<Reader> readers() {
  return {
      {"run (resume)",
       [](const std::string& dir) {
         mib::run_sweep(config(), {dir, 1, false, {}});
       }},
      {"report/check/baseline",
       [](const std::string& dir) {
         mib::read_run_folder(dir, mib::builtin_catalog(), mib::builtin_estimators());
       }},
      {"merge",
       [](const std::string& dir) {
         const mib::test::TempDir out("merge-out");
         mib::merge_runs({dir}, out / "m", mib::builtin_catalog(), mib::builtin_estimators());
       }},
  };
}

}  // namespace

TEST_CASE("run folder: rows that do not belong to the folder's config are refused by every reader",
          "[suite][run_folder]") {
  // Each case edits one row of a finished run; every reader must refuse the folder, naming
  // the file, the line and the field.
  struct Case {
    const char* what;
    std::function<void(nlohmann::json&)> edit;
    const char* message;
  };
  const std::vector<Case> cases = {
      {"another master seed",
       [](auto& r) { r["seed"] = r["seed"].template get<std::uint64_t>() + 1; },
       "field seed must be derived from the config's seed"},
      {"another estimator's parameters", [](auto& r) { r["params"]["k"] = 7; },
       "field params must be as the folder's config says"},
      {"a key outside the grid", [](auto& r) { r["key"] = "1v1-normal-0.75|80|9|ksg"; },
       "the row's key must be a cell of the folder's config"},
      {"another task under the same key", [](auto& r) { r["task"] = "1v1-normal-0.5"; },
       "field task must be as the folder's config says"},
      {"another true MI", [](auto& r) { r["mi_true"] = 0.9; }, "field mi_true must be the task's"},
      {"another spec", [](auto& r) { r["spec"] = "ksg:k=4"; }, "field spec must be"},
      {"an estimate on a failed cell", [](auto& r) { r["status"] = "error"; },
       "field estimate must be null when the cell failed"},
      {"an unknown status", [](auto& r) { r["status"] = "fine"; }, "field status must be one of"},
      {"a negative n", [](auto& r) { r["n"] = -80; }, "field n must be of the right type"},
      {"a missing field", [](auto& r) { r.erase("dim_y"); }, "field dim_y must be present"},
      {"a malformed ceiling", [](auto& r) { r["info"]["saturated"] = "yes"; },
       "field saturated must be of the right type"},
  };
  for (const auto& c : cases) {
    for (const auto& reader : readers()) {
      CAPTURE(c.what, reader.name);
      Run run;
      auto rows = lines(run.results);
      auto row = nlohmann::json::parse(rows[2]);
      c.edit(row);
      rows[2] = row.dump();
      run.write_results(joined(rows));
      MIB_CHECK_THROWS(reader.read(run.dir.str()), mib::DataError,
                       Contains("results.jsonl:3") && Contains(c.message));
    }
  }
}

TEST_CASE(
    "run folder: duplicates — identical ones are dropped and counted, conflicting ones refused",
    "[suite][run_folder]") {
  for (const auto& reader : readers()) {
    CAPTURE(reader.name);
    Run run;
    const auto rows = lines(run.results);
    // The file appended to itself: every row twice; each reader counts every cell once.
    run.write_results(run.results + run.results);
    reader.read(run.dir.str());
    const auto folder =
        mib::read_run_folder(run.dir.str(), mib::builtin_catalog(), mib::builtin_estimators());
    CHECK(folder.results.rows.size() == rows.size());
    CHECK(folder.results.duplicates ==
          (std::string(reader.name) == "run (resume)" ? 0 : rows.size()));
    // A conflicting copy of one cell (another estimate): an error naming both lines.
    auto changed = nlohmann::json::parse(rows[1]);
    changed["estimate"] = changed["estimate"].get<double>() + 1.4;
    run.write_results(run.results + changed.dump() + "\n");
    MIB_CHECK_THROWS(reader.read(run.dir.str()), mib::DataError,
                     Contains("results.jsonl:" + std::to_string(rows.size() + 1)) &&
                         Contains("identical to its copy on line 2"));
  }
  // Resuming rewrites the folder without the duplicates.
  Run run;
  run.write_results(run.results + run.results);
  const auto summary = mib::run_sweep(config(), {run.dir.str(), 1, false, {}});
  CHECK(summary.duplicates == lines(run.results).size());
  CHECK(summary.ran == 0);
  CHECK(mib::read_file(mib::ResultStore::results_path(run.dir.str())) == run.results);
}

TEST_CASE("run folder: results.jsonl without its manifest is never adopted",
          "[suite][run_folder]") {
  for (const auto& reader : readers()) {
    CAPTURE(reader.name);
    Run run;
    std::filesystem::remove(mib::ResultStore::manifest_path(run.dir.str()));
    CHECK_THROWS_WITH(
        reader.read(run.dir.str()),
        Contains("manifest.json") && (Contains("without it") || Contains("without manifest.json")));
    // Nothing was written: the folder still has no manifest.
    CHECK_FALSE(std::filesystem::exists(mib::ResultStore::manifest_path(run.dir.str())));
  }
}

TEST_CASE("run folder: an unterminated last row is ended before resuming, so later resumes work",
          "[suite][run_folder]") {
  Run run;
  const auto rows = lines(run.results);
  // Killed after the row's bytes but before its newline, then resumed twice with a second
  // interruption (a torn row) in between.
  std::string text = joined({rows.begin(), rows.begin() + 3});
  text.pop_back();
  run.write_results(text);
  const auto first = mib::run_sweep(config(), {run.dir.str(), 1, false, {}});
  CHECK(first.skipped == 3);
  std::string again = mib::read_file(mib::ResultStore::results_path(run.dir.str()));
  again = again.substr(0, again.find('\n', again.find('\n') + 1) + 1) + rows[2].substr(0, 20);
  run.write_results(again);
  const auto second = mib::run_sweep(config(), {run.dir.str(), 1, false, {}});
  CHECK(second.skipped == 2);
  auto untimed = [](const std::string& t) {
    std::vector<nlohmann::json> out;
    for (auto& r : mib::parse_results(t, "r")) out.push_back(mib::without_timing(r));
    return out;
  };
  CHECK(untimed(mib::read_file(mib::ResultStore::results_path(run.dir.str()))) ==
        untimed(run.results));
}

TEST_CASE(
    "run folder: resuming with another build is refused unless mixing is allowed, and recorded",
    "[suite][run_folder]") {
  Run run;
  auto manifest = nlohmann::json::parse(run.manifest);
  manifest["git_commit"] = "0123abc";
  const std::string path = mib::ResultStore::manifest_path(run.dir.str());
  mib::write_file_atomic(path, manifest.dump(2));
  MIB_CHECK_THROWS(
      mib::run_sweep(config(), {run.dir.str(), 1, false, {}}), mib::ConfigError,
      Contains("the build that resumes a run must be the one that started it (0123abc") &&
          Contains("--allow-mixed-builds"));
  CHECK(mib::read_file(path) == manifest.dump(2));  // refused: nothing changed
  mib::run_sweep(config(), {run.dir.str(), 1, false, {}, true});
  const auto mixed = nlohmann::json::parse(mib::read_file(path));
  REQUIRE(mixed["builds"].size() == 2);
  CHECK(mixed["builds"][0]["git_commit"] == "0123abc");
  CHECK(mixed["builds"][1] == mib::build_identity(mib::run_manifest(config())));
  // Once recorded, the same two builds resume without the flag.
  mib::run_sweep(config(), {run.dir.str(), 1, false, {}});
  // merge follows the same rule: folders of different builds only with the flag.
  Run other;
  const mib::test::TempDir out("merged-builds");
  MIB_CHECK_THROWS(mib::merge_runs({run.dir.str(), other.dir.str()}, out / "a",
                                   mib::builtin_catalog(), mib::builtin_estimators()),
                   mib::ConfigError, Contains("its build must be that of the other folders"));
  mib::merge_runs({run.dir.str(), other.dir.str()}, out / "b", mib::builtin_catalog(),
                  mib::builtin_estimators(), true);
  const auto merged = nlohmann::json::parse(mib::read_file(out / "b/manifest.json"));
  CHECK(merged["builds"].size() == 2);
}
