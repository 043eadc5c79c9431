#pragma once
// Sweep configuration (JSON, schema_version 1):
//
//   {
//     "schema_version": 1,
//     "seed": 0,                          master seed (unsigned 64-bit integer)
//     "replicates": 5,                    samples per (task, n)
//     "sample_sizes": [500, 1000],        n values, each >= 2
//     "tasks": ["1v1-normal-0.75",        catalogue ids, or families whose list-valued
//               {"family": "multinormal-dense", "params": {"dim": [2, 5], "corr": 0.5}}],
//                                         parameters expand (Cartesian product)
//     "estimators": ["ksg", "ksg2:k=5", {"name": "gaussian", "label": "Gauss"}],
//     "cell_time_limit_s": 600,           optional (default 600)
//     "standardize": false,               optional: standardise each drawn sample per column
//                                         (bmi's protocol)
//     "replicates_by_n": {"50000": 1},    optional: fewer (or more) replicates at some n
//     "max_n": {"KSG-5": 20000}           optional: the largest n an estimator (by label) runs
//   }                                     at; larger n have no cell for it
//
// Every problem is a ConfigError naming the file and the key.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "distributions/catalog.hpp"
#include "estimators/spec.hpp"

namespace mib {

struct Config {
  std::uint64_t seed = 0;
  int replicates = 1;
  std::vector<std::size_t> sample_sizes;
  std::vector<Task> tasks;
  std::vector<ResolvedEstimator> estimators;
  double cell_time_limit_s = 600;
  bool standardize = false;
  std::vector<int> replicates_by_size;  ///< parallel to sample_sizes: replicates at each n
  std::vector<std::size_t> max_n;       ///< parallel to estimators: the largest n each runs at
  nlohmann::json json;                  ///< the config as given (for the manifest and its hash)
  std::string hash;                     ///< 16 hex digits of FNV-1a 64 over json.dump()

  /// Replicates at sample size n (`replicates` unless replicates_by_n sets it).
  int replicates_at(std::size_t n) const;
  /// The indices (into estimators) of those with a cell at sample size n, in config order —
  /// what every reader and writer of a run's cells enumerates.
  std::vector<std::size_t> estimators_at(std::size_t n) const;
};

inline constexpr int kSchemaVersion = 1;
/// The largest sample size a config, `sample --n` or `report --n` accepts.
inline constexpr std::size_t kMaxSampleSize = 100000000;
/// The most cells a config's grid may have.
inline constexpr double kMaxCells = 1e7;
/// The longest time limit per cell, in seconds (30 days): a deadline must stay representable
/// on the steady clock (1e10 s overflowed it and timed every cell out at once).
inline constexpr double kMaxCellTimeLimit = 30 * 86400.0;

/// Every task with a conditioning variable Z must go with estimators of I(X; Y | Z), every
/// other task with estimators of I(X; Y): ConfigError naming `where`, the task and the
/// estimator otherwise.
void check_pairing(const std::vector<Task>& tasks, const std::vector<ResolvedEstimator>& estimators,
                   const std::string& where);

/// Validates and resolves a config; `name` (the file) prefixes messages.
Config parse_config(const nlohmann::json& j, const std::string& name, const TaskCatalog& catalog,
                    const Registry<Estimator>& estimators);

/// A config file's JSON, unchecked (MissingFile when it does not exist, ConfigError when it
/// cannot be read or is not JSON).
nlohmann::json read_config_json(const std::string& path);

/// Reads and parses a config file (MissingFile, or ConfigError for bad JSON or content).
Config load_config(const std::string& path, const TaskCatalog& catalog,
                   const Registry<Estimator>& estimators);

}  // namespace mib
