#pragma once
// Small helpers shared by the CLI's translation units (suite/*_commands.cpp, user_data.cpp).

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <string>
#include <type_traits>

#include "core/text.hpp"

namespace mib::cli {

/// Exit code of a run with failed cells, a failed estimate or a failed check.
inline constexpr int kFailed = 1;

/// A check for a numeric flag, applied to its text before CLI11 converts it: a plain decimal
/// number in [lo, hi] — integers as digits only (CLI11 alone would wrap "-1" to 2^64 − 1,
/// clamp 2^64, and read "010" as octal), floating-point values finite (no nan, inf). The
/// message is the house format without the flag, which CLI11 puts in front.
template <class T>
CLI::Validator in_range(T lo, T hi) {
  std::string rule;
  if constexpr (std::is_integral_v<T>) {
    rule = "an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]";
  } else {
    rule = "a finite number in [" + format_number(lo) + ", " + format_number(hi) + "]";
  }
  return CLI::Validator(
      [lo, hi, rule](std::string& text) -> std::string {
        const std::string bad = "the value must be " + rule + ", but is " + text;
        if (text.empty() || text.size() > 64) return bad;
        const char* begin = text.c_str();
        char* end = nullptr;
        errno = 0;
        if constexpr (std::is_integral_v<T>) {
          const bool negative = text[0] == '-';
          const std::size_t digits = negative ? 1 : 0;
          if (text.size() == digits) return bad;
          for (std::size_t i = digits; i < text.size(); ++i)
            if (text[i] < '0' || text[i] > '9') return bad;
          if (negative) {
            const long long v = std::strtoll(begin, &end, 10);
            if (errno || static_cast<long double>(v) < static_cast<long double>(lo)) return bad;
            return static_cast<long double>(v) > static_cast<long double>(hi) ? bad : "";
          }
          const unsigned long long v = std::strtoull(begin, &end, 10);
          if (errno || (lo > 0 && v < static_cast<unsigned long long>(lo))) return bad;
          return v > static_cast<unsigned long long>(hi) ? bad : "";
        } else {
          const double v = std::strtod(begin, &end);
          if (end != begin + text.size() || !std::isfinite(v) || v < lo || v > hi) return bad;
          return "";
        }
      },
      rule);
}

/// A --seed: any 64-bit unsigned integer, as digits.
inline CLI::Validator seed_range() {
  return in_range<std::uint64_t>(0, std::numeric_limits<std::uint64_t>::max());
}

}  // namespace mib::cli
