#include "core/error.hpp"

namespace mib {

std::string message(const std::string& where, const std::string& what, const std::string& rule,
                    const std::string& value) {
  return where + ": " + what + " must be " + rule + ", but is " + value;
}

}  // namespace mib
