#pragma once
// Parameter structs: the single home of a component's defaults. A Params struct declares its
// fields once, in a visit() member, and these helpers derive JSON parsing (unknown keys and
// bad values are ConfigErrors naming the key) and JSON output (the defaults shown by
// `mibench list`) from it:
//
//   struct KsgParams {
//     int k = 3;
//     template <class V> void visit(V& v) {
//       v("k", k, "an integer >= 1", [](int k) { return k >= 1; });
//     }
//   };
//
// A parameter that names one of a fixed set of choices is an enum E with a table of names,
// `const NameTable<E>& names(E)` beside it (found by argument-dependent lookup): the one home of
// those names for parsing (an unknown name is a ConfigError listing them), dispatch (switch on
// E) and output (the name in JSON and `mibench list`).

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <type_traits>
#include <vector>

#include "core/error.hpp"
#include "core/text.hpp"

namespace mib {

template <class E>
using NameTable = std::vector<std::pair<std::string, E>>;

/// The name of a choice (its table's entry).
template <class E>
const std::string& name_of(E value) {
  for (const auto& [name, v] : names(value))
    if (v == value) return name;
  throw InvalidArgument("name_of: a value missing from its name table");
}

/// "one of relu, elu, tanh": the names of E's choices, for messages and rules.
template <class E>
std::string one_of() {
  std::vector<std::string> all;
  for (const auto& entry : names(E{})) all.push_back(entry.first);
  return "one of " + join(all, ", ");
}

namespace params_detail {

template <class T>
const char* type_name() {
  if constexpr (std::is_same_v<T, bool>)
    return "a boolean";
  else if constexpr (std::is_integral_v<T>)
    return "an integer";
  else if constexpr (std::is_floating_point_v<T>)
    return "a number";
  else if constexpr (std::is_same_v<T, std::string>)
    return "a string";
  else
    return "a list";
}

// What a value of type T must be: its type, or for a choice its names.
template <class T>
std::string type_rule() {
  if constexpr (std::is_enum_v<T>) {
    return one_of<T>();
  } else {
    return type_name<T>();
  }
}

template <class T>
bool convert(const nlohmann::json& j, T& out) {
  if constexpr (std::is_same_v<T, bool>) {
    if (!j.is_boolean()) return false;
    out = j.get<bool>();
  } else if constexpr (std::is_integral_v<T>) {
    // Whole numbers only, and only within T's range (a float like 3e112 or an integer beyond
    // T is refused, never converted with undefined or wrapping behaviour — found by fuzzing).
    long double v = 0;  // 64-bit mantissa: every 64-bit integer exactly
    if (j.is_number_unsigned()) {
      v = static_cast<long double>(j.get<unsigned long long>());
    } else if (j.is_number_integer()) {
      v = static_cast<long double>(j.get<long long>());
    } else if (j.is_number_float()) {
      const double d = j.get<double>();
      if (!std::isfinite(d) || d != std::floor(d)) return false;
      v = d;
    } else {
      return false;
    }
    if (v < static_cast<long double>(std::numeric_limits<T>::min()) ||
        v > static_cast<long double>(std::numeric_limits<T>::max()))
      return false;
    out = static_cast<T>(v);
  } else if constexpr (std::is_floating_point_v<T>) {
    if (!j.is_number()) return false;
    out = j.get<T>();
  } else if constexpr (std::is_enum_v<T>) {
    if (!j.is_string()) return false;
    for (const auto& [name, v] : names(T{})) {
      if (name == j.get<std::string>()) {
        out = v;
        return true;
      }
    }
    return false;
  } else if constexpr (std::is_same_v<T, std::string>) {
    // A number is taken as its text, so that kde:bandwidth=0.5 means what it says (the spec
    // parser reads 0.5 as a JSON number).
    if (j.is_number()) {
      out = j.dump();
      return true;
    }
    if (!j.is_string()) return false;
    out = j.get<std::string>();
  } else {
    if (!j.is_array()) return false;
    T items;
    for (const auto& element : j) {
      typename T::value_type item{};
      if (!convert(element, item)) return false;
      items.push_back(item);
    }
    out = std::move(items);
  }
  return true;
}

// A value as JSON text for a message; bytes that are not UTF-8 are shown as U+FFFD instead
// of making dump() throw.
inline std::string shown(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

class Reader {
 public:
  Reader(const nlohmann::json& j, std::string where) : j_(j), where_(std::move(where)) {}

  template <class T, class Check>
  void operator()(const char* key, T& field, const char* rule, Check ok) {
    known_.insert(key);
    auto it = j_.find(key);
    if (it == j_.end()) return;
    T value = field;
    if (!convert(*it, value)) fail<ConfigError>(where_, key, type_rule<T>(), shown(*it));
    if (!ok(value)) fail<ConfigError>(where_, key, rule, shown(*it));
    field = std::move(value);
  }
  template <class T>
  void operator()(const char* key, T& field, const char* /*rule*/ = "") {
    (*this)(key, field, "", [](const T&) { return true; });
  }

  void finish() const {
    for (const auto& [key, value] : j_.items()) {
      if (!known_.count(key)) {
        std::vector<std::string> valid(known_.begin(), known_.end());
        fail<ConfigError>(where_, "parameter name",
                          valid.empty() ? std::string("absent (no parameters)")
                                        : "one of " + join(valid, ", ") +
                                              " (closest: " + closest(key, valid, 1)[0] + ")",
                          quoted(key));
      }
    }
  }

 private:
  const nlohmann::json& j_;
  std::string where_;
  std::set<std::string> known_;
};

class Writer {
 public:
  template <class T, class... Rest>
  void operator()(const char* key, T& field, Rest&&...) {
    if constexpr (std::is_enum_v<T>) {
      j[key] = name_of(field);
    } else {
      j[key] = field;
    }
  }
  nlohmann::json j = nlohmann::json::object();
};

// Collects each parameter's rule (the text of its messages).
class RuleWriter {
 public:
  template <class T>
  void operator()(const char* key, T&, const char* rule = "") {
    j[key] = *rule && !std::is_enum_v<T> ? std::string(rule) : type_rule<T>();
  }
  template <class T, class Check>
  void operator()(const char* key, T& field, const char* rule, Check) {
    (*this)(key, field, rule);
  }
  nlohmann::json j = nlohmann::json::object();
};

}  // namespace params_detail

/// Parses a Params struct from a JSON object; `where` names the component in messages.
template <class P>
P parse_params(const nlohmann::json& j, const std::string& where) {
  if (!j.is_null() && !j.is_object()) fail<ConfigError>(where, "params", "an object", j.dump());
  P p;
  if (j.is_null()) return p;
  params_detail::Reader reader(j, where);
  p.visit(reader);
  reader.finish();
  return p;
}

/// Every field of a Params struct as a JSON object.
template <class P>
nlohmann::json params_to_json(P p) {
  params_detail::Writer writer;
  p.visit(writer);
  return writer.j;
}

/// Every field's rule ("an integer >= 1", "one of relu, elu, tanh") as a JSON object.
template <class P>
nlohmann::json params_rules(P p) {
  params_detail::RuleWriter writer;
  p.visit(writer);
  return writer.j;
}

}  // namespace mib
