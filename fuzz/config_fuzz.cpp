// libFuzzer target: the config parser. Any bytes either parse into a config or raise a
// mib::Error (a ConfigError naming the problem); nothing else may happen (no crash, no other
// exception, no sanitizer report). A valid config may ask for a law too large to build (a
// 4096-dim covariance per task): running out of memory there is not a parser bug, so
// std::bad_alloc is accepted too (make fuzz runs with ASan's allocator_may_return_null=1).
#include <cstddef>
#include <cstdint>
#include <new>
#include <string>

#include "core/error.hpp"
#include "core/json_text.hpp"
#include "distributions/catalog.hpp"
#include "estimators/builtin.hpp"
#include "suite/config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    // The same path as load_config: the text through the depth-limited JSON parser first.
    const auto j = mib::parse_json<mib::ConfigError>(
        std::string(reinterpret_cast<const char*>(data), size), "fuzz.json", "the file");
    mib::parse_config(j, "fuzz.json", mib::builtin_catalog(), mib::builtin_estimators());
  } catch (const mib::Error&) {
  } catch (const std::bad_alloc&) {
  }
  return 0;
}
