#pragma once
// Exact nearest-neighbour queries among the rows of one matrix: the only header estimators
// include for neighbour search, so the back-end can change behind it.
//
// Back-ends, chosen automatically by dimension (Backend::kAuto):
//   d = 1       sorted array: binary searches for counts, a two-sided scan for neighbours;
//   d <= 12     k-d tree (knn/kdtree.hpp) with exact box bounds;
//   d > 12      exhaustive search, O(n² d), where trees stop pruning;
// and for counts in two columns under the max-norm, an offline sweep (kSweep).
// All share one distance kernel (knn/metric.hpp), so every back-end returns exactly the
// exhaustive search's answer — what KSG's strict/non-strict counting needs; neighbours are
// ordered by (distance, row index), so ties are broken by row index.
// `threads` > 1 splits the queries across threads; results do not depend on it.

#include <Eigen/Dense>
#include <functional>
#include <vector>

#include "core/matrix.hpp"

namespace mib::knn {

enum class Metric {
  kMax,        ///< max-norm (Chebyshev): max_c |a_c − b_c|
  kEuclidean,  ///< Euclidean: sqrt(Σ_c (a_c − b_c)²)
};

/// kSweep: counts only, two columns under the max-norm — an offline sweep over the two sorted
/// orders, the swept rows as bits counted by popcount (count_within picks it for such input
/// under kAuto).
enum class Backend { kAuto, kBrute, kKdTree, kSorted, kSweep };

/// The back-end kAuto picks for d columns.
Backend auto_backend(Eigen::Index d);

using IndexMatrix = Eigen::Matrix<Eigen::Index, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

/// The k nearest other rows of each row: distance(i, m) ascending in m, index(i, m) its row.
/// The row itself is excluded by index, so a duplicate of row i is a neighbour at distance 0.
struct Neighbors {
  Eigen::MatrixXd distance;  ///< n × k
  IndexMatrix index;         ///< n × k
};

/// Requires 1 <= k < n (InvalidArgument otherwise). Checks the thread's deadline. kSorted
/// needs one column.
Neighbors nearest(MatrixRef points, int k, Metric metric, Backend backend = Backend::kAuto,
                  int threads = 1);

/// The k-th neighbour distance of each row: nearest(points, k, …).distance.col(k − 1), without
/// storing the rest of the n × k answer. kAuto on two columns under the max-norm searches strips
/// of the two sorted columns (knn/strips.hpp) unless a sample of rows sends it to the tree.
Eigen::VectorXd kth_distance(MatrixRef points, int k, Metric metric,
                             Backend backend = Backend::kAuto, int threads = 1);

/// The k-th neighbour distance of each row (kth_distance) and the number of other rows within it
/// (count_within(points, radius, metric, false)): k unless rows tie at the k-th distance. On the
/// tree back-end one search for k + 1 neighbours tells which rows tie, and only those are
/// counted.
struct KthWithin {
  Eigen::VectorXd radius;
  Eigen::VectorXi within;
};
KthWithin kth_distance_within(MatrixRef points, int k, Metric metric, int threads = 1);

/// For each row i, #{j ≠ i : d(p_i, p_j) < radius(i)} when strict, else d ≤ radius(i).
Eigen::VectorXi count_within(MatrixRef points, const Eigen::VectorXd& radius, Metric metric,
                             bool strict, Backend backend = Backend::kAuto, int threads = 1);

/// What KSG counts in each marginal, for row i with joint neighbours N_i (the k nearest under
/// the joint max-norm max(‖Δx‖∞, ‖Δy‖∞)):
///   kJointRadius:     n_x(i) = #{j ≠ i : ‖x_j − x_i‖∞ < r_i}, r_i the k-th joint distance
///                     (Kraskov et al. 2004, algorithm 1);
///   kNeighbourExtent: n_x(i) = #{j ≠ i : ‖x_j − x_i‖∞ <= ε_x(i)}, ε_x(i) the largest x-distance
///                     to a member of N_i (algorithm 2); n_y alike.
enum class CountRule { kJointRadius, kNeighbourExtent };

struct MarginalCounts {
  Eigen::VectorXi nx, ny;
  Eigen::VectorXd radius;  ///< the k-th joint distance of each row
};

/// KSG's neighbour statistics with marginal norm `metric` and the joint norm
/// max(‖Δx‖, ‖Δy‖). In high dimension (dx + dy > 12), and always for Euclidean marginals
/// (whose joint norm is no tree metric here), one exhaustive pass over the pairs computes
/// each marginal distance once and serves the joint search and both counts; otherwise
/// nearest() and count_within() on trees — or, for one column each (kAuto, CountRule::
/// kJointRadius), the two columns sorted once for the strips' search and both counts. Same
/// answers every way (tested). Requires 1 <= k < n and equal row counts.
MarginalCounts ksg_counts(MatrixRef x, MatrixRef y, int k, CountRule rule,
                          Metric metric = Metric::kMax, Backend backend = Backend::kAuto,
                          int threads = 1);
/// ksg_counts for each k of ks, in that order: the exhaustive pass serves them all from one
/// computation of the distances (ksg-bmi averages k = 5 and 10); the trees search once per k.
std::vector<MarginalCounts> ksg_counts(MatrixRef x, MatrixRef y, const std::vector<int>& ks,
                                       CountRule rule, Metric metric = Metric::kMax,
                                       Backend backend = Backend::kAuto, int threads = 1);

/// bi-KSG's statistics (Gao, Oh & Viswanath 2018): radius(i), the k-th distance of row i among
/// the rows of (x, y) under `metric` over all dx + dy columns, and n_x(i) = #{j ≠ i : ‖x_j − x_i‖
/// <= radius(i)} under `metric`, n_y alike — the same numbers as nearest(hstack(x, y), k,
/// metric).distance.col(k − 1) and count_within(x, radius, metric, false) (and y). Above 12
/// joint dimensions one exhaustive pass serves all three, else a search and two counts.
/// Requires 1 <= k < n and equal row counts.
MarginalCounts joint_radius_counts(MatrixRef x, MatrixRef y, int k, Metric metric, int threads = 1);

/// The k-th nearest-neighbour distance of every row among the rows of x, of y and of the joint
/// (x, y), all under the max-norm (the Kozachenko–Leonenko entropies of X, Y and (X, Y)): the
/// same values as nearest(m, k, Metric::kMax).distance.col(k − 1) for m = x, y and hstack(x, y).
/// Above 12 joint dimensions one exhaustive pass serves all three (the joint max-norm is the
/// larger marginal one), else three searches. Requires 1 <= k < n and equal row counts.
struct KthDistances {
  Eigen::VectorXd x, y, joint;
};
KthDistances kth_distances(MatrixRef x, MatrixRef y, int k, int threads = 1);

/// The counts of the conditional KSG estimators: for each row i, the rows j ≠ i within
/// radius(i) (strict: <, else <=) under the max-norm in (X, Z), in (Y, Z) and in Z. The same
/// numbers as count_within on each; with one column each, the columns are sorted once and
/// shared by the three counts. Requires equal row counts.
struct ConditionalCounts {
  Eigen::VectorXi nxz, nyz, nz;
};
ConditionalCounts conditional_counts(MatrixRef x, MatrixRef y, MatrixRef z,
                                     const Eigen::VectorXd& radius, bool strict, int threads = 1);

/// Every pair's squared Euclidean distance in X and in Y, for kernel estimators that need all
/// of them: body(i, sx, sy) for each row i, where sx[j] = Σ_c (x_ic − x_jc)², summed in
/// coordinate order (the Euclidean distance before its sqrt), and sy[j] alike, for every row j.
/// O(n² d) by the exhaustive pass's blocked kernel; the rows are split over `threads` threads
/// (body is called concurrently for different rows; the arrays live for the call only). Checks
/// the thread's deadline. Requires equal row counts.
using RowSquared = std::function<void(Eigen::Index, const double*, const double*)>;
void for_each_row_squared(MatrixRef x, MatrixRef y, int threads, const RowSquared& body);

/// For each row i, #{j ≠ i : row j equals row i, coordinate by coordinate} — the same numbers as
/// count_within(points, 0, metric, strict = false) under either norm (a distance is 0 exactly
/// when every coordinate difference is: finite doubles that differ never subtract to 0), by
/// sorting the rows: O(n d log n) instead of a search.
Eigen::VectorXi count_duplicates(MatrixRef points);

/// The distance between rows a and b of points under metric.
double distance(MatrixRef points, Eigen::Index a, Eigen::Index b, Metric metric);

}  // namespace mib::knn
