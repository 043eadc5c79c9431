#include "distributions/catalog.hpp"

#include <cstdio>
#include <regex>
#include <set>

#include "core/text.hpp"
#include "distributions/concat.hpp"
#include "distributions/transformed.hpp"

namespace mib {
namespace {

// Transform prefixes of ids, as bmi names them (src/bmi/benchmark/tasks/*.py), plus "cubic".
const std::vector<TransformPrefix> kTransforms = {
    {"normal_cdf", "t -> Phi(t) on X and Y (uniform margins)"},
    {"half_cube", "t -> t sqrt|t| on X and Y"},
    {"asinh", "t -> asinh t on X and Y"},
    {"wiggly", "bmi's sums of sines on X and on Y"},
    {"spiral",
     "X: rotate plane (0,1) by |x|^2/dim_x; Y: plane (1,2) by |y|^2/dim_y (needs dim_x >= 2, dim_y "
     ">= 3)"},
    {"swissroll_x", "1-D X in [0,1] rolled into 2-D"},
    {"power_A", "t -> sign(t)|t|^A on X and Y, A written with 5 decimals (power_2.00000-...)"},
    {"cubic", "y -> y^3 on Y (Poole et al.'s cubic staircase)"}};

struct Sides {
  TransformPtr x, y;
};

// The maps of a transform prefix for a base law of dimensions d; nullopt if `name` is none.
std::optional<Sides> transform_sides(const std::string& name, Dims d) {
  if (name == "normal_cdf") return Sides{normal_cdf(), normal_cdf()};
  if (name == "half_cube") return Sides{half_cube(), half_cube()};
  if (name == "asinh") return Sides{asinh_map(), asinh_map()};
  if (name == "wiggly") return Sides{wiggly_x(), wiggly_y()};
  if (name == "spiral") {
    return Sides{spiral(0, 1, 1.0 / static_cast<double>(d.x)),
                 spiral(1, 2, 1.0 / static_cast<double>(d.y))};
  }
  if (name == "swissroll_x") return Sides{swiss_roll(), nullptr};
  if (name == "cubic") return Sides{nullptr, cube()};
  static const std::regex power_name("power_(\\d+\\.\\d{5})");
  std::smatch m;
  if (std::regex_match(name, m, power_name)) {
    const double a = std::stod(m[1].str());
    return Sides{power(a), power(a)};
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
  for (const auto& f : forms_) patterns_.emplace_back(f.pattern);
}

const std::vector<TransformPrefix>& TaskCatalog::transforms() const { return kTransforms; }

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
    if (transform_sides(id.substr(0, dash), {1, 1})) {
      const Task base = find_nested(rest, where, depth + 1);
      const auto sides = *transform_sides(id.substr(0, dash), base.distribution->dims());
      const std::string note = " (invariant under the transform)";
      const bool noted =
          base.source.size() >= note.size() &&
          base.source.compare(base.source.size() - note.size(), note.size(), note) == 0;
      return {
          id, base.family, noted ? base.source : base.source + note,
          std::make_shared<Transformed>(base.distribution, sides.x, sides.y, where + ": " + id)};
    }
  }
  // <family id>
  for (std::size_t f = 0; f < forms_.size(); ++f) {
    std::smatch m;
    if (!std::regex_match(id, m, patterns_[f])) continue;
    nlohmann::json params = nlohmann::json::object();
    std::size_t group = 1;
    for (const auto& key : forms_[f].keys) {
      while (group < m.size() && !m[group].matched) ++group;
      // The pattern admits forms JSON does not ("007", "1e999"): those are bad ids, not crashes
      // (found by fuzzing the config parser).
      const std::string text = m[group++].str();
      try {
        params[key] = nlohmann::json::parse(text);
      } catch (const nlohmann::json::exception&) {
        fail<ConfigError>(where, "parameter " + key + " of task " + quoted(id),
                          "a plain number (no leading zeros, within double range)", quoted(text));
      }
    }
    Task t = make(forms_[f].family, params, where + ": " + id);
    require<ConfigError>(t.id == id, where, "the task id", "written canonically (" + t.id + ")",
                         quoted(id));
    return t;
  }
  std::vector<std::string> known;
  for (const auto& [name, ids] : lists_) known.insert(known.end(), ids.begin(), ids.end());
  fail<ConfigError>(where, "the task id",
                    "a catalogue id (closest: " + join(closest(id, known), ", ") +
                        "; `mibench list tasks` shows the catalogue and its families)",
                    quoted(id));
}

const std::vector<std::string>& TaskCatalog::list(const std::string& name,
                                                  const std::string& where) const {
  for (const auto& [list_name, ids] : lists_) {
    if (list_name == name) return ids;
  }
  fail<ConfigError>(where, "the task list", "one of @" + join(list_names(), ", @"),
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
