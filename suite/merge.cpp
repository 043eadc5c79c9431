#include "suite/merge.hpp"

#include <algorithm>
#include <filesystem>
#include <map>

#include "core/error.hpp"
#include "core/files.hpp"
#include "suite/config.hpp"
#include "suite/grid.hpp"
#include "suite/result_store.hpp"
#include "suite/run_folder.hpp"

namespace mib {

MergeSummary merge_runs(const std::vector<std::string>& dirs, const std::string& out,
                        const TaskCatalog& catalog, const Registry<Estimator>& estimators,
                        bool allow_mixed_builds) {
  require<ConfigError>(!dirs.empty(), "mibench merge", "the run folders", "at least one", 0);
  require<ConfigError>(!std::filesystem::exists(ResultStore::results_path(out)), out,
                       "the output folder", "one without results.jsonl", "a folder with results");
  std::vector<nlohmann::json> manifests;
  for (const auto& dir : dirs) manifests.push_back(read_manifest(dir));
  const nlohmann::json& first = manifests[0];
  std::vector<nlohmann::json> builds;
  for (std::size_t d = 0; d < dirs.size(); ++d) {
    const std::string& dir = dirs[d];
    const nlohmann::json& m = manifests[d];
    require<ConfigError>(m.value("config_hash", "") == first.value("config_hash", ""), dir,
                         "its config_hash",
                         "that of " + dirs[0] + " (" + first.value("config_hash", "") + ")",
                         m.value("config_hash", "none"));
    for (const auto& b : recorded_builds(m)) {
      if (std::find(builds.begin(), builds.end(), b) != builds.end()) continue;
      if (!builds.empty() && !allow_mixed_builds) {
        fail<ConfigError>(dir, "its build",
                          "that of the other folders (" + describe_build(builds.front()) +
                              "); pass --allow-mixed-builds to merge them and record both",
                          describe_build(b));
      }
      builds.push_back(b);
    }
  }
  const Config config =
      parse_config(first.at("config"), dirs[0] + "/manifest.json: config", catalog, estimators);
  std::vector<std::string> order;
  for (const auto& g : expand_grid(config)) {
    for (std::size_t i : config.estimators_at(g.n)) {
      order.push_back(
          cell_key(config.tasks[g.task].id, g.n, g.replicate, config.estimators[i].spec.label));
    }
  }
  std::map<std::string, std::size_t> rank;
  for (std::size_t i = 0; i < order.size(); ++i) rank.emplace(order[i], i);

  MergeSummary summary;
  summary.cells = order.size();
  std::map<std::size_t, std::pair<CellResult, std::string>> rows;  // rank -> (row, folder)
  for (std::size_t d = 0; d < dirs.size(); ++d) {
    const std::string& dir = dirs[d];
    const std::string path = ResultStore::results_path(dir);
    if (!std::filesystem::exists(path)) continue;  // a shard that has not started
    const Shard shard = parse_shard(manifests[d].value("shard", "1/1"),
                                    ResultStore::manifest_path(dir) + ": shard");
    CheckedRows checked = check_rows(read_file(path), path, config, shard);
    summary.duplicates += checked.duplicates;
    for (auto& row : checked.rows) {
      const std::size_t r = rank.at(row.key);
      auto [it, inserted] = rows.emplace(r, std::make_pair(row, dir));
      if (!inserted) {
        require<ConfigError>(
            without_timing(to_json(it->second.first)) == without_timing(to_json(row)), dir,
            "cell " + row.key, "equal to its copy in " + it->second.second, "different");
        ++summary.duplicates;
      }
    }
  }
  std::string text;
  for (const auto& [r, entry] : rows) text += results_line(entry.first);
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
  if (builds.size() > 1) manifest["builds"] = builds;
  write_file_atomic(ResultStore::manifest_path(out), manifest.dump(2) + "\n");
  write_file_atomic(ResultStore::results_path(out), text);
  return summary;
}

}  // namespace mib
