#include "suite/grid.hpp"

#include "core/rng.hpp"

namespace mib {

std::vector<Group> expand_grid(const Config& config) {
  std::vector<Group> groups;
  for (std::size_t t = 0; t < config.tasks.size(); ++t) {
    for (std::size_t n : config.sample_sizes) {
      for (std::size_t r = 0; r < static_cast<std::size_t>(config.replicates); ++r) {
        groups.push_back({t, n, r, derive_seed(config.seed, config.tasks[t].id, n, r)});
      }
    }
  }
  return groups;
}

std::string cell_key(const std::string& task, std::size_t n, std::size_t replicate,
                     const std::string& label) {
  return task + "|" + std::to_string(n) + "|" + std::to_string(replicate) + "|" + label;
}

}  // namespace mib
