#pragma once
// The mibench command line. Exit codes: 0 success; 1 failed cells or a failed estimate;
// 2 bad usage or bad input (config, flags, files, specs).

#include "core/registry.hpp"
#include "estimators/estimator.hpp"

namespace mib {

/// The whole CLI with the built-in estimators.
int run_cli(int argc, char** argv);
/// The CLI with another estimator registry: an out-of-tree program adds its own estimators to
/// the built-in ones (register_builtin_estimators) and hands them here; configs and
/// --estimator specs then resolve against it (examples/cpp_estimator).
int run_cli(int argc, char** argv, const Registry<Estimator>& estimators);

}  // namespace mib
