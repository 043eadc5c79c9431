// The verbs on run folders: run, merge, report, baseline, check.

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <thread>

#include "core/error.hpp"
#include "core/files.hpp"
#include "core/json_text.hpp"
#include "core/text.hpp"
#include "distributions/catalog.hpp"
#include "reports/baseline.hpp"
#include "reports/reporter.hpp"
#include "suite/cli_common.hpp"
#include "suite/command.hpp"
#include "suite/config.hpp"
#include "suite/merge.hpp"
#include "suite/report_folder.hpp"
#include "suite/result_store.hpp"
#include "suite/run_folder.hpp"
#include "suite/runner.hpp"

namespace mib::cli {
namespace {

void warn_duplicates(const char* command, const std::string& dir, std::size_t duplicates) {
  if (duplicates == 0) return;
  std::fprintf(stderr,
               "mibench %s: warning: %s holds %zu identical duplicate rows; each cell is counted "
               "once\n",
               command, ResultStore::results_path(dir).c_str(), duplicates);
}

// The aggregates and provenance of a run folder, read by the rules every reader applies
// (suite/run_folder.hpp).
Report load_report(const char* command, const std::string& dir,
                   const Registry<Estimator>& estimators) {
  std::size_t duplicates = 0;
  Report report = mib::load_report(dir, estimators, &duplicates);
  warn_duplicates(command, dir, duplicates);
  return report;
}

const char* const kMixedBuilds = "--allow-mixed-builds";

class RunCommand final : public Command {
 public:
  void declare(CLI::App& app) override {
    app.add_option("config", config_, "Config file (JSON)")->required();
    app.add_option("--out", out_, "Run folder for manifest.json and results.jsonl")->required();
    app.add_option("--threads", threads_, "Worker threads (default: the number of cores)")
        ->check(in_range(1u, 4096u));
    app.add_option("--shard", shard_,
                   "Run only shard i of N (i/N); merge the shards with mibench merge");
    app.add_flag(kMixedBuilds, allow_mixed_builds_,
                 "Resume a folder that another build of mibench started (recorded in the "
                 "manifest)");
  }

  int run(const Registry<Estimator>& estimators) override {
    const Config config = load_config(config_, builtin_catalog(), estimators);
    const RunOptions options{out_, threads_, static_cast<bool>(::isatty(STDERR_FILENO)),
                             parse_shard(shard_, "--shard"), allow_mixed_builds_};
    const RunSummary s = run_sweep(config, options);
    warn_duplicates("run", out_, s.duplicates);
    std::fprintf(
        stderr,
        "mibench run: %zu cells (%zu already done, %zu run now), %zu failed; results in %s\n",
        s.cells, s.skipped, s.ran, s.failed, ResultStore::results_path(out_).c_str());
    return s.failed ? kFailed : 0;
  }

 private:
  std::string config_, out_, shard_ = "1/1";
  unsigned threads_ = std::max(1u, std::thread::hardware_concurrency());
  bool allow_mixed_builds_ = false;
};

class MergeCommand final : public Command {
 public:
  void declare(CLI::App& app) override {
    app.add_option("dirs", dirs_, "Run folders")->required();
    app.add_option("--out", out_, "Output run folder (must hold no results yet)")->required();
    app.add_flag(kMixedBuilds, allow_mixed_builds_,
                 "Merge folders of different builds (recorded in the manifest)");
  }

  int run(const Registry<Estimator>& estimators) override {
    const MergeSummary m =
        merge_runs(dirs_, out_, builtin_catalog(), estimators, allow_mixed_builds_);
    std::fprintf(stderr, "mibench merge: %zu of %zu cells -> %s (%zu duplicates dropped)\n",
                 m.merged, m.cells, ResultStore::results_path(out_).c_str(), m.duplicates);
    const std::size_t shown = std::min<std::size_t>(m.missing.size(), 20);
    for (std::size_t i = 0; i < shown; ++i)
      std::fprintf(stderr, "  missing: %s\n", m.missing[i].c_str());
    if (m.missing.size() > shown)
      std::fprintf(stderr, "  ... and %zu more missing\n", m.missing.size() - shown);
    return m.missing.empty() ? 0 : kFailed;
  }

