#include "suite/result_store.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <map>
#include <optional>

#include "core/error.hpp"
#include "core/files.hpp"
#include "core/json_text.hpp"
#include "suite/run_folder.hpp"

namespace mib {

nlohmann::json without_timing(nlohmann::json row) {
  row.erase("seconds");
  row.erase("cpu_seconds");
  return row;
}

std::vector<nlohmann::json> parse_results(const std::string& text, const std::string& name,
                                          std::size_t* valid_bytes) {
  std::vector<nlohmann::json> rows;
  std::size_t start = 0, line = 0;
  while (start < text.size()) {
    ++line;
    const std::size_t end = text.find('\n', start);
    const bool last = end == std::string::npos;
    const std::string body = text.substr(start, last ? std::string::npos : end - start);
    auto row = parse_json_or_discarded(body);
    const bool good = !row.is_discarded() && row.is_object() && row.contains("key");
    if (last) {  // no newline: an interrupted write unless it parses
      if (good) rows.push_back(std::move(row));
      if (valid_bytes) *valid_bytes = good ? text.size() : start;
      return rows;
    }
    if (!good) {
      const bool final_line = end + 1 == text.size();
      if (final_line) break;  // torn, then newline-terminated by nobody: treat as torn too
      fail<DataError>(name + ":" + std::to_string(line), "each line", "a JSON object with a key",
                      body.substr(0, 80));
    }
    rows.push_back(std::move(row));
    start = end + 1;
  }
  if (valid_bytes) *valid_bytes = start;
  return rows;
}

std::string results_line(const CellResult& cell) {
  return to_json(cell).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

ResultStore::ResultStore(const std::string& dir, const nlohmann::json& manifest,
                         const Config& config, Shard shard, bool allow_mixed_builds)
    : dir_(dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) fail<DataError>(dir, "the output folder", "creatable", ec.message());

  const std::string manifest_file = manifest_path(dir);
  const std::string results = results_path(dir);
  std::optional<nlohmann::json> new_manifest;  // written once the rows have passed
  if (std::filesystem::exists(manifest_file)) {
    nlohmann::json old = parse_json_or_discarded(read_file(manifest_file));
    if (old.is_discarded() || !old.is_object() ||
        old.value("config_hash", "") != manifest.at("config_hash")) {
      fail<ConfigError>(
          dir, "the output folder",
          "empty or a run of the same config (its manifest.json has config_hash " +
              (old.is_discarded() || !old.is_object() ? std::string("unreadable")
                                                      : old.value("config_hash", "none")) +
              "); choose another --out",
          "config_hash " + manifest.at("config_hash").get<std::string>());
    }
    require<ConfigError>(old.value("shard", "1/1") == manifest.value("shard", "1/1"), dir,
                         "the output folder's shard",
                         old.value("shard", "1/1") + " (as its manifest says)",
                         manifest.value("shard", "1/1"));
    std::vector<nlohmann::json> builds = recorded_builds(old);
    const nlohmann::json build = build_identity(manifest);
    if (std::find(builds.begin(), builds.end(), build) == builds.end()) {
      require<ConfigError>(
          allow_mixed_builds, dir, "the build that resumes a run",
          "the one that started it (" + describe_build(builds.back()) +
              "): start a new --out folder, or pass --allow-mixed-builds to resume and record "
              "both builds in the manifest",
          describe_build(build));
      builds.push_back(build);
      old["builds"] = builds;
      new_manifest = old;
    }
  } else {
    require<ConfigError>(!std::filesystem::exists(results) || std::filesystem::is_empty(results),
                         dir, "the output folder",
                         "empty or a run with its manifest.json; choose another --out",
                         "one holding results.jsonl without manifest.json");
    new_manifest = manifest;
  }

  if (std::filesystem::exists(results)) {
    const std::string text = read_file(results);
    CheckedRows checked = check_rows(text, results, config, shard);
    if (checked.valid_bytes != text.size())
      std::filesystem::resize_file(results, checked.valid_bytes);  // drop a torn line
    rows_ = std::move(checked.rows);
    duplicates_ = checked.duplicates;
    for (const auto& row : rows_) finished_.insert(row.key);
    if (checked.unterminated) {  // a whole last row without its newline: end it first
      std::FILE* f = std::fopen(results.c_str(), "ab");
      const bool ok = f && std::fputc('\n', f) != EOF;
      if (!f || std::fclose(f) != 0 || !ok)
        fail<DataError>(results, "the results file", "writable", std::strerror(errno));
    }
  }
  if (new_manifest) write_file_atomic(manifest_file, new_manifest->dump(2) + "\n");
  file_ = std::fopen(results.c_str(), "ab");
  if (!file_) fail<DataError>(results, "the results file", "writable", std::strerror(errno));
}

ResultStore::~ResultStore() {
  if (file_) std::fclose(file_);
}

void ResultStore::append(const CellResult& cell) {
  const std::string line = results_line(cell);
  std::lock_guard<std::mutex> lock(mutex_);
  if (std::fwrite(line.data(), 1, line.size(), file_) != line.size() || std::fflush(file_) != 0) {
    fail<DataError>(results_path(dir_), "the results file", "writable", std::strerror(errno));
  }
  finished_.insert(cell.key);
  rows_.push_back(cell);
}

void ResultStore::finalize(const std::vector<std::string>& order) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::map<std::string, std::size_t> rank;
  for (std::size_t i = 0; i < order.size(); ++i) rank.emplace(order[i], i);
  auto rank_of = [&](const CellResult& row) {
    auto it = rank.find(row.key);
    return it == rank.end() ? order.size() : it->second;
  };
  std::stable_sort(rows_.begin(), rows_.end(),
                   [&](const auto& a, const auto& b) { return rank_of(a) < rank_of(b); });
  std::string text;
  for (const auto& row : rows_) text += results_line(row);
  std::fclose(file_);
  file_ = nullptr;
  write_file_atomic(results_path(dir_), text);
  file_ = std::fopen(results_path(dir_).c_str(), "ab");
}

}  // namespace mib
