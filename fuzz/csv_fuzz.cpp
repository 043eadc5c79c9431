// libFuzzer target: the CSV reader on arbitrary text: a table or a mib::Error.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/csv.hpp"
#include "core/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    mib::parse_csv(std::string(reinterpret_cast<const char*>(data), size), "fuzz.csv");
  } catch (const mib::Error&) {
  }
  return 0;
}
