#pragma once
// The result store of a run folder:
//   manifest.json   the config, its hash and the build's provenance (written once, atomically)
//   results.jsonl   one JSON object per finished cell, appended and flushed as each finishes
// Re-opening a folder resumes: rows already there are kept, a torn last line (an interrupted
// write) is dropped, and a folder holding another config's results is refused.

#include <cstdio>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

namespace mib {

class ResultStore {
 public:
  /// Opens (creating if needed) `dir`; `manifest` must hold "config_hash". Throws ConfigError
  /// when the folder holds another config's run, DataError when results.jsonl is corrupt.
  ResultStore(const std::string& dir, const nlohmann::json& manifest);
  ~ResultStore();
  ResultStore(const ResultStore&) = delete;
  ResultStore& operator=(const ResultStore&) = delete;

  /// Keys of the cells already in the store.
  const std::set<std::string>& finished() const { return finished_; }
  /// Appends one row (must hold its "key") and flushes it. Thread-safe.
  void append(const nlohmann::json& row);
  /// Rewrites results.jsonl atomically with the rows ordered by `order` (cell keys in
  /// canonical order); rows not in `order` keep their place at the end.
  void finalize(const std::vector<std::string>& order);
  /// Every row in the store, in file order.
  std::vector<nlohmann::json> rows() const;

  static std::string results_path(const std::string& dir) { return dir + "/results.jsonl"; }
  static std::string manifest_path(const std::string& dir) { return dir + "/manifest.json"; }

 private:
  std::string dir_;
  std::FILE* file_ = nullptr;
  std::mutex mutex_;
  std::set<std::string> finished_;
  std::vector<nlohmann::json> rows_;
};

/// A results row without its timing fields (seconds, cpu_seconds): what must be identical
/// between two runs of the same cell.
nlohmann::json without_timing(nlohmann::json row);

/// Parses results.jsonl text: one object per line; a torn last line is dropped (its byte
/// offset is returned in *valid_bytes), any other bad line is a DataError naming file and line.
std::vector<nlohmann::json> parse_results(const std::string& text, const std::string& name,
                                          std::size_t* valid_bytes = nullptr);

}  // namespace mib
