#pragma once
// Joining shards: the run folders of one config (e.g. `mibench run --shard i/N` on several
// machines) become one run folder, as if the sweep had run unsharded.

#include <string>
#include <vector>

#include "distributions/catalog.hpp"
#include "estimators/estimator.hpp"

namespace mib {

struct MergeSummary {
  std::size_t cells = 0;       ///< cells in the config's grid
  std::size_t merged = 0;      ///< distinct cells written
  std::size_t duplicates = 0;  ///< cells found twice (identical results), within or across folders
  std::vector<std::string> missing;  ///< grid cells found in no folder, in canonical order
};

/// Merges `dirs` into `out` (manifest.json and results.jsonl, written atomically, rows in
/// canonical order). Each folder is read by the rules of run_folder.hpp. Throws ConfigError
/// when the folders hold different configs, come from different builds (unless
/// allow_mixed_builds: the merged manifest then lists them under "builds"), when a cell has
/// different results in two folders, or when `out` already holds results; DataError for an
/// unreadable folder or a row that breaks the rules.
MergeSummary merge_runs(const std::vector<std::string>& dirs, const std::string& out,
                        const TaskCatalog& catalog, const Registry<Estimator>& estimators,
                        bool allow_mixed_builds = false);

}  // namespace mib
