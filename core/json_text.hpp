#pragma once
// Parsing JSON text that a user gave (configs, spec values, manifests, baselines, results
// lines, an external estimator's stdout) with a nesting limit: nlohmann's parser is
// iterative, but dump() and every walk over a value recurse, so a value nested 10^5 deep
// (e.g. "replicates": [[[...]]]) crashed mibench with a stack overflow.

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace mib {

/// The deepest nesting any user-given JSON may have (configs need about 5).
inline constexpr std::size_t kMaxJsonDepth = 64;

/// The nesting depth of JSON text (brackets and braces outside strings).
std::size_t json_depth(std::string_view text);

/// Parses `text` as JSON; a discarded value (is_discarded()) when it is not valid JSON or is
/// nested deeper than kMaxJsonDepth.
nlohmann::json parse_json_or_discarded(std::string_view text);

/// Parses `text` as JSON; throws E with "<where>: <what> must be valid JSON nested at most 64
/// deep, but is ..." when it is not.
template <class E>
nlohmann::json parse_json(const std::string& text, const std::string& where,
                          const std::string& what) {
  if (json_depth(text) > kMaxJsonDepth) {
    fail<E>(where, what, "JSON nested at most " + std::to_string(kMaxJsonDepth) + " deep",
            "nested deeper");
  }
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    fail<E>(where, what, "valid JSON", e.what());
  }
}

}  // namespace mib
