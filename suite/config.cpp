#include "suite/config.hpp"

#include <algorithm>
#include <cstdio>
#include <limits>
#include <set>

#include "core/error.hpp"
#include "core/files.hpp"
#include "core/json_text.hpp"
#include "core/rng.hpp"
#include "core/text.hpp"
#include "estimators/builtin.hpp"

namespace mib {
namespace {

const std::vector<std::string> kKeys = {
    "schema_version",    "seed",        "replicates",      "sample_sizes", "tasks", "estimators",
    "cell_time_limit_s", "standardize", "replicates_by_n", "max_n"};

const nlohmann::json& required(const nlohmann::json& j, const std::string& key,
                               const std::string& name) {
  auto it = j.find(key);
  if (it == j.end()) fail<ConfigError>(name, "key " + key, "present", "missing");
  return *it;
}

std::uint64_t integer(const nlohmann::json& v, const std::string& where, std::uint64_t lo,
                      std::uint64_t hi) {
  const std::string rule = "an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]";
  const bool non_negative =
      v.is_number_unsigned() || (v.is_number_integer() && v.get<long long>() >= 0);
  if (!non_negative) fail<ConfigError>(where, "the value", rule, v.dump());
  const auto value = v.get<std::uint64_t>();
  if (value < lo || value > hi) fail<ConfigError>(where, "the value", rule, v.dump());
  return value;
}

// Expands a family entry: every list-valued parameter is one axis of a Cartesian product.
std::vector<nlohmann::json> expand(const nlohmann::json& params, const std::string& where) {
  std::vector<nlohmann::json> out{nlohmann::json::object()};
  for (const auto& [key, value] : params.items()) {
    std::vector<nlohmann::json> next;
    if (value.is_array()) {
      require<ConfigError>(!value.empty(), where + ".params." + key, "the list", "non-empty", "[]");
    }
    const nlohmann::json values = value.is_array() ? value : nlohmann::json::array({value});
    for (const auto& partial : out) {
      for (const auto& v : values) {
        nlohmann::json p = partial;
        p[key] = v;
        next.push_back(std::move(p));
      }
    }
    out = std::move(next);
  }
  return out;
}

std::vector<Task> parse_tasks(const nlohmann::json& tasks, const std::string& name,
                              const TaskCatalog& catalog) {
  require<ConfigError>(tasks.is_array() && !tasks.empty(), name + ": tasks", "the value",
                       "a non-empty list", tasks.dump());
  std::vector<Task> out;
  std::set<std::string> seen;
  for (std::size_t i = 0; i < tasks.size(); ++i) {
    const std::string where = name + ": tasks[" + std::to_string(i) + "]";
    const auto& t = tasks[i];
    std::vector<Task> made;
    if (t.is_string() && t.get<std::string>().rfind('@', 0) == 0) {
      for (const auto& id : catalog.list(t.get<std::string>().substr(1), where)) {
        made.push_back(catalog.find(id, where));
      }
    } else if (t.is_string()) {
      made.push_back(catalog.find(t.get<std::string>(), where));
    } else if (t.is_object()) {
      for (const auto& [key, value] : t.items()) {
        require<ConfigError>(key == "family" || key == "params", where, "key", "family or params",
                             quoted(key));
      }
      auto family = t.find("family");
      if (family == t.end() || !family->is_string()) {
        fail<ConfigError>(where, "family", "a string",
                          family == t.end() ? "missing" : family->dump());
      }
      nlohmann::json params = t.value("params", nlohmann::json::object());
      require<ConfigError>(params.is_object(), where, "params", "an object", params.dump());
      for (const auto& p : expand(params, where)) {
        made.push_back(catalog.make(family->get<std::string>(), p, where));
      }
    } else {
      fail<ConfigError>(where, "a task", "an id string or {\"family\": ..., \"params\": ...}",
                        t.dump());
    }
    for (auto& task : made) {
      require<ConfigError>(seen.insert(task.id).second, where, "task " + task.id, "listed once",
                           "a duplicate");
      out.push_back(std::move(task));
    }
  }
  return out;
}

}  // namespace

void check_pairing(const std::vector<Task>& tasks, const std::vector<ResolvedEstimator>& estimators,
                   const std::string& where) {
  for (const Task& t : tasks) {
    const std::size_t dz = t.distribution->dims().z;
    for (const ResolvedEstimator& e : estimators) {
      if ((dz > 0) == e.estimator->conditional()) continue;
      fail<ConfigError>(
          where + ": tasks and estimators",
          "estimator " + quoted(e.spec.label) + " for task " + quoted(t.id) +
              (dz > 0 ? " (whose truth is I(X; Y | Z), dim_z = " + std::to_string(dz) + ")"
                      : " (whose truth is I(X; Y), no Z)"),
          dz > 0 ? "an estimator of I(X; Y | Z): " + join(conditional_estimator_names(), ", ") +
                       ", or chain:<estimator> for any other (I(X; Y, Z) - I(X; Z))"
                 : "an estimator of I(X; Y) (put tasks with and without Z in separate configs)",
          dz > 0 ? "an estimator of I(X; Y)" : "an estimator of I(X; Y | Z)");
    }
  }
}

Config parse_config(const nlohmann::json& j, const std::string& name, const TaskCatalog& catalog,
                    const Registry<Estimator>& estimators) {
  require<ConfigError>(j.is_object(), name, "the config", "a JSON object", j.type_name());
  for (const auto& [key, value] : j.items()) {
    if (std::find(kKeys.begin(), kKeys.end(), key) == kKeys.end()) {
      fail<ConfigError>(
          name, "key",
          "one of " + join(kKeys, ", ") + " (closest: " + closest(key, kKeys, 1)[0] + ")",
          quoted(key));
    }
  }
  // Every missing key at once, not one per attempt.
  std::vector<std::string> missing;
  for (const char* key :
       {"schema_version", "seed", "replicates", "sample_sizes", "tasks", "estimators"})
    if (!j.contains(key)) missing.push_back(key);
  if (!missing.empty()) {
    fail<ConfigError>(name, (missing.size() == 1 ? "key " : "keys ") + join(missing, ", "),
                      "present", "missing");
  }
  Config c;
  const auto& version = required(j, "schema_version", name);
  require<ConfigError>(version == kSchemaVersion, name + ": schema_version", "the value",
                       std::to_string(kSchemaVersion), version.dump());
  c.seed = integer(required(j, "seed", name), name + ": seed", 0,
                   std::numeric_limits<std::uint64_t>::max());
  c.replicates =
      static_cast<int>(integer(required(j, "replicates", name), name + ": replicates", 1, 100000));

  const auto& sizes = required(j, "sample_sizes", name);
  require<ConfigError>(sizes.is_array() && !sizes.empty(), name + ": sample_sizes", "the value",
                       "a non-empty list of integers", sizes.dump());
  std::set<std::size_t> seen_sizes;
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    const std::string where = name + ": sample_sizes[" + std::to_string(i) + "]";
    const auto n = static_cast<std::size_t>(integer(sizes[i], where, 2, kMaxSampleSize));
    require<ConfigError>(seen_sizes.insert(n).second, where, "the value", "listed once", n);
    c.sample_sizes.push_back(n);
  }

