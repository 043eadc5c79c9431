#pragma once
// The result store of a run folder:
//   manifest.json   the config, its hash and the build's provenance (written once, atomically)
//   results.jsonl   one JSON object per finished cell, appended and flushed as each finishes
// Re-opening a folder resumes: rows already there are kept (read by the rules every reader
// applies, suite/run_folder.hpp), a torn last line (an interrupted write) is dropped, and a
// folder holding another config's results, or another build's, is refused.

#include <cstdio>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "core/cell_result.hpp"
#include "suite/config.hpp"
#include "suite/grid.hpp"

namespace mib {

class ResultStore {
 public:
  /// Opens (creating if needed) `dir` for `config` (shard `shard`); `manifest` is this run's
  /// (run_manifest). An existing folder must hold the same config and shard (ConfigError) and
  /// come from this build (ConfigError) unless allow_mixed_builds, which adds this build to
  /// the manifest's "builds"; its rows are read by the rules of run_folder.hpp (DataError).
  /// A folder with results.jsonl but no manifest.json is refused (ConfigError). A torn tail
  /// is cut and an unterminated last row gets its newline before anything is appended.
  ResultStore(const std::string& dir, const nlohmann::json& manifest, const Config& config,
              Shard shard, bool allow_mixed_builds = false);
  ~ResultStore();
  ResultStore(const ResultStore&) = delete;
  ResultStore& operator=(const ResultStore&) = delete;

  /// Keys of the cells already in the store.
  const std::set<std::string>& finished() const { return finished_; }
  /// Identical duplicate rows found (and dropped) when the folder was opened.
  std::size_t duplicates_dropped() const { return duplicates_; }
  /// Appends one row and flushes it. Thread-safe.
  void append(const CellResult& cell);
  /// Rewrites results.jsonl atomically with the rows ordered by `order` (cell keys in
  /// canonical order).
  void finalize(const std::vector<std::string>& order);
  /// Every row in the store, in file order.
  const std::vector<CellResult>& rows() const { return rows_; }

  static std::string results_path(const std::string& dir) { return dir + "/results.jsonl"; }
  static std::string manifest_path(const std::string& dir) { return dir + "/manifest.json"; }

 private:
  std::string dir_;
  std::FILE* file_ = nullptr;
  std::mutex mutex_;
  std::set<std::string> finished_;
  std::vector<CellResult> rows_;
  std::size_t duplicates_ = 0;
};

/// A results row without its timing fields (seconds, cpu_seconds): what must be identical
/// between two runs of the same cell.
nlohmann::json without_timing(nlohmann::json row);

/// The row as one line of results.jsonl (with its newline); bytes that are not UTF-8 in a
/// message are replaced, never a reason to lose the row.
std::string results_line(const CellResult& cell);

/// Parses results.jsonl text: one object per line; a torn last line is dropped (its byte
/// offset is returned in *valid_bytes), any other bad line is a DataError naming file and line.
std::vector<nlohmann::json> parse_results(const std::string& text, const std::string& name,
                                          std::size_t* valid_bytes = nullptr);

}  // namespace mib