 private:
  std::vector<std::string> dirs_;
  std::string out_;
  bool allow_mixed_builds_ = false;
};

class ReportCommand final : public Command {
 public:
  void declare(CLI::App& app) override {
    // Every registered format, by default.
    const std::string all = join(builtin_reporters().names(), ",");
    formats_ = all;
    app.add_option("dir", dir_, "Run folder (holding results.jsonl)")->required();
    app.add_option("--format", formats_, "Comma-separated formats: " + all + " (default: all)");
    app.add_option("--out", out_, "Folder for report.<format> (default: the run folder)");
    app.add_option("--n", table_.n, "Sample size of the summary tables (default: the largest)")
        ->check(in_range<std::size_t>(1, kMaxSampleSize));
    app.add_option("--units", table_.units, "nats (default) or bits");
    app.add_option("--precision", table_.precision, "Decimals in the summary tables (default 2)")
        ->check(in_range(0, 12));
    app.add_option("--estimators", estimators_,
                   "Comma-separated estimator labels: the summary's columns, in order");
    app.add_option("--tasks", tasks_, "Comma-separated task ids: the summary's rows");
  }

  int run(const Registry<Estimator>& estimators) override {
    if (!estimators_.empty()) table_.estimators = split(estimators_, ',');
    if (!tasks_.empty()) table_.tasks = split(tasks_, ',');
    const std::string out = out_.empty() ? dir_ : out_;
    const ReportFormats formats = report_formats(split(formats_, ','), "--format");
    Report report = load_report("report", dir_, estimators);
    report.options = table_;
    const auto files = render_report(report, formats);
    const std::string summary =
        builtin_reporters().at("md", "report").make({}, "report")->render(report);
    write_report_files(files, out);
    std::cout << summary;
    std::string written;
    for (const auto& file : files) written += (written.empty() ? "" : ", ") + file.first;
    std::fprintf(stderr, "mibench report: wrote %s in %s\n", written.c_str(), out.c_str());
    return 0;
  }

 private:
  std::string dir_, formats_, out_, estimators_, tasks_;
  TableOptions table_;
};

class BaselineCommand final : public Command {
 public:
  void declare(CLI::App& app) override {
    app.add_option("dir", dir_, "Run folder (holding results.jsonl)")->required();
    app.add_option("--out", out_, "Baseline file to write")->required();
  }

  int run(const Registry<Estimator>& estimators) override {
    const Report report = load_report("baseline", dir_, estimators);
    write_file_atomic(out_, make_baseline(report.aggregates, report.provenance).dump(1) + "\n");
    std::fprintf(stderr, "mibench baseline: %zu cells -> %s\n", report.aggregates.size(),
                 out_.c_str());
    return 0;
  }

 private:
  std::string dir_, out_;
};

class CheckCommand final : public Command {
 public:
  void declare(CLI::App& app) override {
    app.add_option("dir", dir_, "Run folder (holding results.jsonl)")->required();
    app.add_option("--baseline", baseline_, "Baseline file (from mibench baseline)")->required();
    app.add_option("--sigmas", options_.sigmas, "Tolerance in combined standard errors (default 4)")
        ->check(in_range(1e-6, 1e6));
    app.add_option("--absolute", options_.absolute,
                   "Tolerance where a side has one replicate (default 1e-9)")
        ->check(in_range(0.0, 1e6));
  }

  int run(const Registry<Estimator>& estimators) override {
    const Report report = load_report("check", dir_, estimators);
    const auto baseline = parse_json<DataError>(read_file(baseline_), baseline_, "the baseline");
    const CheckResult result = check_against(report.aggregates, baseline, options_, baseline_);
    std::cout << format_check(result);
    return result.regressions.empty() ? 0 : kFailed;
  }

 private:
  std::string dir_, baseline_;
  CheckOptions options_;
};

}  // namespace

void add_run_folder_commands(std::vector<CommandEntry>& commands) {
  commands.push_back(
      entry<RunCommand>("run", "Run a sweep (resumes when --out already holds part of it)"));
  commands.push_back(
      entry<MergeCommand>("merge", "Join the run folders of one config (e.g. shards) into one"));
  commands.push_back(
      entry<ReportCommand>("report", "Aggregate a run into bias/variance/runtime tables"));
  commands.push_back(
      entry<BaselineCommand>("baseline", "Write a run's aggregates as a CI baseline (JSON)"));
  commands.push_back(
      entry<CheckCommand>("check", "Compare a run with a baseline; exit 1 on a regression"));
}

}  // namespace mib::cli
