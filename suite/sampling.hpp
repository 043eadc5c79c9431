#pragma once
// Tasks as the CLI's `list`/`sample` and the Python package's mibench.tasks()/Task show them:
// a task's summary row, and a drawn sample.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "distributions/catalog.hpp"

namespace mib {

/// id, family, dim_x, dim_y, (dim_z for a task with Z), mi (nats; I(X; Y | Z) for a task with
/// Z), mi_se, method, source: a row of `list tasks --json`.
nlohmann::json task_summary(const Task& task);

/// ConfigError naming `where` (core/memory.hpp) unless a sample of n rows of the task, and
/// its copy, fit in the memory available.
void require_sample_fits(const Task& task, std::size_t n, const std::string& where);

/// n rows of the task drawn with Rng(seed) — the sample a results row with this `seed`
/// reproduces — each column standardised (mean 0, sd 1) when `standardize`.
Sample draw_sample(const Task& task, std::size_t n, std::uint64_t seed, bool standardize);

}  // namespace mib
