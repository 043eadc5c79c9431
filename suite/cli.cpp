#include "suite/cli.hpp"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <thread>

#include "core/build_info.hpp"
#include "core/csv.hpp"
#include "core/error.hpp"
#include "core/files.hpp"
#include "core/json_text.hpp"
#include "core/matrix_io.hpp"
#include "core/memory.hpp"
#include "core/npy.hpp"
#include "core/processes.hpp"
#include "core/rng.hpp"
#include "core/standardize.hpp"
#include "core/text.hpp"
#include "distributions/catalog.hpp"
#include "distributions/mixture.hpp"
#include "estimators/builtin.hpp"
#include "estimators/harness.hpp"
#include "reports/baseline.hpp"
#include "reports/reporter.hpp"
#include "suite/cli_common.hpp"
#include "suite/config.hpp"
#include "suite/consistency.hpp"
#include "suite/grid.hpp"
#include "suite/merge.hpp"
#include "suite/result_store.hpp"
#include "suite/run_folder.hpp"
#include "suite/runner.hpp"
#include "suite/user_data.hpp"

namespace mib {
namespace {

using cli::consistency_command;
using cli::estimate_command;
using cli::fixed;
using cli::in_range;
using cli::IntervalOptions;
using cli::kFailed;

int list_command(const std::string& what, bool json, const Registry<Estimator>& estimators) {
  nlohmann::json out = nlohmann::json::array();
  if (what == "tasks") {
    for (const Task& t : builtin_catalog().tasks()) {
      const Dims d = t.distribution->dims();
      const GroundTruth g = t.distribution->mutual_information();
      out.push_back({{"id", t.id},
                     {"family", t.family},
                     {"dim_x", d.x},
                     {"dim_y", d.y},
                     {"mi", g.mi},
                     {"mi_se", g.std_error},
                     {"method", g.method},
                     {"source", t.source}});
    }
  } else {
    for (const auto* e : estimators.entries()) {
      out.push_back({{"name", e->name}, {"description", e->description}, {"params", e->defaults}});
    }
  }
  if (json) {
    std::cout << out.dump(2) << "\n";
    return 0;
  }
  if (what == "tasks") {
    std::printf("%-36s %5s %5s %10s %8s  %s\n", "id", "dim_x", "dim_y", "MI (nats)", "± SE",
                "source");
    for (const auto& t : out) {
      std::printf("%-36s %5zu %5zu %10.6f %8.2g  %s\n", t["id"].get<std::string>().c_str(),
                  t["dim_x"].get<std::size_t>(), t["dim_y"].get<std::size_t>(),
                  t["mi"].get<double>(), t["mi_se"].get<double>(),
                  t["source"].get<std::string>().c_str());
    }
    std::printf("\nFamilies (use in a config as {\"family\": NAME, \"params\": {...}}):\n");
    for (const auto* f : builtin_catalog().families().entries()) {
      std::printf("  %-20s %s; defaults %s\n", f->name.c_str(), f->description.c_str(),
                  f->defaults.dump().c_str());
    }
    std::printf("\nTransform prefixes (prefix any id: PREFIX-ID):\n");
    for (const auto& t : builtin_catalog().transforms()) {
      std::printf("  %-20s %s\n", t.name.c_str(), t.description.c_str());
    }
    std::printf("\nNamed lists (in a config as \"@NAME\"): %s\n",
                join(builtin_catalog().list_names(), ", ").c_str());
  } else {
    for (const auto& e : out) {
      std::printf("%-10s %s\n           defaults %s\n", e["name"].get<std::string>().c_str(),
                  e["description"].get<std::string>().c_str(), e["params"].dump().c_str());
    }
  }
  return 0;
}

// Monte Carlo of the mean PMI for each task: the independent check of a closed form, and the
// generator of the stored truths of Monte Carlo tasks (distributions/mixture_truths.cpp).
int truth_command(const std::vector<std::string>& names, std::size_t draws, std::uint64_t seed,
                  bool json) {
  const TaskCatalog& catalog = builtin_catalog();
  std::vector<std::string> ids;
  for (const auto& name : names) {
    if (name.rfind('@', 0) == 0) {
      const auto& list = catalog.list(name.substr(1), "mibench truth");
      ids.insert(ids.end(), list.begin(), list.end());
    } else {
      ids.push_back(name);
    }
  }
  nlohmann::json rows = nlohmann::json::array();
  if (!json) {
    std::printf("%-44s %12s %10s %12s %10s %7s\n", "id", "stated MI", "± SE", "Monte Carlo", "± SE",
                "z");
  }
  for (const auto& id : ids) {
    const Task task = catalog.find(id, "mibench truth");
    const GroundTruth stated = task.distribution->mutual_information();
    GroundTruth mc;
    try {
      mc = monte_carlo_mi(*task.distribution, draws, seed);
    } catch (const InvalidArgument&) {
      std::fprintf(stderr, "mibench truth: %s has no exact PMI; skipped\n", id.c_str());
      continue;
    }
    const double z = (mc.mi - stated.mi) / std::hypot(mc.std_error, stated.std_error);
    rows.push_back({{"id", id},
                    {"mi", stated.mi},
                    {"mi_se", stated.std_error},
                    {"method", stated.method},
                    {"mc_mi", mc.mi},
                    {"mc_se", mc.std_error},
                    {"z", z}});
    if (!json) {
      std::printf("%-44s %12.6f %10.2g %12.6f %10.2g %7.2f\n", id.c_str(), stated.mi,
                  stated.std_error, mc.mi, mc.std_error, z);
      std::fflush(stdout);
    }
  }
  if (json) std::cout << rows.dump(2) << "\n";
  return 0;
}

void warn_duplicates(const char* command, const std::string& dir, std::size_t duplicates) {
  if (duplicates == 0) return;
  std::fprintf(stderr,
               "mibench %s: warning: %s holds %zu identical duplicate rows; each cell is counted "
               "once\n",
               command, ResultStore::results_path(dir).c_str(), duplicates);
}

int run_command(const Registry<Estimator>& estimators, const std::string& config_path,
                const std::string& out, unsigned threads, const std::string& shard,
                bool allow_mixed_builds) {
  const Config config = load_config(config_path, builtin_catalog(), estimators);
  RunOptions options{out, threads, static_cast<bool>(::isatty(STDERR_FILENO)),
                     parse_shard(shard, "--shard"), allow_mixed_builds};
  const RunSummary s = run_sweep(config, options);
  warn_duplicates("run", out, s.duplicates);
  std::fprintf(
      stderr, "mibench run: %zu cells (%zu already done, %zu run now), %zu failed; results in %s\n",
      s.cells, s.skipped, s.ran, s.failed, ResultStore::results_path(out).c_str());
  return s.failed ? kFailed : 0;
}

// The aggregates and provenance of a run folder, read by the rules every reader applies
// (suite/run_folder.hpp).
Report load_report(const char* command, const std::string& dir,
                   const Registry<Estimator>& estimators) {
  RunFolder folder = read_run_folder(dir, builtin_catalog(), estimators);
  warn_duplicates(command, dir, folder.results.duplicates);
  Report report;
  report.aggregates = aggregate(folder.results.rows);
  report.provenance = std::move(folder.manifest);
  return report;
}

int report_command(const std::string& dir, const std::string& formats, std::string out,
                   const TableOptions& options, const Registry<Estimator>& estimators) {
  if (out.empty()) out = dir;
  const Registry<Reporter>& reporters = builtin_reporters();
  std::vector<std::unique_ptr<Reporter>> chosen;
  const std::vector<std::string> names = split(formats, ',');
  for (const auto& name : names)
    chosen.push_back(reporters.at(name, "--format").make({}, "--format"));
  Report report = load_report("report", dir, estimators);
  report.options = options;
  // Render everything first: a bad option fails before any file is written.
  std::vector<std::pair<std::string, std::string>> files;
  for (std::size_t i = 0; i < names.size(); ++i) {
    for (auto& f : chosen[i]->files(report, names[i])) files.push_back(std::move(f));
  }
  const std::string summary = reporters.at("md", "report").make({}, "report")->render(report);
  std::error_code ec;
  std::filesystem::create_directories(out, ec);
  if (ec) fail<DataError>(out, "the report folder", "creatable", ec.message());
  for (const auto& [name, content] : files) write_file_atomic(out + "/" + name, content);
  std::cout << summary;
  std::string written;
  for (const auto& file : files) written += (written.empty() ? "" : ", ") + file.first;
  std::fprintf(stderr, "mibench report: wrote %s in %s\n", written.c_str(), out.c_str());
  return 0;
}

int merge_command(const std::vector<std::string>& dirs, const std::string& out,
                  const Registry<Estimator>& estimators, bool allow_mixed_builds) {
  const MergeSummary m = merge_runs(dirs, out, builtin_catalog(), estimators, allow_mixed_builds);
  std::fprintf(stderr, "mibench merge: %zu of %zu cells -> %s (%zu duplicates dropped)\n", m.merged,
               m.cells, ResultStore::results_path(out).c_str(), m.duplicates);
  for (std::size_t i = 0; i < m.missing.size() && i < 20; ++i) {
    std::fprintf(stderr, "  missing: %s\n", m.missing[i].c_str());
  }
  if (m.missing.size() > 20)
    std::fprintf(stderr, "  ... and %zu more missing\n", m.missing.size() - 20);
  return m.missing.empty() ? 0 : kFailed;
}

int baseline_command(const std::string& dir, const std::string& out,
                     const Registry<Estimator>& estimators) {
  const Report report = load_report("baseline", dir, estimators);
  write_file_atomic(out, make_baseline(report.aggregates, report.provenance).dump(1) + "\n");
  std::fprintf(stderr, "mibench baseline: %zu cells -> %s\n", report.aggregates.size(),
               out.c_str());
  return 0;
}

int check_command(const std::string& dir, const std::string& baseline_path,
                  const CheckOptions& options, const Registry<Estimator>& estimators) {
  const Report report = load_report("check", dir, estimators);
  const auto baseline =
      parse_json<DataError>(read_file(baseline_path), baseline_path, "the baseline");
  const CheckResult result = check_against(report.aggregates, baseline, options, baseline_path);
  std::cout << format_check(result);
  return result.regressions.empty() ? 0 : kFailed;
}

int sample_command(const std::string& id, std::size_t n, std::uint64_t seed,
                   const std::string& prefix, const std::string& format, bool standardize) {
  require<ConfigError>(n >= 1, "--n", "the sample size", ">= 1", n);
  // "" or "dir/" would write the hidden files ".x.npy" and ".y.npy".
  require<ConfigError>(!prefix.empty() && prefix.back() != '/', "--out", "the output prefix",
                       "a path ending in a file name stem (e.g. out/sample)", quoted(prefix));
  const Task& task = builtin_catalog().find(id, "mibench sample");
  const Dims dims = task.distribution->dims();
  // The sample and its file image side by side.
  require_fits_in_memory(2 * 8.0 * static_cast<double>(n) * static_cast<double>(dims.x + dims.y),
                         "--n",
                         "the sample (" + std::to_string(n) + " rows × " +
                             std::to_string(dims.x + dims.y) + " columns, twice)");
  Rng rng(seed);
  Sample s = task.distribution->sample(n, rng);
  if (standardize) {
    standardize_columns(s.x);
    standardize_columns(s.y);
  }
  if (format == "npy") {
    write_npy(prefix + ".x.npy", s.x);
    write_npy(prefix + ".y.npy", s.y);
  } else {
    write_csv(prefix + ".x.csv", s.x);
    write_csv(prefix + ".y.csv", s.y);
  }
  std::fprintf(stderr,
               "mibench sample: %s, n = %zu, seed = %llu -> %s.{x,y}.%s (true MI %.6f nats)\n",
               id.c_str(), n, static_cast<unsigned long long>(seed), prefix.c_str(), format.c_str(),
               task.distribution->mutual_information().mi);
  return 0;
}

}  // namespace

int run_cli(int argc, char** argv) { return run_cli(argc, argv, builtin_estimators()); }

int run_cli(int argc, char** argv, const Registry<Estimator>& estimators) {
  // Children (external estimators, isolated calls) never outlive mibench: orphans come back to
  // it, and SIGINT/SIGTERM/SIGHUP kill them and remove their temporary folders first.
  processes::adopt_orphans();
  processes::clean_up_on_signals();
  const CLI::Validator kSeedRange =
      in_range<std::uint64_t>(0, std::numeric_limits<std::uint64_t>::max());
  CLI::App app{"mibench: a benchmark suite for mutual-information estimators (all values in nats)"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("mibench ") + build_info().version);

  std::string what;
  bool json = false;
  auto* list =
      app.add_subcommand("list", "List the catalogue's tasks or the registered estimators");
  list->add_option("what", what, "tasks or estimators")
      ->required()
      ->check(CLI::IsMember({"tasks", "estimators"}));
  list->add_flag("--json", json, "Print a JSON array instead of a table");

  std::string config_path, out;
  unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  auto* run =
      app.add_subcommand("run", "Run a sweep (resumes when --out already holds part of it)");
  run->add_option("config", config_path, "Config file (JSON)")->required();
  run->add_option("--out", out, "Run folder for manifest.json and results.jsonl")->required();
  run->add_option("--threads", threads, "Worker threads (default: the number of cores)")
      ->check(in_range(1u, 4096u));
  std::string shard = "1/1";
  run->add_option("--shard", shard,
                  "Run only shard i of N (i/N); merge the shards with mibench merge");
  bool allow_mixed_builds = false;
  run->add_flag("--allow-mixed-builds", allow_mixed_builds,
                "Resume a folder that another build of mibench started (recorded in the manifest)");

  std::string dir, formats = "md,csv,json,tex,svg,html", report_out;
  auto* report = app.add_subcommand("report", "Aggregate a run into bias/variance/runtime tables");
  report->add_option("dir", dir, "Run folder (holding results.jsonl)")->required();
  report->add_option("--format", formats,
                     "Comma-separated formats: md, csv, json, tex, svg, html (default: all)");
  report->add_option("--out", report_out, "Folder for report.<format> (default: the run folder)");
  TableOptions table;
  std::string table_estimators, table_tasks;
  report->add_option("--n", table.n, "Sample size of the summary tables (default: the largest)")
      ->check(in_range<std::size_t>(1, kMaxSampleSize));
  report->add_option("--units", table.units, "nats (default) or bits");
  report->add_option("--precision", table.precision, "Decimals in the summary tables (default 2)")
      ->check(in_range(0, 12));
  report->add_option("--estimators", table_estimators,
                     "Comma-separated estimator labels: the summary's columns, in order");
  report->add_option("--tasks", table_tasks, "Comma-separated task ids: the summary's rows");

  std::string x_path, y_path;
  std::uint64_t seed = 0;
  auto* estimate =
      app.add_subcommand("estimate", "Estimate MI between two sample files (.npy or .csv)");
  estimate->add_option("--x", x_path, "X samples, rows are samples")->required();
  estimate->add_option("--y", y_path, "Y samples, rows are samples")->required();
  std::vector<std::string> estimate_specs;
  IntervalOptions interval;
  estimate
      ->add_option("--estimator", estimate_specs,
                   "Estimator spec, e.g. ksg:k=5; repeat for several")
      ->required();
  estimate
      ->add_option("--ci", interval.level,
                   "Also a confidence interval at this level (e.g. 0.95) from resamples")
      ->check(in_range(0.0, 1.0));
  estimate->add_option("--resamples", interval.resamples, "Resamples for --ci (default 50)")
      ->check(in_range(2, 100000));
  estimate->add_option("--resample", interval.method,
                       "subsample (n/2 rows, default; right for k-NN) or bootstrap");
  estimate->add_option("--seed", seed, "Seed of the estimator's own randomness (default 0)")
      ->check(kSeedRange);
  estimate->add_flag("--json", json, "Print one JSON object per estimator (JSON Lines)");

  ConsistencyOptions consistency_options;
  std::vector<std::string> consistency_specs;
  std::string cx_path, cy_path;
  bool consistency_json = false;
  auto* consistency = app.add_subcommand(
      "consistency", "Self-consistency tests of estimators on your data (no ground truth needed)");
  consistency->add_option("--x", cx_path, "X samples, rows are samples")->required();
  consistency->add_option("--y", cy_path, "Y samples, rows are samples")->required();
  consistency->add_option("--estimator", consistency_specs, "Estimator spec; repeat for several")
      ->required();
  consistency
      ->add_option("--permutations", consistency_options.permutations,
                   "Shuffles of Y for the independence null (default 20)")
      ->check(in_range(2, 100000));
  consistency
      ->add_option("--tolerance", consistency_options.tolerance,
                   "Allowed |null mean| in nats and |ratio - 1| (default 0.1)")
      ->check(in_range(0.0, 1e6));
  consistency->add_option("--seed", consistency_options.seed, "Seed (default 0)")
      ->check(kSeedRange);
  consistency->add_flag("--json", consistency_json, "One JSON object per estimator");

  std::string task_id, prefix, sample_format = "npy";
  std::size_t n = 0;
  bool standardize = false;
  auto* sample = app.add_subcommand("sample", "Draw a sample of a catalogue task to files");
  sample->add_option("task", task_id, "Task id (see `mibench list tasks`)")->required();
  sample->add_option("--n", n, "Number of samples")
      ->required()
      ->check(in_range<std::size_t>(1, kMaxSampleSize));
  sample->add_option("--seed", seed, "Seed (a results row's `seed` reproduces its sample)")
      ->required()
      ->check(kSeedRange);
  sample->add_option("--out", prefix, "Output prefix: PREFIX.x.<format>, PREFIX.y.<format>")
      ->required();
  sample->add_option("--format", sample_format, "npy or csv")->check(CLI::IsMember({"npy", "csv"}));
  sample->add_flag("--standardize", standardize,
                   "Standardise each column (as a config's standardize)");

  std::vector<std::string> merge_dirs;
  std::string merge_out;
  auto* merge =
      app.add_subcommand("merge", "Join the run folders of one config (e.g. shards) into one");
  merge->add_option("dirs", merge_dirs, "Run folders")->required();
  merge->add_option("--out", merge_out, "Output run folder (must hold no results yet)")->required();
  merge->add_flag("--allow-mixed-builds", allow_mixed_builds,
                  "Merge folders of different builds (recorded in the manifest)");

  std::string baseline_dir, baseline_out;
  auto* baseline =
      app.add_subcommand("baseline", "Write a run's aggregates as a CI baseline (JSON)");
  baseline->add_option("dir", baseline_dir, "Run folder (holding results.jsonl)")->required();
  baseline->add_option("--out", baseline_out, "Baseline file to write")->required();

  std::string check_dir, check_baseline;
  CheckOptions check_options;
  auto* check =
      app.add_subcommand("check", "Compare a run with a baseline; exit 1 on a regression");
  check->add_option("dir", check_dir, "Run folder (holding results.jsonl)")->required();
  check->add_option("--baseline", check_baseline, "Baseline file (from mibench baseline)")
      ->required();
  check
      ->add_option("--sigmas", check_options.sigmas,
                   "Tolerance in combined standard errors (default 4)")
      ->check(in_range(1e-6, 1e6));
  check
      ->add_option("--absolute", check_options.absolute,
                   "Tolerance where a side has one replicate (default 1e-9)")
      ->check(in_range(0.0, 1e6));

  std::vector<std::string> truth_tasks;
  std::size_t draws = 1000000;
  auto* truth = app.add_subcommand(
      "truth", "Monte Carlo mean of the exact PMI per task, against the stated MI (z-score)");
  truth->add_option("tasks", truth_tasks, "Task ids or @lists")->required();
  truth->add_option("--draws", draws, "Monte Carlo draws (default 10^6)")
      ->check(in_range<std::size_t>(2, 1000000000));
  truth->add_option("--seed", seed, "Seed (default 0)")->check(kSeedRange);
  truth->add_flag("--json", json, "Print a JSON array");

  if (argc > 1 && argv[1][0] != '-') {
    std::vector<std::string> commands;
    for (const auto* sub : app.get_subcommands({})) commands.push_back(sub->get_name());
    if (std::find(commands.begin(), commands.end(), argv[1]) == commands.end()) {
      std::cerr << "mibench: error: "
                << message("mibench", "the command", "one of " + join(commands, ", "),
                           quoted(argv[1]))
                << "\n";
      return 2;
    }
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  try {
    if (*list) return list_command(what, json, estimators);
    if (*run) return run_command(estimators, config_path, out, threads, shard, allow_mixed_builds);
    if (*report) {
      if (!table_estimators.empty()) table.estimators = split(table_estimators, ',');
      if (!table_tasks.empty()) table.tasks = split(table_tasks, ',');
      return report_command(dir, formats, report_out, table, estimators);
    }
    if (*estimate)
      return estimate_command(estimators, x_path, y_path, estimate_specs, seed, json, interval);
    if (*consistency)
      return consistency_command(estimators, cx_path, cy_path, consistency_specs,
                                 consistency_options, consistency_json);
    if (*sample) return sample_command(task_id, n, seed, prefix, sample_format, standardize);
    if (*truth) return truth_command(truth_tasks, draws, seed, json);
    if (*baseline) return baseline_command(baseline_dir, baseline_out, estimators);
    if (*merge) return merge_command(merge_dirs, merge_out, estimators, allow_mixed_builds);
    if (*check) return check_command(check_dir, check_baseline, check_options, estimators);
  } catch (const Error& e) {
    std::cerr << "mibench: error: " << e.what() << "\n";
    return 2;
  } catch (const std::bad_alloc&) {
    std::cerr << "mibench: error: out of memory: the command needs more memory than this "
                 "machine has (reduce n, the dimensions or --threads)\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "mibench: internal error: " << e.what() << "\n";
    return kFailed;
  }
  return 0;
}

}  // namespace mib
