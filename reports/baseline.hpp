#pragma once
// The CI gate: a baseline is one entry per (estimator, task, n) — mean estimate, its standard
// error and replicates — written from a run's aggregates; check compares a run with it.
//
// A regression is
//   shifted      |mean − baseline mean| > max(sigmas · sqrt(se² + baseline se²), absolute),
//                where se is std / sqrt(replicates); when either side has no standard error
//                (one replicate), the difference must be at most `absolute` instead;
//   missing      a baseline cell absent from the run (or with no successful replicate);
//   new failure  more failed replicates than the baseline had.
// Cells the baseline does not know are listed as new, not as regressions.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "reports/aggregate.hpp"

namespace mib {

/// The baseline document: {"schema_version", "provenance", "entries": [...]}.
nlohmann::json make_baseline(const std::vector<Aggregate>& aggregates,
                             const nlohmann::json& provenance);

struct CheckOptions {
  double sigmas = 4;
  double absolute = 1e-9;
};

struct Regression {
  std::string estimator, task;
  std::size_t n = 0;
  std::string kind;    ///< "shifted", "missing", "new failure"
  std::string detail;  ///< numbers behind it
};

struct CheckResult {
  std::vector<Regression> regressions;
  std::size_t compared = 0;        ///< baseline cells found in the run
  std::vector<std::string> fresh;  ///< run cells the baseline does not have ("estimator|task|n")
};

/// Compares a run's aggregates with a baseline document; DataError naming `where` when the
/// document is malformed.
CheckResult check_against(const std::vector<Aggregate>& run, const nlohmann::json& baseline,
                          const CheckOptions& options, const std::string& where);

/// The regressions as a Markdown table (or a line saying there are none).
std::string format_check(const CheckResult& result);

}  // namespace mib
