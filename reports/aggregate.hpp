#pragma once
// Aggregation of result rows (the lines of results.jsonl, as typed CellResults) per
// (estimator, task, n).

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "core/cell_result.hpp"

namespace mib {

/// Statistics over the replicates of one (estimator, task, n), in nats and seconds.
/// mean/std/bias/rmse use the successful replicates only; NaN where undefined (no success,
/// or std with one replicate).
struct Aggregate {
  std::string estimator, task;
  std::size_t n = 0;
  double mi_true = 0, mi_true_se = 0;
  std::size_t replicates = 0;  ///< successful replicates
  std::size_t failures = 0;    ///< failed replicates
  double mean = 0;             ///< mean estimate
  double bias = 0;             ///< mean − true
  double std = 0;              ///< sample standard deviation (ddof 1)
  double rmse = 0;             ///< sqrt(mean((estimate − true)²))
  double median_seconds = 0;   ///< median wall time over all replicates
  std::size_t saturated = 0;   ///< replicates flagged as saturated (near a known ceiling)
  int dims = 0;                ///< dim_x + dim_y of the task (0: unknown)
  std::size_t dim_z = 0;       ///< the conditioning variable's columns (> 0: truths are CMIs)
  std::vector<std::string> failure_messages;  ///< "status: message" of each failed replicate
  std::vector<CurvePoint> curve;  ///< the first successful replicate's test curve, if any
};

/// Groups rows by (estimator, task, n): estimators and tasks in order of first appearance,
/// n ascending.
std::vector<Aggregate> aggregate(const std::vector<CellResult>& rows);

}  // namespace mib
