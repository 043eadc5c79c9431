#pragma once
// The built-in estimators. Adding one adds one line to register_builtin_estimators().

#include "core/registry.hpp"
#include "estimators/estimator.hpp"

namespace mib {

/// Adds every built-in estimator to `registry`.
void register_builtin_estimators(Registry<Estimator>& registry);

/// A registry holding the built-ins (built once; immutable).
const Registry<Estimator>& builtin_estimators();

}  // namespace mib