  c.tasks = parse_tasks(required(j, "tasks", name), name, catalog);

  const auto& ests = required(j, "estimators", name);
  require<ConfigError>(ests.is_array() && !ests.empty(), name + ": estimators", "the value",
                       "a non-empty list", ests.dump());
  std::set<std::string> labels;
  for (std::size_t i = 0; i < ests.size(); ++i) {
    const std::string where = name + ": estimators[" + std::to_string(i) + "]";
    ResolvedEstimator r = resolve(parse_spec(ests[i], where), estimators, where);
    require<ConfigError>(labels.insert(r.spec.label).second, where, "the label " + r.spec.label,
                         "unique (set \"label\" to tell them apart)", "a duplicate");
    c.estimators.push_back(std::move(r));
  }
  check_pairing(c.tasks, c.estimators, name);

  c.replicates_by_size.assign(c.sample_sizes.size(), c.replicates);
  if (auto it = j.find("replicates_by_n"); it != j.end()) {
    const std::string where = name + ": replicates_by_n";
    require<ConfigError>(it->is_object(), where, "the value",
                         "an object {\"<n>\": replicates, ...}", it->dump());
    for (const auto& item : it->items()) {
      const std::string& key = item.key();
      const auto& value = item.value();
      const auto at = std::find_if(c.sample_sizes.begin(), c.sample_sizes.end(),
                                   [&](std::size_t n) { return std::to_string(n) == key; });
      require<ConfigError>(at != c.sample_sizes.end(), where, "key " + quoted(key),
                           "one of sample_sizes", "not among them");
      c.replicates_by_size[static_cast<std::size_t>(at - c.sample_sizes.begin())] =
          static_cast<int>(integer(value, where + "." + key, 1, 100000));
    }
  }
  c.max_n.assign(c.estimators.size(), kMaxSampleSize);
  if (auto it = j.find("max_n"); it != j.end()) {
    const std::string where = name + ": max_n";
    require<ConfigError>(it->is_object(), where, "the value", "an object {\"<label>\": n, ...}",
                         it->dump());
    for (const auto& item : it->items()) {
      const std::string& key = item.key();
      const auto& value = item.value();
      const auto at = std::find_if(c.estimators.begin(), c.estimators.end(),
                                   [&](const ResolvedEstimator& e) { return e.spec.label == key; });
      require<ConfigError>(at != c.estimators.end(), where, "key " + quoted(key),
                           "an estimator's label", "not one");
      // An estimator with no cell at all is a mistake, not a grid.
      const std::size_t smallest = *std::min_element(c.sample_sizes.begin(), c.sample_sizes.end());
      c.max_n[static_cast<std::size_t>(at - c.estimators.begin())] =
          static_cast<std::size_t>(integer(value, where + "." + key, smallest, kMaxSampleSize));
    }
  }

