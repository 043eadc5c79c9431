#pragma once
// The task catalogue: named, parameterised distributions. Task ids follow bmi's where a bmi
// task exists (e.g. "multinormal-dense-5-5-0.5"), so results compare line by line.

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/registry.hpp"
#include "distributions/distribution.hpp"

namespace mib {

struct Task {
  std::string id;      ///< canonical id, e.g. "1v1-normal-0.75"
  std::string family;  ///< the family that built it, e.g. "1v1-normal"
  std::string source;  ///< where the ground truth comes from
  std::shared_ptr<const Distribution> distribution;
};

class TaskCatalog {
 public:
  /// The catalogue of built-in families and named tasks.
  TaskCatalog();

  /// The named task `id`; ConfigError naming `where` and the closest valid ids otherwise.
  const Task& find(const std::string& id, const std::string& where) const;

  /// Builds one task of a family from scalar parameters (ConfigError on bad ones).
  Task make(const std::string& family, const nlohmann::json& params,
            const std::string& where) const;

  /// Named tasks in catalogue order.
  const std::vector<Task>& tasks() const { return tasks_; }
  const Registry<Task>& families() const { return families_; }

 private:
  Registry<Task> families_;
  std::vector<Task> tasks_;
};

/// The built-in catalogue (built once; immutable).
const TaskCatalog& builtin_catalog();

}  // namespace mib
