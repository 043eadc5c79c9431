#pragma once
// Checking a size against this machine's memory before allocating it, so that a run, a
// sample or a grid too large for the machine is refused at once with a message naming the
// size (and nothing written), instead of dying later with std::bad_alloc.

#include <string>

namespace mib {

/// Physical memory of this machine in bytes (sysconf); 0 when unknown.
double physical_memory_bytes();

/// "1.5 GB": bytes for a message.
std::string format_bytes(double bytes);

/// Throws ConfigError "<where>: <what> must be within this machine's memory (N GB), but is
/// M GB" when `bytes` exceed the physical memory.
void require_fits_in_memory(double bytes, const std::string& where, const std::string& what);

}  // namespace mib
