#include "suite/merge.hpp"

#include <filesystem>
#include <map>

#include "core/error.hpp"
#include "core/files.hpp"
#include "suite/config.hpp"
#include "suite/grid.hpp"
#include "suite/result_store.hpp"

namespace mib {
namespace {

nlohmann::json read_manifest(const std::string& dir) {
  const std::string path = ResultStore::manifest_path(dir);
  if (!std::filesystem::exists(path))
    fail<DataError>(dir, "the run folder", "one holding manifest.json", "without it");
  auto j = nlohmann::json::parse(read_file(path), nullptr, false);
  if (j.is_discarded() || !j.is_object())
    fail<DataError>(path, "the manifest", "a JSON object", "not");
  return j;
}

}  // namespace

MergeSummary merge_runs(const std::vector<std::string>& dirs, const std::string& out,
                        const TaskCatalog& catalog, const Registry<Estimator>& estimators) {
  require<ConfigError>(!dirs.empty(), "mibench merge", "the run folders", "at least one", 0);
  require<ConfigError>(!std::filesystem::exists(ResultStore::results_path(out)), out,
                       "the output folder", "one without results.jsonl", "a folder with results");
  const nlohmann::json first = read_manifest(dirs[0]);
  for (const auto& dir : dirs) {
    const nlohmann::json m = read_manifest(dir);
    for (const char* key : {"config_hash", "mibench_version"}) {
      require<ConfigError>(m.value(key, "") == first.value(key, ""), dir, std::string("its ") + key,
                           "that of " + dirs[0] + " (" + first.value(key, "") + ")",
                           m.value(key, "none"));
    }
  }
  const Config config =
      parse_config(first.at("config"), dirs[0] + "/manifest.json", catalog, estimators);
  std::vector<std::string> order;
  for (const auto& g : expand_grid(config)) {
    for (const auto& e : config.estimators) {
      order.push_back(cell_key(config.tasks[g.task].id, g.n, g.replicate, e.spec.label));
    }
  }
  std::map<std::string, std::size_t> rank;
  for (std::size_t i = 0; i < order.size(); ++i) rank.emplace(order[i], i);

  MergeSummary summary;
  summary.cells = order.size();
  std::map<std::size_t, std::pair<nlohmann::json, std::string>> rows;  // rank -> (row, folder)
  for (const auto& dir : dirs) {
    const std::string path = ResultStore::results_path(dir);
    if (!std::filesystem::exists(path)) continue;  // a shard that has not started
    for (auto& row : parse_results(read_file(path), path)) {
      const std::string key = row.at("key").get<std::string>();
      auto r = rank.find(key);
      require<ConfigError>(r != rank.end(), path, "cell " + key, "a cell of the config's grid",
                           "unknown");
      auto [it, inserted] = rows.emplace(r->second, std::make_pair(row, dir));
      if (!inserted) {
        require<ConfigError>(without_timing(it->second.first) == without_timing(row), dir,
                             "cell " + key, "equal to its copy in " + it->second.second,
                             "different");
        ++summary.duplicates;
      }
    }
  }
  std::string text;
  for (const auto& [r, entry] : rows) text += entry.first.dump() + "\n";
  for (std::size_t i = 0; i < order.size(); ++i) {
    if (!rows.count(i)) summary.missing.push_back(order[i]);
  }
  summary.merged = rows.size();

  std::error_code ec;
  std::filesystem::create_directories(out, ec);
  if (ec) fail<DataError>(out, "the output folder", "creatable", ec.message());
  nlohmann::json manifest = first;
  manifest["shard"] = "1/1";
  manifest["merged_from"] = dirs;
  write_file_atomic(ResultStore::manifest_path(out), manifest.dump(2) + "\n");
  write_file_atomic(ResultStore::results_path(out), text);
  return summary;
}

}  // namespace mib
