#include "core/rng.hpp"

namespace mib {

std::uint64_t splitmix64(std::uint64_t z) {
  z += 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

std::uint64_t fnv1a64(std::string_view text) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : text) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

std::uint64_t derive_seed(std::uint64_t master, std::string_view task_id, std::uint64_t n,
                          std::uint64_t replicate) {
  std::uint64_t h = splitmix64(master);
  h = splitmix64(h ^ fnv1a64(task_id));
  h = splitmix64(h ^ n);
  return splitmix64(h ^ replicate);
}

std::uint64_t derive_seed(std::uint64_t parent, std::string_view stream) {
  return splitmix64(splitmix64(parent) ^ fnv1a64(stream));
}

}  // namespace mib
