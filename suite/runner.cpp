#include "suite/runner.hpp"

#include <unistd.h>

#include <atomic>
#include <boost/version.hpp>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <ctime>
#include <exception>
#include <fstream>
#include <thread>

#include "core/build_info.hpp"
#include "core/deadline.hpp"
#include "core/memory.hpp"
#include "core/rng.hpp"
#include "estimators/harness.hpp"
#include "suite/grid.hpp"
#include "suite/result_store.hpp"
#include "suite/sampling.hpp"

namespace mib {
namespace {

class Progress {
 public:
  Progress(bool enabled, std::size_t total) : enabled_(enabled), total_(total) {}
  void tick(bool failed) {
    ++done_;
    if (failed) ++failed_;
    if (!enabled_) return;
    const auto now = std::chrono::steady_clock::now();
    std::lock_guard<std::mutex> lock(mutex_);
    if (now - last_ < std::chrono::milliseconds(200) && done_ != total_) return;
    last_ = now;
    const double elapsed = std::chrono::duration<double>(now - start_).count();
    const std::size_t done = done_;
    const double eta =
        done ? elapsed * static_cast<double>(total_ - done) / static_cast<double>(done) : 0;
    std::fprintf(stderr, "\r[%zu/%zu cells] %zu failed, %.0f s elapsed, ~%.0f s left   ", done,
                 total_, failed_.load(), elapsed, eta);
    if (done == total_) std::fputc('\n', stderr);
    std::fflush(stderr);
  }

