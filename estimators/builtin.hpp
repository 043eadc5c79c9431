#pragma once
// The built-in estimators. Adding one adds one line to register_builtin_estimators().

#include <string>
#include <vector>

#include "core/registry.hpp"
#include "estimators/estimator.hpp"

namespace mib {

/// Adds every built-in estimator to `registry`.
void register_builtin_estimators(Registry<Estimator>& registry);

/// The built-in estimators of I(X; Y | Z), in name order (any other becomes one through
/// "chain:<name>").
const std::vector<std::string>& conditional_estimator_names();

/// A registry holding the built-ins (built once; immutable).
const Registry<Estimator>& builtin_estimators();

}  // namespace mib
