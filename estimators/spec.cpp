#include "estimators/spec.hpp"

#include "core/error.hpp"
#include "core/json_text.hpp"
#include "core/text.hpp"
#include "estimators/cmi.hpp"

namespace mib {

std::string EstimatorSpec::canonical() const {
  std::string out = name;
  char separator = ':';
  for (const auto& [key, value] : params.items()) {
    out += separator + key + "=" + (value.is_string() ? value.get<std::string>() : value.dump());
    separator = ',';
  }
  return out;
}

namespace {
// "a=1,b=[2,3]" → {"a=1", "b=[2,3]"}: commas inside brackets belong to a list value.
std::vector<std::string> split_items(const std::string& text) {
  std::vector<std::string> items(1);
  int depth = 0;
  for (char c : text) {
    if (c == '[') ++depth;
    if (c == ']') --depth;
    if (c == ',' && depth == 0) {
      items.emplace_back();
    } else {
      items.back() += c;
    }
  }
  return items;
}
// "[a,b,c]" with no brackets or quotes inside: a list of bare words.
bool bare_list(const std::string& value) {
  return value.size() >= 2 && value.front() == '[' && value.back() == ']' &&
         value.find_first_of("[]\"", 1) == value.size() - 1;
}

// Labels end up in cell keys ("task|n|replicate|label"), Markdown/LaTeX table cells and SVG
// text: a '|' would split a key or a table row, a control character (a newline) a line.
void check_label(const std::string& label, const std::string& where) {
  for (const char c : label) {
    if (c == '|' || (static_cast<unsigned char>(c) < 0x20) || c == 0x7f) {
      fail<ConfigError>(
          where, "the label", "free of '|' and control characters (newlines, tabs)",
          nlohmann::json(label).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    }
  }
}

}  // namespace

EstimatorSpec parse_spec(const std::string& text, const std::string& where) {
  // Specs become labels in JSON results: refuse bytes that are not UTF-8 here, with a message
  // (found by the spec fuzzer: such a value made a later dump() throw).
  try {
    (void)nlohmann::json(text).dump();
  } catch (const nlohmann::json::exception&) {
    fail<ConfigError>(
        where, "the estimator spec", "valid UTF-8",
        nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  }
  const std::string chain = kChainPrefix;
  if (text.compare(0, chain.size(), chain) == 0) {
    // chain:<spec>: the wrapped estimator's spec, its name prefixed.
    EstimatorSpec inner = parse_spec(text.substr(chain.size()), where);
    inner.name = chain + inner.name;
    inner.label = inner.canonical();
    check_label(inner.label, where);
    return inner;
  }
  EstimatorSpec spec;
  const auto colon = text.find(':');
  spec.name = text.substr(0, colon);
  require<ConfigError>(!spec.name.empty(), where, "the estimator spec",
                       "\"name\" or \"name:key=value,...\"", quoted(text));
  if (colon != std::string::npos) {
    for (const auto& item : split_items(text.substr(colon + 1))) {
      const auto eq = item.find('=');
      if (eq == std::string::npos || eq == 0) {
        fail<ConfigError>(where, "each parameter of \"" + text + "\"", "key=value", quoted(item));
      }
      const std::string key = item.substr(0, eq);
      const std::string value = item.substr(eq + 1);
      require<ConfigError>(!spec.params.contains(key), where, "parameter " + key, "given once",
                           quoted(text));
      require<ConfigError>(
          json_depth(value) <= kMaxJsonDepth, where, "the value of parameter " + key,
          "nested at most " + std::to_string(kMaxJsonDepth) + " deep", "nested deeper");
      auto parsed = nlohmann::json::parse(value, nullptr, /*allow_exceptions=*/false);
      if (parsed.is_discarded() && bare_list(value)) {
        // [python3,est.py,{x},{y}]: a list of bare words, as a shell user writes it.
        parsed = nlohmann::json::array();
        for (const auto& word : split(value.substr(1, value.size() - 2), ','))
          parsed.push_back(word);
      }
      spec.params[key] = parsed.is_discarded() ? nlohmann::json(value) : parsed;
    }
  }
  spec.label = spec.canonical();
  check_label(spec.label, where);
  return spec;
}

EstimatorSpec parse_spec(const nlohmann::json& j, const std::string& where) {
  if (j.is_string()) return parse_spec(j.get<std::string>(), where);
  if (!j.is_object())
    fail<ConfigError>(where, "an estimator", "a spec string or an object", j.dump());
  for (const auto& [key, value] : j.items()) {
    require<ConfigError>(key == "name" || key == "params" || key == "label" || key == "isolation" ||
                             key == "memory_limit_mb",
                         where, "key", "one of name, params, label, isolation, memory_limit_mb",
                         quoted(key));
  }
  auto name = j.find("name");
  if (name == j.end() || !name->is_string() || name->get<std::string>().empty()) {
    fail<ConfigError>(where, "name", "a non-empty string",
                      name == j.end() ? "missing" : name->dump());
  }
  EstimatorSpec spec;
  spec.name = name->get<std::string>();
  if (auto params = j.find("params"); params != j.end()) {
    require<ConfigError>(params->is_object(), where, "params", "an object", params->dump());
    spec.params = *params;
  }
  spec.label = spec.canonical();
  if (auto label = j.find("label"); label != j.end()) {
    require<ConfigError>(label->is_string() && !label->get<std::string>().empty(), where, "label",
                         "a non-empty string", label->dump());
    spec.label = label->get<std::string>();
  }
  check_label(spec.label, where);
  if (auto isolation = j.find("isolation"); isolation != j.end()) {
    require<ConfigError>(
        isolation->is_string() && (*isolation == "thread" || *isolation == "process"), where,
        "isolation", "\"thread\" or \"process\"", isolation->dump());
    spec.isolation = *isolation == "process" ? Isolation::kProcess : Isolation::kThread;
  }
  if (auto limit = j.find("memory_limit_mb"); limit != j.end()) {
    // The limit is added to the address space in bytes: above 2^30 MB (1 PiB) it would wrap.
    require<ConfigError>(limit->is_number_integer() && limit->get<long long>() >= 1 &&
                             limit->get<long long>() <= (1LL << 30),
                         where, "memory_limit_mb", "an integer in [1, 1073741824]", limit->dump());
    require<ConfigError>(spec.isolation == Isolation::kProcess, where, "memory_limit_mb",
                         "given with \"isolation\": \"process\"", limit->dump());
    spec.memory_limit_mb = limit->get<std::size_t>();
  }
  return spec;
}

ResolvedEstimator resolve(const EstimatorSpec& spec, const Registry<Estimator>& registry,
                          const std::string& where) {
  const std::string chain = kChainPrefix;
  const bool chained = spec.name.compare(0, chain.size(), chain) == 0;
  const std::string name = chained ? spec.name.substr(chain.size()) : spec.name;
  const auto& entry = registry.at(name, where + ": estimator");
  std::shared_ptr<const Estimator> estimator =
      entry.make(spec.params, where + ": estimator " + spec.name);
  if (chained) {
    require<ConfigError>(!estimator->conditional(), where,
                         "the estimator wrapped by chain:", "an estimator of I(X; Y)",
                         quoted(name) + ", which already estimates I(X; Y | Z)");
    estimator = std::make_shared<ChainRuleEstimator>(std::move(estimator));
  }
  ResolvedEstimator r{spec, entry.defaults, std::move(estimator)};
  r.params.update(spec.params);
  return r;
}

}  // namespace mib