  // Refuse a grid nobody can run before anything is expanded (1.3e11 cells once allocated
  // gigabytes of keys and then died).
  double cells = 0;
  for (std::size_t i = 0; i < c.sample_sizes.size(); ++i)
    cells += static_cast<double>(c.tasks.size()) * c.replicates_by_size[i] *
             static_cast<double>(c.estimators_at(c.sample_sizes[i]).size());
  require<ConfigError>(cells <= kMaxCells, name,
                       "the grid (tasks × sample sizes × replicates × "
                       "estimators)",
                       "at most " + format_number(kMaxCells) + " cells",
                       format_number(cells) + " cells");
  if (auto it = j.find("cell_time_limit_s"); it != j.end()) {
    require<ConfigError>(
        it->is_number() && it->get<double>() > 0 && it->get<double>() <= kMaxCellTimeLimit,
        name + ": cell_time_limit_s", "the value",
        "a number in (0, " + format_number(kMaxCellTimeLimit) + "] (seconds)", it->dump());
    c.cell_time_limit_s = it->get<double>();
  }
  if (auto it = j.find("standardize"); it != j.end()) {
    require<ConfigError>(it->is_boolean(), name + ": standardize", "the value", "true or false",
                         it->dump());
    c.standardize = it->get<bool>();
  }
  c.json = j;
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(fnv1a64(j.dump())));
  c.hash = hex;
  return c;
}

int Config::replicates_at(std::size_t n) const {
  for (std::size_t i = 0; i < sample_sizes.size(); ++i)
    if (sample_sizes[i] == n) return replicates_by_size[i];
  return replicates;
}

std::vector<std::size_t> Config::estimators_at(std::size_t n) const {
  std::vector<std::size_t> out;
  for (std::size_t e = 0; e < estimators.size(); ++e)
    if (e >= max_n.size() || n <= max_n[e]) out.push_back(e);
  return out;
}

Config load_config(const std::string& path, const TaskCatalog& catalog,
                   const Registry<Estimator>& estimators) {
  return parse_config(read_config_json(path), path, catalog, estimators);
}

nlohmann::json read_config_json(const std::string& path) {
  std::string text;
  try {
    text = read_file(path);
  } catch (const MissingFile&) {
    throw;
  } catch (const DataError& e) {
    throw ConfigError(e.what());
  }
  return parse_json<ConfigError>(text, path, "the file");
}

}  // namespace mib
