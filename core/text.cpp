#include "core/text.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace mib {

std::string format_number(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  // Shortest round-trip digits, then Python's repr layout: fixed notation for decimal
  // exponents in [-4, 16), scientific otherwise.
  char buffer[40];
  int digits = 0;
  for (; digits < 17; ++digits) {
    std::snprintf(buffer, sizeof buffer, "%.*e", digits, value);
    if (std::strtod(buffer, nullptr) == value) break;
  }
  const int exponent = std::atoi(std::strchr(buffer, 'e') + 1);
  if (exponent >= -4 && exponent < 16) {
    std::snprintf(buffer, sizeof buffer, "%.*f", std::max(0, digits - exponent), value);
  }
  return buffer;
}

namespace {
std::string printf_number(const char* format, int precision, double value) {
  if (!std::isfinite(value)) return "–";
  char buffer[400];  // %.*f of 1e308 has 309 digits before the point
  std::snprintf(buffer, sizeof buffer, format, precision, value);
  return buffer;
}
}  // namespace

std::string format_fixed(double value, int decimals) {
  std::string text = printf_number(std::abs(value) >= 1e9 ? "%.*e" : "%.*f", decimals, value);
  // A value that rounds to zero is written without a sign ("-0.00" read as a negative bias).
  if (text[0] == '-' && text.find_first_not_of("0.", 1) == std::string::npos) text.erase(0, 1);
  return text;
}

std::string format_significant(double value, int digits) {
  return printf_number("%.*g", digits, value);
}

std::string format_scientific(double value, int decimals) {
  return printf_number("%.*e", decimals, value);
}

std::string format_float(double value) {
  std::string text = format_number(value);
  if (std::isfinite(value) && text.find_first_of(".e") == std::string::npos) text += ".0";
  return text;
}

namespace {
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      // Case is ignored ("KSG" is closest to "ksg"): names here are lower case.
      const bool same = std::tolower(static_cast<unsigned char>(a[i - 1])) ==
                        std::tolower(static_cast<unsigned char>(b[j - 1]));
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (same ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}
}  // namespace

std::vector<std::string> closest(std::string_view name, const std::vector<std::string>& candidates,
                                 std::size_t count) {
  std::vector<std::pair<std::size_t, std::string>> scored;
  for (const auto& c : candidates) scored.emplace_back(edit_distance(name, c), c);
  std::stable_sort(scored.begin(), scored.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::string> best;  // each name once (task lists share ids)
  for (std::size_t i = 0; i < scored.size() && best.size() < count; ++i) {
    if (std::find(best.begin(), best.end(), scored[i].second) == best.end())
      best.push_back(scored[i].second);
  }
  return best;
}

std::string join(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out += separator;
    out += items[i];
  }
  return out;
}

std::vector<std::string> split(std::string_view text, char separator) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = text.find(separator, start);
    parts.emplace_back(text.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

}  // namespace mib
