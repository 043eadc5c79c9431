#pragma once
// The sweep runner: a pool of worker threads over the groups of the grid. Each group's
// samples are drawn once (seeded by the group, not by the worker or the order) and passed to
// each of its pending estimators through the harness (timing, time limit, failures).

#include <atomic>
#include <string>

#include "suite/config.hpp"
#include "suite/grid.hpp"

namespace mib {

struct RunOptions {
  std::string out_dir;
  unsigned threads = 1;             ///< worker threads (>= 1)
  bool progress = false;            ///< a progress line on stderr
  Shard shard;                      ///< the part of the grid to run (default: all of it)
  bool allow_mixed_builds = false;  ///< resume a folder another build started (recorded)
  /// Once true, workers start no new cell and the cells in flight stop at their next
  /// check_deadline() without a row (the Python package's Ctrl-C): what finished is kept, and
  /// a later run into the same folder resumes. Null: never cancelled.
  const std::atomic<bool>* cancel = nullptr;
};

struct RunSummary {
  std::size_t cells = 0;       ///< cells in the grid
  std::size_t skipped = 0;     ///< already in the store (resume)
  std::size_t ran = 0;         ///< evaluated now
  std::size_t failed = 0;      ///< cells in the store whose status is not ok
  std::size_t duplicates = 0;  ///< identical duplicate rows dropped from the folder
  bool cancelled = false;      ///< stopped by options.cancel before the grid was done
};

/// The provenance block of a run: mibench version and commit, compiler and flags, Eigen and
/// Boost versions, the config and its hash, the master seed.
nlohmann::json run_manifest(const Config& config, Shard shard = {});

/// Runs every cell of config not yet in options.out_dir; rewrites results.jsonl in canonical
/// order at the end (not when cancelled: the rows written so far stay as they are). Throws
/// ConfigError/DataError for an unusable output folder.
RunSummary run_sweep(const Config& config, const RunOptions& options);

}  // namespace mib
