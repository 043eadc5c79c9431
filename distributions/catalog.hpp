#pragma once
// The task catalogue: named, parameterised distributions with known MI. Task ids follow
// bmi's where a bmi task exists (e.g. "multinormal-dense-5-5-0.5",
// "spiral-normal_cdf-multinormal-sparse-3-3-2-2.0"), so results compare line by line.
//
// An id is resolved as
//   <family id>                 e.g. "student-identity-2-2-1" (each family has an id form)
//   <transform>-<id>            e.g. "half_cube-<id>", "power_2.00000-<id>" (see transforms)
//   concat(<id>,<id>)           independent concatenation: MI adds
// and must be written canonically (the form the family writes). Named lists ("bmi-v1",
// "bmi-v2", ...) are selected in configs as "@bmi-v1".

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/registry.hpp"
#include "distributions/distribution.hpp"
#include "distributions/id_template.hpp"

namespace mib {

struct Task {
  std::string id;      ///< canonical id, e.g. "1v1-normal-0.75"
  std::string family;  ///< the family that built the base law, e.g. "1v1-normal"
  std::string source;  ///< where the ground truth comes from
  std::shared_ptr<const Distribution> distribution;
};

/// How a family's ids look (one template writes and reads them).
struct IdForm {
  std::string family;
  std::shared_ptr<const IdTemplate> id;
};

/// A transform prefix of ids ("half_cube", "spiral", ...) and what it does.
struct TransformPrefix {
  std::string name;
  std::string description;
};

class TaskCatalog {
 public:
  /// The catalogue of built-in families, transforms and named lists.
  TaskCatalog();

  /// The task `id`; ConfigError naming `where` and the closest valid ids when it does not
  /// resolve, InvalidArgument when its parameters are out of their domain. Ids are at most
  /// kMaxIdLength characters and nest at most kMaxIdNesting transforms/concats (each level is
  /// a layer that sampling goes through: 15 000 of them overflowed the stack).
  Task find(const std::string& id, const std::string& where) const;
  static constexpr std::size_t kMaxIdLength = 1000;
  static constexpr int kMaxIdNesting = 32;

  /// Builds one task of a family from scalar parameters (ConfigError on bad ones).
  Task make(const std::string& family, const nlohmann::json& params,
            const std::string& where) const;

  /// The ids of a named list ("bmi-v1"); ConfigError listing the lists otherwise.
  const std::vector<std::string>& list(const std::string& name, const std::string& where) const;
  std::vector<std::string> list_names() const;

  /// Every task of every named list, once each, in list order.
  std::vector<Task> tasks() const;
  const Registry<Task>& families() const { return families_; }
  const std::vector<TransformPrefix>& transforms() const;

 private:
  Task find_nested(const std::string& id, const std::string& where, int depth) const;
  Registry<Task> families_;
  std::vector<IdForm> forms_;
  std::vector<std::pair<std::string, std::vector<std::string>>> lists_;
};

/// The built-in catalogue (built once; immutable).
const TaskCatalog& builtin_catalog();

/// Adds the built-in families and their id forms (distributions/families.cpp).
void register_builtin_families(Registry<Task>& families, std::vector<IdForm>& forms);

/// The built-in named lists, in order (distributions/task_lists.cpp).
std::vector<std::pair<std::string, std::vector<std::string>>> builtin_task_lists();

}  // namespace mib
