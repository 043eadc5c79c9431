#pragma once
// The CLI's commands on a user's own two sample files: `estimate` (several estimators,
// resampled confidence intervals) and `consistency` (Song & Ermon's self-consistency tests).

#include <cstdint>
#include <string>
#include <vector>

#include "core/registry.hpp"
#include "estimators/estimator.hpp"
#include "suite/consistency.hpp"

namespace mib::cli {

/// --ci, --resamples, --resample.
struct IntervalOptions {
  double level = 0;  ///< 0: no interval
  int resamples = 50;
  std::string method = "subsample";
};

/// Exit codes as the CLI: 0, 1 when an estimator fails; ConfigError/DataError on bad input.
int estimate_command(const Registry<Estimator>& estimators_registry, const std::string& x_path,
                     const std::string& y_path, const std::vector<std::string>& specs,
                     std::uint64_t seed, bool json, const IntervalOptions& ci);
/// 0 when every estimator passes every test, 1 otherwise.
int consistency_command(const Registry<Estimator>& estimators_registry, const std::string& x_path,
                        const std::string& y_path, const std::vector<std::string>& specs,
                        const ConsistencyOptions& o, bool json);

}  // namespace mib::cli
