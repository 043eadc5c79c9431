#include "suite/run_folder.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>

#include "core/error.hpp"
#include "core/files.hpp"
#include "core/json_text.hpp"
#include "suite/result_store.hpp"

namespace mib {
namespace {

constexpr const char* kBuildKeys[] = {"mibench_version", "git_commit", "compiler",
                                      "compiler_flags",  "build_type", "eigen_version",
                                      "boost_version"};

// What a row of one cell must say, from the config (computed once per task and estimator).
struct TaskFacts {
  const Task* task;
  Dims dims;
  GroundTruth truth;
};
struct EstimatorFacts {
  std::string label, spec, params;
};
struct Expected {
  const TaskFacts* task;
  const Group* group;
  const EstimatorFacts* estimator;
};

template <class T>
void agree(bool same, const T& row_value, const T& expected, const std::string& where,
           const char* field, const std::string& rule) {
  if (!same) {
    fail<DataError>(where, std::string("field ") + field, rule + " (" + describe(expected) + ")",
                    describe(row_value));
  }
}
template <class T>
void agree(const T& row_value, const T& expected, const std::string& where, const char* field,
           const std::string& rule) {
  agree(row_value == expected, row_value, expected, where, field, rule);
}
// A true MI computed on another machine may differ in its last bits (another SIMD path).
void agree_number(double row_value, double expected, const std::string& where, const char* field,
                  const std::string& rule) {
  agree(std::abs(row_value - expected) <= 1e-9 * std::max(1.0, std::abs(expected)), row_value,
        expected, where, field, rule);
}

void check_against_config(const CellResult& c, const Expected& e, const std::string& where) {
  const std::string config = "as the folder's config says";
  agree(c.task, e.task->task->id, where, "task", config);
  agree(c.n, e.group->n, where, "n", config);
  agree(c.replicate, e.group->replicate, where, "replicate", config);
  agree(c.estimator, e.estimator->label, where, "estimator", config);
  agree(c.seed, e.group->seed, where, "seed", "derived from the config's seed");
  agree(c.spec, e.estimator->spec, where, "spec", config);
  agree(c.params.dump(), e.estimator->params, where, "params", config);
  agree(c.dim_x, e.task->dims.x, where, "dim_x", "the task's");
  agree(c.dim_y, e.task->dims.y, where, "dim_y", "the task's");
  agree(c.dim_z, e.task->dims.z, where, "dim_z", "the task's");
  agree_number(c.mi_true, e.task->truth.mi, where, "mi_true", "the task's true MI");
  agree_number(c.mi_true_se, e.task->truth.std_error, where, "mi_true_se", "the task's");
}

}  // namespace

nlohmann::json build_identity(const nlohmann::json& manifest) {
  nlohmann::json out = nlohmann::json::object();
  for (const char* key : kBuildKeys) out[key] = manifest.is_object() ? manifest.value(key, "") : "";
  return out;
}

std::string describe_build(const nlohmann::json& b) {
  return b.value("git_commit", "") + ", mibench " + b.value("mibench_version", "") + ", " +
         b.value("compiler", "") + " " + b.value("build_type", "");
}

std::vector<nlohmann::json> recorded_builds(const nlohmann::json& manifest) {
  if (manifest.contains("builds") && manifest["builds"].is_array()) {
    std::vector<nlohmann::json> builds;
    for (const auto& b : manifest["builds"]) builds.push_back(build_identity(b));
    return builds;
  }
  return {build_identity(manifest)};
}

nlohmann::json read_manifest(const std::string& dir) {
  const std::string path = ResultStore::manifest_path(dir);
  if (!std::filesystem::exists(path))
    fail<MissingFile>(dir, "the run folder", "one holding manifest.json", "without it");
  auto j = parse_json_or_discarded(read_file(path));
  if (j.is_discarded() || !j.is_object() || !j.contains("config"))
    fail<DataError>(path, "the manifest", "a JSON object with the run's config", "not");
  return j;
}

CheckedRows check_rows(const std::string& text, const std::string& name, const Config& config,
                       Shard shard) {
  const std::vector<Group> groups = shard_groups(expand_grid(config), shard);
  std::vector<TaskFacts> tasks;
  for (const Task& t : config.tasks)
    tasks.push_back({&t, t.distribution->dims(), t.distribution->mutual_information()});
  std::vector<EstimatorFacts> estimators;
  for (const auto& e : config.estimators)
    estimators.push_back({e.spec.label, e.spec.canonical(), e.params.dump()});
  std::map<std::string, Expected> cells;
  for (const Group& g : groups) {
    const TaskFacts& task = tasks[g.task];
    for (std::size_t i : config.estimators_at(g.n)) {
      const EstimatorFacts& e = estimators[i];
      cells.emplace(cell_key(task.task->id, g.n, g.replicate, e.label), Expected{&task, &g, &e});
    }
  }
  CheckedRows out;
  const std::vector<nlohmann::json> json_rows = parse_results(text, name, &out.valid_bytes);
  out.unterminated = out.valid_bytes > 0 && text[out.valid_bytes - 1] != '\n';
  std::map<std::string, std::pair<std::size_t, nlohmann::json>> seen;  // key -> (line, untimed)
  for (std::size_t i = 0; i < json_rows.size(); ++i) {
    const std::string where = name + ":" + std::to_string(i + 1);
    CellResult c = cell_from_json(json_rows[i], where);
    auto expected = cells.find(c.key);
    require<DataError>(expected != cells.end(), where, "the row's key",
                       "a cell of the folder's config (manifest.json" +
                           (shard.count > 1 ? ", shard " + std::to_string(shard.index) + "/" +
                                                  std::to_string(shard.count)
                                            : std::string()) +
                           ")",
                       quoted(c.key));
    check_against_config(c, expected->second, where);
    nlohmann::json untimed = without_timing(to_json(c));
    auto [it, inserted] = seen.emplace(c.key, std::make_pair(i + 1, untimed));
    if (!inserted) {
      require<DataError>(it->second.second == untimed, where, "cell " + c.key,
                         "identical to its copy on line " + std::to_string(it->second.first) +
                             " (apart from timing)",
                         "different");
      ++out.duplicates;
      continue;
    }
    out.rows.push_back(std::move(c));
  }
  return out;
}

RunFolder read_run_folder(const std::string& dir, const TaskCatalog& catalog,
                          const Registry<Estimator>& estimators) {
  const std::string results = ResultStore::results_path(dir);
  if (!std::filesystem::exists(results))
    fail<MissingFile>(dir, "the run folder", "one holding results.jsonl", "without it");
  RunFolder folder;
  folder.manifest = read_manifest(dir);
  folder.config = parse_config(folder.manifest["config"],
                               ResultStore::manifest_path(dir) + ": config", catalog, estimators);
  folder.shard = parse_shard(folder.manifest.value("shard", "1/1"),
                             ResultStore::manifest_path(dir) + ": shard");
  folder.results = check_rows(read_file(results), results, folder.config, folder.shard);
  return folder;
}

}  // namespace mib
