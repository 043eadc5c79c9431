#pragma once
// Small helpers shared by the CLI's translation units (cli.cpp, user_data.cpp).

#include <cstdio>
#include <string>

namespace mib::cli {

/// Exit code of a run with failed cells, a failed estimate or a failed check.
inline constexpr int kFailed = 1;

/// v through a printf format.
inline std::string fixed(double v, const char* format = "%.6f") {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, format, v);
  return buffer;
}

}  // namespace mib::cli
