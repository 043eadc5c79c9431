#include "distributions/id_template.hpp"

#include <algorithm>
#include <cmath>
#include <regex>

#include "core/error.hpp"
#include "core/text.hpp"

namespace mib {

struct IdTemplate::Pattern {
  std::regex regex;
};

namespace {

const char* const kInteger = "(\\d+)";
const char* const kNumber = "(-?\\d+(?:\\.\\d+)?(?:e-?\\d+)?)";

std::string escaped(const std::string& literal) {
  std::string out;
  for (char c : literal) {
    if (std::string(".^$|()[]{}*+?\\").find(c) != std::string::npos) out += '\\';
    out += c;
  }
  return out;
}

}  // namespace

IdTemplate::IdTemplate(std::string text, const nlohmann::json& defaults) : text_(std::move(text)) {
  const std::string where = "IdTemplate " + mib::quoted(text_);
  std::string pattern, literal;
  std::vector<std::string> seen;  // the key of each group, by first appearance
  for (std::size_t i = 0; i < text_.size(); ++i) {
    if (text_[i] != '{') {
      literal += text_[i];
      continue;
    }
    const std::size_t close = text_.find('}', i);
    require(close != std::string::npos, where, "a placeholder", "closed by }", text_.substr(i));
    std::string key = text_.substr(i + 1, close - i - 1);
    const bool short_number = key.size() > 2 && key.compare(key.size() - 2, 2, ":g") == 0;
    if (short_number) key.resize(key.size() - 2);
    require(defaults.contains(key) && defaults[key].is_number(), where, "placeholder " + key,
            "a numeric parameter of the family", defaults.dump());
    pattern += escaped(literal);
    const auto first = std::find(seen.begin(), seen.end(), key);
    if (first == seen.end()) {
      seen.push_back(key);
      pattern += defaults[key].is_number_integer() ? kInteger : kNumber;
    } else {
      pattern += "\\" + std::to_string(first - seen.begin() + 1);
    }
    parts_.push_back({literal, key, short_number});
    literal.clear();
    i = close;
  }
  pattern += escaped(literal);
  parts_.push_back({literal, "", false});
  pattern_ = std::make_shared<const Pattern>(Pattern{std::regex(pattern)});
  group_keys_ = seen;
}

std::string IdTemplate::format(const nlohmann::json& params) const {
  std::string id;
  for (const Part& part : parts_) {
    id += part.literal;
    if (part.key.empty()) continue;
    const nlohmann::json& v = params.at(part.key);
    if (v.is_number_integer()) {
      id += v.dump();
    } else {
      const double d = v.get<double>();
      // Python's str() of an int or a float as bmi writes ν: integral values as "2".
      id += part.short_number && d == std::floor(d) && std::abs(d) < 1e15
                ? std::to_string(static_cast<long long>(d))
                : format_float(d);
    }
  }
  return id;
}

std::optional<nlohmann::json> IdTemplate::parse(const std::string& id,
                                                const std::string& where) const {
  std::smatch m;
  if (!std::regex_match(id, m, pattern_->regex)) return std::nullopt;
  nlohmann::json params = nlohmann::json::object();
  for (std::size_t g = 0; g < group_keys_.size(); ++g) {
    const std::string text = m[g + 1].str();
    // The pattern admits forms JSON does not ("007", "1e999"): those are bad ids, not crashes
    // (found by fuzzing the config parser).
    try {
      params[group_keys_[g]] = nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception&) {
      fail<ConfigError>(where, "parameter " + group_keys_[g] + " of task " + mib::quoted(id),
                        "a plain number (no leading zeros, within double range)",
                        mib::quoted(text));
    }
  }
  return params;
}

}  // namespace mib
