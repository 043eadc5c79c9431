#pragma once
// Reading a run folder (manifest.json + results.jsonl) with one set of rules, applied by every
// reader: `run`'s resume, `report`, `check`, `baseline` and `merge`.
//
//   - manifest.json must exist beside results.jsonl and hold a config this build can parse;
//   - every row must be a cell of that config's grid (and of the folder's shard), and agree
//     with it: task, n, replicate, estimator label, sample seed, canonical spec, parameters,
//     dimensions and true MI — so rows of another config (or another seed) are never adopted;
//   - no key twice: an identical duplicate (apart from timing) is dropped and counted, a
//     conflicting one is a DataError naming both lines;
//   - a torn last line (an interrupted write) is dropped.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/cell_result.hpp"
#include "suite/config.hpp"
#include "suite/grid.hpp"

namespace mib {

/// The build-identity fields of a manifest (mibench_version, git_commit, compiler,
/// compiler_flags, build_type, eigen_version, boost_version): rows of one folder must come
/// from one build unless mixing was allowed, and then the manifest lists every build under
/// "builds".
nlohmann::json build_identity(const nlohmann::json& manifest);

/// "0123abc, mibench 0.1.0, GNU-12.2.0 Release": a build identity in a message.
std::string describe_build(const nlohmann::json& build);

/// The builds a manifest records: its "builds" list when mixing was allowed, else its own.
std::vector<nlohmann::json> recorded_builds(const nlohmann::json& manifest);

/// A run folder's manifest; DataError when it is missing or not a JSON object.
nlohmann::json read_manifest(const std::string& dir);

/// Rows of results.jsonl text, parsed, checked against `config` (and `shard`), duplicates
/// handled as above. `name` names the file in messages.
struct CheckedRows {
  std::vector<CellResult> rows;  ///< unique keys, in file order
  std::size_t duplicates = 0;    ///< identical duplicate lines dropped
  std::size_t valid_bytes = 0;   ///< bytes up to the end of the last whole line
  bool unterminated = false;     ///< the last whole row lacks its newline
};
CheckedRows check_rows(const std::string& text, const std::string& name, const Config& config,
                       Shard shard);

/// A whole run folder, read and checked.
struct RunFolder {
  nlohmann::json manifest;
  Config config;
  Shard shard;
  CheckedRows results;
};

/// Reads `dir`: DataError without results.jsonl or manifest.json, ConfigError when the
/// manifest's config does not parse, DataError for a row that breaks the rules above.
RunFolder read_run_folder(const std::string& dir, const TaskCatalog& catalog,
                          const Registry<Estimator>& estimators);

}  // namespace mib
