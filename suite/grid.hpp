#pragma once
// Grid expansion: a config becomes groups (task, n, replicate), each with one cell per
// estimator. A group's samples are drawn once and shared by its estimators.

#include <cstdint>
#include <string>
#include <vector>

#include "suite/config.hpp"

namespace mib {

struct Group {
  std::size_t task = 0;  ///< index into Config::tasks
  std::size_t n = 0;
  std::size_t replicate = 0;  ///< 0-based
  std::uint64_t seed = 0;     ///< derive_seed(master, task id, n, replicate)
};

/// Groups in canonical order: task (config order), then n (config order), then replicate.
std::vector<Group> expand_grid(const Config& config);

/// A shard i/N of a sweep (1 <= index <= count): the groups whose canonical position is
/// index − 1 modulo count. Shards are disjoint, together they are the whole grid, and a
/// group's samples and estimates do not depend on the shard.
struct Shard {
  std::size_t index = 1;
  std::size_t count = 1;
};

/// Parses "i/N"; ConfigError naming `where` unless 1 <= i <= N.
Shard parse_shard(const std::string& text, const std::string& where);

/// The groups of `shard`, in canonical order.
std::vector<Group> shard_groups(const std::vector<Group>& groups, Shard shard);

/// The canonical cell key "task|n|replicate|estimator-label".
std::string cell_key(const std::string& task, std::size_t n, std::size_t replicate,
                     const std::string& label);

}  // namespace mib