 private:
  bool enabled_;
  std::size_t total_;
  std::atomic<std::size_t> done_{0}, failed_{0};
  std::mutex mutex_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now(), last_{};
};

// The machine a run starts on: host name, CPU model (/proc/cpuinfo) and hardware threads.
nlohmann::json machine() {
  char host[256] = "";
  if (gethostname(host, sizeof host) != 0) host[0] = 0;
  host[sizeof host - 1] = 0;
  std::string cpu;
  std::ifstream info("/proc/cpuinfo");
  for (std::string line; cpu.empty() && std::getline(info, line);) {
    if (line.rfind("model name", 0) == 0 && line.find(':') != std::string::npos)
      cpu = line.substr(line.find(':') + 2);
  }
  return {{"host", host}, {"cpu", cpu}, {"hardware_threads", std::thread::hardware_concurrency()}};
}

// Now, in UTC, as 2026-11-28T06:17:47Z.
std::string utc_now() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

}  // namespace

nlohmann::json run_manifest(const Config& config, Shard shard) {
  const BuildInfo& b = build_info();
  return {{"schema_version", kSchemaVersion},
          {"mibench_version", b.version},
          {"git_commit", b.commit},
          {"compiler", b.compiler},
          {"compiler_flags", b.flags},
          {"build_type", b.build_type},
          {"eigen_version", std::to_string(EIGEN_WORLD_VERSION) + "." +
                                std::to_string(EIGEN_MAJOR_VERSION) + "." +
                                std::to_string(EIGEN_MINOR_VERSION)},
          {"boost_version", std::to_string(BOOST_VERSION / 100000) + "." +
                                std::to_string(BOOST_VERSION / 100 % 1000) + "." +
                                std::to_string(BOOST_VERSION % 100)},
          {"config", config.json},
          {"config_hash", config.hash},
          {"seed", config.seed},
          {"shard", std::to_string(shard.index) + "/" + std::to_string(shard.count)},
          {"started_at", utc_now()},
          {"machine", machine()}};
}

namespace {

// The largest sample, once per worker thread and once more for the estimator's working copy,
// must fit before anything is written (n = 1e8 at 25 + 25 dims had died later with
// std::bad_alloc, leaving a manifest and an empty results file).
void require_memory(const Config& config, unsigned threads) {
  double largest = 0;
  for (const Task& t : config.tasks) {
    const Dims d = t.distribution->dims();
    for (std::size_t n : config.sample_sizes)
      largest = std::max(largest, 8.0 * static_cast<double>(n) * static_cast<double>(d.x + d.y));
  }
  require_fits_in_memory(2.0 * threads * largest, "mibench run",
                         "the largest sample (× 2 per worker, " + std::to_string(threads) +
                             " workers: " + format_bytes(largest) + " each)");
}

// The cells of one group that are not finished: one sample, then every pending estimator on
// it, each cell appended as it ends. Returns how many ran; stops early, without a row for the
// cell in flight, once `cancel` is set.
std::size_t run_group(const Config& config, const Group& g, const std::set<std::string>& finished,
                      ResultStore& store, Progress& progress, const std::atomic<bool>* cancel) {
  const Task& task = config.tasks[g.task];
  std::vector<const ResolvedEstimator*> pending;
  for (std::size_t i : config.estimators_at(g.n)) {
    const ResolvedEstimator& e = config.estimators[i];
    if (!finished.count(cell_key(task.id, g.n, g.replicate, e.spec.label))) pending.push_back(&e);
  }
  if (pending.empty()) return 0;
  const Sample s = draw_sample(task, g.n, g.seed, config.standardize);
  const GroundTruth truth = task.distribution->mutual_information();
  const Dims dims = task.distribution->dims();
  const ScopedCancel cancellable(cancel);
  std::size_t ran = 0;
  for (const ResolvedEstimator* e : pending) {
    if (cancel && *cancel) break;
    Rng estimator_rng(derive_seed(g.seed, "estimator"));
    CellResult cell{cell_key(task.id, g.n, g.replicate, e->spec.label),
                    task.id,
                    g.n,
                    g.replicate,
                    g.seed,
                    e->spec.label,
                    e->spec.canonical(),
                    e->params,
                    dims.x,
                    dims.y,
                    dims.z,
                    truth.mi,
                    truth.std_error,
                    {}};
    try {
      cell.outcome =
          e->spec.isolation == Isolation::kProcess
              ? call_estimator_isolated(*e->estimator, s.x, s.y, s.z, estimator_rng,
                                        config.cell_time_limit_s, e->spec.memory_limit_mb)
              : call_estimator(*e->estimator, s.x, s.y, s.z, estimator_rng,
                               config.cell_time_limit_s);
    } catch (const Cancelled&) {
      break;
    }
    store.append(cell);
    progress.tick(!cell.outcome.ok());
    ++ran;
  }
  return ran;
}

}  // namespace

RunSummary run_sweep(const Config& config, const RunOptions& options) {
  const unsigned threads = std::max(1u, options.threads);
  require_memory(config, threads);
  ResultStore store(options.out_dir, run_manifest(config, options.shard), config, options.shard,
                    options.allow_mixed_builds);
  const std::vector<Group> groups = shard_groups(expand_grid(config), options.shard);

  std::vector<std::string> order;
  for (const auto& g : groups) {
    for (std::size_t i : config.estimators_at(g.n)) {
      order.push_back(
          cell_key(config.tasks[g.task].id, g.n, g.replicate, config.estimators[i].spec.label));
    }
  }
  RunSummary summary;
  summary.cells = order.size();
  for (const auto& key : order) summary.skipped += store.finished().count(key);
  const std::set<std::string> finished = store.finished();  // snapshot: workers only read it

  Progress progress(options.progress, summary.cells - summary.skipped);
  std::atomic<std::size_t> next{0};
  std::atomic<std::size_t> ran{0};
  std::exception_ptr fatal;  // the first error outside an estimator (e.g. a failed write)
  std::mutex fatal_mutex;
  std::atomic<bool> stop{false};
  auto cancelled = [&] { return options.cancel && *options.cancel; };

  auto work = [&] {
    try {
      for (std::size_t gi = next++; gi < groups.size() && !stop && !cancelled(); gi = next++)
        ran += run_group(config, groups[gi], finished, store, progress, options.cancel);
    } catch (...) {
      std::lock_guard<std::mutex> lock(fatal_mutex);
      if (!fatal) fatal = std::current_exception();
      stop = true;
    }
  };

  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
  if (fatal) std::rethrow_exception(fatal);

  summary.cancelled = cancelled() && ran < summary.cells - summary.skipped;
  if (!summary.cancelled) store.finalize(order);
  summary.ran = ran;
  for (const auto& row : store.rows()) summary.failed += !row.outcome.ok();
  summary.duplicates = store.duplicates_dropped();
  return summary;
}

}  // namespace mib
