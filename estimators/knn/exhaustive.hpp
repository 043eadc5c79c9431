#pragma once
// The exhaustive back-end of knn/neighbors.hpp (internal to the knn module): every query's
// distances to every row, in blocks of queries over panels of the points (knn/kernels.hpp),
// screened in float32 and settled with exact double distances wherever the screen cannot decide
// (kernels.hpp: ScreenError), so every answer is the double pass's; without a usable screen
// (coordinates near float's range) the pass runs in double. The preconditions are
// neighbors.hpp's, checked there.

#include <Eigen/Dense>

#include "core/matrix.hpp"
#include "estimators/knn/neighbors.hpp"

namespace mib::knn::detail {

/// neighbors.hpp's nearest() by exhaustive search.
void brute_nearest(MatrixRef points, int k, Metric metric, Neighbors& result, int threads);
/// neighbors.hpp's count_within() by exhaustive search.
Eigen::VectorXi brute_count(MatrixRef points, const Eigen::VectorXd& radius, Metric metric,
                            bool strict, int threads);
/// neighbors.hpp's joint_radius_counts() in one screened pass; false (out untouched) when the
/// coordinates leave no float32 screen.
bool brute_joint_radius_counts(MatrixRef x, MatrixRef y, int k, Metric metric, int threads,
                               MarginalCounts& out);
/// neighbors.hpp's kth_distances() in one screened pass; false (out untouched) when the
/// coordinates leave no float32 screen.
bool brute_kth_distances(MatrixRef x, MatrixRef y, int k, int threads, KthDistances& out);
/// neighbors.hpp's for_each_row_squared().
void brute_squared(MatrixRef x, MatrixRef y, int threads, const RowSquared& body);
/// neighbors.hpp's ksg_counts() for every k of ks in one exhaustive pass.
std::vector<MarginalCounts> brute_ksg_counts(MatrixRef x, MatrixRef y, const std::vector<int>& ks,
                                             CountRule rule, Metric metric, int threads);

}  // namespace mib::knn::detail
