#pragma once
// A back-end of knn/neighbors.hpp for the k-th max-norm distance among the rows of two columns
// (internal to the knn module): the rows cut by one column's order into strips, each strip's rows
// in the other column's order, so a query's neighbours come from a scan outward in its own strip
// and in the strips beside it — O(n) to build from the two sorted columns, against a k-d tree's
// O(n log n) with its partitions, and a few tens of distances per query.

#include <Eigen/Core>
#include <optional>

#include "estimators/knn/sorted.hpp"

namespace mib::knn::detail {

/// kth_distance(hstack(a, b), k, Metric::kMax) from the one-column a and b, sorted under the
/// max-norm: the same values, bit for bit (a distance is max(|Δa|, |Δb|), as pair_distance's).
/// Empty when a sample of rows shows the strips would do much more work per row than a tree
/// (columns of many ties, or of very different scales): the caller then uses the tree.
/// Requires 1 <= k < n.
std::optional<Eigen::VectorXd> strip_kth_distance(const Sorted& a, const Sorted& b, int k,
                                                  int threads);

}  // namespace mib::knn::detail
