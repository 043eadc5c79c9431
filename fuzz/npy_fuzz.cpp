// libFuzzer target: the .npy reader on arbitrary bytes: a matrix or a mib::Error.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/error.hpp"
#include "core/npy.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    mib::parse_npy(std::string(reinterpret_cast<const char*>(data), size), "fuzz.npy");
  } catch (const mib::Error&) {
  }
  return 0;
}
