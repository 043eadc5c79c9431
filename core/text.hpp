#pragma once
// Small text helpers shared by the registries, task ids and error messages.

#include <string>
#include <string_view>
#include <vector>

namespace mib {

/// Formats a double as Python's str(float) does (shortest round-trip digits, ".0" on
/// integers: 0.5 -> "0.5", 2.0 -> "2.0"), so task ids match bmi's.
std::string format_float(double value);

/// Shortest round-trip decimal for JSON-like output ("0.5", "2", "1e-07").
std::string format_number(double value);

/// The one number formatter of every table, figure and message (printf's conversions, so a
/// number reads the same in the CLI, Markdown, LaTeX, HTML and SVG); each gives "–" (an en
/// dash) for NaN and ±∞:
/// `decimals` digits after the point ("%.*f": 0.1235 for 4) — but from 1e9 on in magnitude
/// in exponent form with as many decimals ("%.*e": -5.24e+66 for 2; a diverged estimate had
/// filled a table cell with 67 digits);
std::string format_fixed(double value, int decimals);
/// `digits` significant digits, the shorter of fixed and scientific ("%.*g": 0.000123, 1.23e+05);
std::string format_significant(double value, int digits);
/// scientific with `decimals` after the point ("%.*e": 1e+05 for 0).
std::string format_scientific(double value, int decimals);

/// The candidates closest to `name` by edit distance (at most `count`, best first).
std::vector<std::string> closest(std::string_view name, const std::vector<std::string>& candidates,
                                 std::size_t count = 3);

/// Joins with a separator.
std::string join(const std::vector<std::string>& items, std::string_view separator);

/// Splits on a character; empty fields are kept.
std::vector<std::string> split(std::string_view text, char separator);

}  // namespace mib
