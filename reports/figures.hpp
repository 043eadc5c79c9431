#pragma once
// The report's figures, as SVG (svg.hpp), from the aggregates and the table options:
//   estimate-vs-n      per task: mean ± sd band per estimator over n, the true MI dashed
//   bias-vs-dimension  mean bias at the table's n against dim_x + dim_y (the mean over the
//                      tasks of each dimension), when the run has several dimensions
//   runtime            median seconds per call against n, log–log (median over tasks)
//   heatmap            estimator × task: colour ln(mean / true MI) (bmi's figure), text the mean
//   samples-needed     estimator × task: the smallest n from which |ln(mean / true)| < ln 1.5
//                      holds at every larger n the estimator ran at (a config's max_n may stop
//                      it below the run's largest n)
//   training-curves    per task: the neural estimators' test value against the training step
//                      (first replicate at the table's n), the true MI dashed
// A figure the run has no data for (one n only, no neural estimator, ...) is left out.

#include <string>
#include <utility>
#include <vector>

#include "reports/reporter.hpp"

namespace mib {

/// (name, SVG text) of each figure that applies.
std::vector<std::pair<std::string, std::string>> figures(const Report& report);

}  // namespace mib
