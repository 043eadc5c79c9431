#pragma once
// Random engine and seed derivation. Variates must come from Boost.Random distributions,
// whose algorithms are fixed across platforms; std:: distributions are not and are never used.

#include <boost/random/mersenne_twister.hpp>
#include <cstdint>
#include <string_view>

namespace mib {

/// The engine: MT19937-64, whose output sequence for a given seed is fixed by its definition
/// (identical to std::mt19937_64's). Boost's implementation generates its state in bulk and
/// is about 3x faster than libstdc++'s here (bench/README.md).
using Rng = boost::random::mt19937_64;

/// SplitMix64 finaliser (Steele, Lea & Flood 2014): a bijective 64-bit mix.
std::uint64_t splitmix64(std::uint64_t z);

/// FNV-1a 64-bit hash of a string (stable across platforms and runs).
std::uint64_t fnv1a64(std::string_view text);

/// Seed of the samples of one (task, n, replicate) in a sweep with master seed `master`.
/// Independent of the estimator, the shard, the thread and the order of evaluation, so every
/// estimator sees the same samples and a split sweep equals an unsplit one.
std::uint64_t derive_seed(std::uint64_t master, std::string_view task_id, std::uint64_t n,
                          std::uint64_t replicate);

/// A seed for a named sub-stream of `parent` (e.g. the estimator's own randomness).
std::uint64_t derive_seed(std::uint64_t parent, std::string_view stream);

}  // namespace mib
