#pragma once
// The exhaustive back-end of knn/neighbors.hpp (internal to the knn module): every query's
// distances to every row, in blocks of queries over panels of the points (knn/kernels.hpp).
// The preconditions are neighbors.hpp's, checked there.

#include <Eigen/Dense>

#include "core/matrix.hpp"
#include "estimators/knn/neighbors.hpp"

namespace mib::knn::detail {

/// neighbors.hpp's nearest() by exhaustive search.
void brute_nearest(MatrixRef points, int k, Metric metric, Neighbors& result, int threads);
/// neighbors.hpp's count_within() by exhaustive search.
Eigen::VectorXi brute_count(MatrixRef points, const Eigen::VectorXd& radius, Metric metric,
                            bool strict, int threads);
/// neighbors.hpp's ksg_counts() in one exhaustive pass; the max-norm pass screens in float32
/// and settles exactly where the screen cannot decide.
MarginalCounts brute_ksg_counts(MatrixRef x, MatrixRef y, int k, CountRule rule, Metric metric,
                                int threads);

}  // namespace mib::knn::detail
