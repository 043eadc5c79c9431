#pragma once
// Provenance of this build, generated at build time by cmake/build_info.cmake.

#include <string>

namespace mib {

struct BuildInfo {
  std::string version;     ///< mibench version, e.g. "0.1.0"
  std::string commit;      ///< short git commit, "-dirty" when the tree had changes
  std::string compiler;    ///< e.g. "GNU-12.2.0"
  std::string flags;       ///< CXX flags of the build type
  std::string build_type;  ///< CMake build type
};

const BuildInfo& build_info();

}  // namespace mib
