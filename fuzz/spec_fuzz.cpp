// libFuzzer target: estimator specs, string form then resolution against the registry (every
// estimator's Params parser): a resolved estimator or a mib::Error.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/error.hpp"
#include "estimators/builtin.hpp"
#include "estimators/spec.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    const auto spec =
        mib::parse_spec(std::string(reinterpret_cast<const char*>(data), size), "fuzz");
    mib::resolve(spec, mib::builtin_estimators(), "fuzz");
  } catch (const mib::Error&) {
  }
  return 0;
}
