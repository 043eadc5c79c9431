#pragma once
// Registry<T>: named factories of T, filled in one place per kind (no self-registering
// statics). Lookups of unknown names throw a ConfigError that lists what is valid.

#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/text.hpp"

namespace mib {

template <class T>
class Registry {
 public:
  /// Builds a T from its parameters (a JSON object); `where` prefixes error messages.
  using Factory =
      std::function<std::unique_ptr<T>(const nlohmann::json& params, const std::string& where)>;
  struct Entry {
    std::string name;
    std::string description;
    nlohmann::json defaults;  ///< every parameter with its default value
    Factory make;
    nlohmann::json rules = nlohmann::json::object();  ///< each parameter's rule, for `list`
  };

  /// Adds an entry; a duplicate name is a programming error (InvalidArgument).
  void add(Entry entry) {
    require(!entries_.count(entry.name), "Registry::add", "name", "unique", entry.name);
    entries_.emplace(entry.name, std::move(entry));
  }

  bool contains(const std::string& name) const { return entries_.count(name) > 0; }

  /// The entry called `name`; throws UnknownName naming the closest valid names otherwise.
  const Entry& at(const std::string& name, const std::string& where) const {
    auto it = entries_.find(name);
    if (it == entries_.end()) {
      fail<UnknownName>(where, "name",
                        "one of " + join(names(), ", ") +
                            " (closest: " + join(closest(name, names()), ", ") + ")",
                        quoted(name));
    }
    return it->second;
  }

  std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (const auto& [name, entry] : entries_) out.push_back(name);
    return out;
  }

  /// Each entry as {name, description, params (the defaults), rules}, in name order: what
  /// `mibench list estimators --json` prints.
  nlohmann::json summaries() const {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& [name, e] : entries_) {
      out.push_back({{"name", name},
                     {"description", e.description},
                     {"params", e.defaults},
                     {"rules", e.rules}});
    }
    return out;
  }

  /// Entries in name order.
  std::vector<const Entry*> entries() const {
    std::vector<const Entry*> out;
    for (const auto& [name, entry] : entries_) out.push_back(&entry);
    return out;
  }

 private:
  std::map<std::string, Entry> entries_;
};

}  // namespace mib
