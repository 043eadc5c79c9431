#include "distributions/catalog.hpp"

#include <cstdio>
#include <regex>
#include <set>

#include "core/text.hpp"
#include "distributions/concat.hpp"
#include "distributions/transformed.hpp"

namespace mib {
namespace {

struct Sides {
  TransformPtr x, y;  ///< null: that side is not transformed
  TransformPtr z{};   ///< the conditioning variable's map, for a law that has one
};

// Transform prefixes of ids, as bmi names them (src/bmi/benchmark/tasks/*.py), plus "cubic":
// one table for the names, their descriptions (`mibench list tasks`) and their maps. A prefix
// with an argument is written NAME_A, A with 5 decimals ("power_2.00000").
struct TransformEntry {
  std::string name;
  bool takes_argument;
  std::string description;
  Sides (*sides)(Dims base, double argument);
};
const std::vector<TransformEntry> kTransforms = {
    {"normal_cdf", false, "t -> Phi(t) on X and Y, and Z (uniform margins)",
     [](Dims, double) {
       return Sides{normal_cdf(), normal_cdf(), normal_cdf()};
     }},
    {"half_cube", false, "t -> t sqrt|t| on X and Y, and Z",
     [](Dims, double) {
       return Sides{half_cube(), half_cube(), half_cube()};
     }},
    {"asinh", false, "t -> asinh t on X and Y, and Z",
     [](Dims, double) {
       return Sides{asinh_map(), asinh_map(), asinh_map()};
     }},
    {"wiggly", false, "bmi's sums of sines on X and on Y (Z: X's)",
     [](Dims, double) {
       return Sides{wiggly_x(), wiggly_y(), wiggly_x()};
     }},
    {"spiral", false,
     "X: rotate plane (0,1) by |x|^2/dim_x; Y: plane (1,2) by |y|^2/dim_y (needs dim_x >= 2, dim_y "
     ">= 3)",
     [](Dims d, double) {
       return Sides{spiral(0, 1, 1.0 / static_cast<double>(d.x)),
                    spiral(1, 2, 1.0 / static_cast<double>(d.y))};
     }},
    {"swissroll_x", false, "1-D X in [0,1] rolled into 2-D",
     [](Dims, double) {
       return Sides{swiss_roll(), nullptr};
     }},
    {"power", true,
     "t -> sign(t)|t|^A on X and Y, and Z, A written with 5 decimals (power_2.00000-...)",
     [](Dims, double a) {
       return Sides{power(a), power(a), power(a)};
     }},
    {"cubic", false, "y -> y^3 on Y (Poole et al.'s cubic staircase)", [](Dims, double) {
       return Sides{nullptr, cube()};
     }}};

// The transform a prefix names, with its argument; nullopt if `prefix` names none.
std::optional<std::pair<const TransformEntry*, double>> find_transform(const std::string& prefix) {
  static const std::regex argument("_(\\d+\\.\\d{5})");
  for (const TransformEntry& t : kTransforms) {
    if (!t.takes_argument) {
      if (prefix == t.name) return std::make_pair(&t, 0.0);
      continue;
    }
    std::smatch m;
    const std::string rest = prefix.substr(std::min(prefix.size(), t.name.size()));
    if (prefix.compare(0, t.name.size(), t.name) == 0 && std::regex_match(rest, m, argument))
      return std::make_pair(&t, std::stod(m[1].str()));
  }
  return std::nullopt;
}

// Splits "a,b" at the comma outside parentheses.
std::optional<std::pair<std::string, std::string>> split_pair(const std::string& s) {
  int depth = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '(') ++depth;
    if (s[i] == ')') --depth;
    if (s[i] == ',' && depth == 0) return std::make_pair(s.substr(0, i), s.substr(i + 1));
  }
  return std::nullopt;
}

}  // namespace

TaskCatalog::TaskCatalog() : lists_(builtin_task_lists()) {
  register_builtin_families(families_, forms_);
}

