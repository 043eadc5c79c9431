#include "suite/result_store.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <map>

#include "core/error.hpp"
#include "core/files.hpp"

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
    auto row = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
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

ResultStore::ResultStore(const std::string& dir, const nlohmann::json& manifest) : dir_(dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) fail<DataError>(dir, "the output folder", "creatable", ec.message());

  const std::string manifest_file = manifest_path(dir);
  if (std::filesystem::exists(manifest_file)) {
    nlohmann::json old = nlohmann::json::parse(read_file(manifest_file), nullptr, false);
    if (old.is_discarded() || old.value("config_hash", "") != manifest.at("config_hash")) {
      fail<ConfigError>(
          dir, "the output folder",
          "empty or a run of the same config (its manifest.json has config_hash " +
              (old.is_discarded() ? std::string("unreadable") : old.value("config_hash", "none")) +
              "); choose another --out",
          "config_hash " + manifest.at("config_hash").get<std::string>());
    }
    require<ConfigError>(old.value("shard", "1/1") == manifest.value("shard", "1/1"), dir,
                         "the output folder's shard",
                         old.value("shard", "1/1") + " (as its manifest says)",
                         manifest.value("shard", "1/1"));
  } else {
    write_file_atomic(manifest_file, manifest.dump(2) + "\n");
  }

  const std::string results = results_path(dir);
  if (std::filesystem::exists(results)) {
    const std::string text = read_file(results);
    std::size_t valid = 0;
    rows_ = parse_results(text, results, &valid);
    if (valid != text.size()) std::filesystem::resize_file(results, valid);  // drop a torn line
    for (const auto& row : rows_) finished_.insert(row.at("key").get<std::string>());
  }
  file_ = std::fopen(results.c_str(), "ab");
  if (!file_) fail<DataError>(results, "the results file", "writable", std::strerror(errno));
}

ResultStore::~ResultStore() {
  if (file_) std::fclose(file_);
}

void ResultStore::append(const nlohmann::json& row) {
  const std::string line = row.dump() + "\n";
  std::lock_guard<std::mutex> lock(mutex_);
  if (std::fwrite(line.data(), 1, line.size(), file_) != line.size() || std::fflush(file_) != 0) {
    fail<DataError>(results_path(dir_), "the results file", "writable", std::strerror(errno));
  }
  finished_.insert(row.at("key").get<std::string>());
  rows_.push_back(row);
}

void ResultStore::finalize(const std::vector<std::string>& order) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::map<std::string, std::size_t> rank;
  for (std::size_t i = 0; i < order.size(); ++i) rank.emplace(order[i], i);
  auto rank_of = [&](const nlohmann::json& row) {
    auto it = rank.find(row.at("key").get<std::string>());
    return it == rank.end() ? order.size() : it->second;
  };
  std::stable_sort(rows_.begin(), rows_.end(),
                   [&](const auto& a, const auto& b) { return rank_of(a) < rank_of(b); });
  std::string text;
  for (const auto& row : rows_) text += row.dump() + "\n";
  std::fclose(file_);
  file_ = nullptr;
  write_file_atomic(results_path(dir_), text);
  file_ = std::fopen(results_path(dir_).c_str(), "ab");
}

std::vector<nlohmann::json> ResultStore::rows() const { return rows_; }

}  // namespace mib
