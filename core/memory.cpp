#include "core/memory.hpp"

#include <unistd.h>

#include "core/error.hpp"
#include "core/text.hpp"

namespace mib {

double physical_memory_bytes() {
  const long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGE_SIZE);
  return pages > 0 && page > 0 ? static_cast<double>(pages) * static_cast<double>(page) : 0;
}

std::string format_bytes(double bytes) { return format_significant(bytes / 1e9, 3) + " GB"; }

void require_fits_in_memory(double bytes, const std::string& where, const std::string& what) {
  const double available = physical_memory_bytes();
  if (available > 0 && bytes > available) {
    fail<ConfigError>(where, what, "within this machine's memory (" + format_bytes(available) + ")",
                      format_bytes(bytes));
  }
}

}  // namespace mib