const std::vector<TransformPrefix>& TaskCatalog::transforms() const {
  static const std::vector<TransformPrefix> prefixes = [] {
    std::vector<TransformPrefix> out;
    for (const TransformEntry& t : kTransforms)
      out.push_back({t.takes_argument ? t.name + "_A" : t.name, t.description});
    return out;
  }();
  return prefixes;
}

Task TaskCatalog::make(const std::string& family, const nlohmann::json& params,
                       const std::string& where) const {
  return *families_.at(family, where + ": task family").make(params, where);
}

Task TaskCatalog::find(const std::string& id, const std::string& where) const {
  require<ConfigError>(id.size() <= kMaxIdLength, where, "the task id",
                       "at most " + std::to_string(kMaxIdLength) + " characters long",
                       std::to_string(id.size()) + " characters (" + id.substr(0, 60) + "...)");
  return find_nested(id, where, 0);
}

Task TaskCatalog::find_nested(const std::string& id, const std::string& where, int depth) const {
  require<ConfigError>(
      depth <= kMaxIdNesting, where, "the task id",
      "nested at most " + std::to_string(kMaxIdNesting) + " transforms and concats deep",
      "deeper (" + id.substr(0, 60) + "...)");
  // concat(A,B)
  if (id.rfind("concat(", 0) == 0 && id.back() == ')') {
    if (auto parts = split_pair(id.substr(7, id.size() - 8))) {
      const Task a = find_nested(parts->first, where, depth + 1),
                 b = find_nested(parts->second, where, depth + 1);
      return {id, "concat", "sum of the parts' truths",
              std::make_shared<IndependentConcat>(a.distribution, b.distribution)};
    }
  }
  // <transform>-<id>
  const auto dash = id.find('-');
  if (dash != std::string::npos) {
    const std::string rest = id.substr(dash + 1);
    if (const auto transform = find_transform(id.substr(0, dash))) {
      const Task base = find_nested(rest, where, depth + 1);
      const Sides sides = transform->first->sides(base.distribution->dims(), transform->second);
      const std::string note = " (invariant under the transform)";
      const bool noted =
          base.source.size() >= note.size() &&
          base.source.compare(base.source.size() - note.size(), note.size(), note) == 0;
      return {id, base.family, noted ? base.source : base.source + note,
              std::make_shared<Transformed>(base.distribution, sides.x, sides.y, where + ": " + id,
                                            sides.z)};
    }
  }
  // <family id>
  for (const IdForm& form : forms_) {
    const auto params = form.id->parse(id, where);
    if (!params) continue;
    Task t = make(form.family, *params, where + ": " + id);
    require<ConfigError>(t.id == id, where, "the task id", "written canonically (" + t.id + ")",
                         quoted(id));
    return t;
  }
  std::vector<std::string> known;
  for (const auto& [name, ids] : lists_) known.insert(known.end(), ids.begin(), ids.end());
  fail<UnknownName>(where, "the task id",
                    "a catalogue id (closest: " + join(closest(id, known), ", ") +
                        "; `mibench list tasks` shows the catalogue and its families)",
                    quoted(id));
}

const std::vector<std::string>& TaskCatalog::list(const std::string& name,
                                                  const std::string& where) const {
  for (const auto& [list_name, ids] : lists_) {
    if (list_name == name) return ids;
  }
  fail<UnknownName>(where, "the task list", "one of @" + join(list_names(), ", @"),
                    quoted("@" + name));
}

std::vector<std::string> TaskCatalog::list_names() const {
  std::vector<std::string> names;
  for (const auto& [name, ids] : lists_) names.push_back(name);
  return names;
}

std::vector<Task> TaskCatalog::tasks() const {
  std::vector<Task> out;
  std::set<std::string> seen;
  for (const auto& [name, ids] : lists_) {
    for (const auto& id : ids) {
      if (seen.insert(id).second) out.push_back(find(id, "list " + name));
    }
  }
  return out;
}

const TaskCatalog& builtin_catalog() {
  static const TaskCatalog catalog;
  return catalog;
}

}  // namespace mib
