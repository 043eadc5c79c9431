#include "suite/grid.hpp"

#include <stdexcept>

#include "core/error.hpp"
#include "core/rng.hpp"

namespace mib {

std::vector<Group> expand_grid(const Config& config) {
  std::vector<Group> groups;
  for (std::size_t t = 0; t < config.tasks.size(); ++t) {
    for (std::size_t n : config.sample_sizes) {
      for (std::size_t r = 0; r < static_cast<std::size_t>(config.replicates_at(n)); ++r) {
        groups.push_back({t, n, r, derive_seed(config.seed, config.tasks[t].id, n, r)});
      }
    }
  }
  return groups;
}

Shard parse_shard(const std::string& text, const std::string& where) {
  const auto slash = text.find('/');
  Shard s;
  try {
    std::size_t used = 0;
    if (slash == std::string::npos) throw std::invalid_argument("no slash");
    s.index = std::stoul(text.substr(0, slash), &used);
    if (used != slash) throw std::invalid_argument("index");
    s.count = std::stoul(text.substr(slash + 1), &used);
    if (used != text.size() - slash - 1) throw std::invalid_argument("count");
  } catch (const std::exception&) {
    fail<ConfigError>(where, "the shard", "i/N with integers 1 <= i <= N", quoted(text));
  }
  require<ConfigError>(s.count >= 1 && s.index >= 1 && s.index <= s.count, where, "the shard",
                       "i/N with integers 1 <= i <= N", quoted(text));
  return s;
}

std::vector<Group> shard_groups(const std::vector<Group>& groups, Shard shard) {
  std::vector<Group> out;
  for (std::size_t g = 0; g < groups.size(); ++g) {
    if (g % shard.count == shard.index - 1) out.push_back(groups[g]);
  }
  return out;
}

std::string cell_key(const std::string& task, std::size_t n, std::size_t replicate,
                     const std::string& label) {
  return task + "|" + std::to_string(n) + "|" + std::to_string(replicate) + "|" + label;
}

}  // namespace mib
