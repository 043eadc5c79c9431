#include "estimators/knn/neighbors.hpp"

#include <algorithm>
#include <limits>
#include <numeric>
#include <type_traits>
#include <vector>

#include "core/deadline.hpp"
#include "core/error.hpp"
#include "core/parallel.hpp"
#include "estimators/knn/exhaustive.hpp"
#include "estimators/knn/kdtree.hpp"
#include "estimators/knn/metric.hpp"
#include "estimators/knn/sorted.hpp"

namespace mib::knn {

using detail::brute_count;
using detail::brute_ksg_counts;
using detail::brute_nearest;
using detail::pair_distance;
using detail::Sorted;

namespace {

constexpr Eigen::Index kKdTreeMaxDim = 12;

Backend resolve(Backend backend, MatrixRef points) {
  const Backend b = backend == Backend::kAuto ? auto_backend(points.cols()) : backend;
  require(b != Backend::kSorted || points.cols() == 1, "knn", "the sorted back-end's dimension",
          "1", points.cols());
  return b;
}

}  // namespace

Backend auto_backend(Eigen::Index d) {
  if (d == 1) return Backend::kSorted;
  return d <= kKdTreeMaxDim ? Backend::kKdTree : Backend::kBrute;
}

double distance(MatrixRef points, Eigen::Index a, Eigen::Index b, Metric metric) {
  return pair_distance(points.row(a).data(), points.row(b).data(), points.cols(), metric);
}

MarginalCounts ksg_counts(MatrixRef x, MatrixRef y, int k, CountRule rule, Metric metric,
                          Backend backend, int threads) {
  const Eigen::Index n = x.rows();
  require(y.rows() == n, "knn::ksg_counts", "the row counts of x and y", "equal",
          std::to_string(n) + " and " + std::to_string(y.rows()));
  require(k >= 1 && k < n, "knn::ksg_counts", "k", "in [1, n) with n = " + std::to_string(n), k);
  const Matrix joint = hstack(x, y);  // its max-norm is max(‖Δx‖∞, ‖Δy‖∞)
  const Backend b = metric == Metric::kEuclidean ? Backend::kBrute
                    : backend == Backend::kAuto  ? auto_backend(joint.cols())
                                                 : backend;
  if (b == Backend::kBrute) return brute_ksg_counts(x, y, k, rule, metric, threads);
  const Neighbors nb = nearest(joint, k, Metric::kMax, b, threads);
  MarginalCounts out{{}, {}, nb.distance.col(k - 1)};
  // The marginals get their own back-end (a 1-column marginal is sorted, not a tree).
  const auto marginal = [&](Eigen::Index cols) {
    return backend == Backend::kAuto ? auto_backend(cols) : b;
  };
  if (rule == CountRule::kJointRadius) {
    out.nx = count_within(x, out.radius, Metric::kMax, true, marginal(x.cols()), threads);
    out.ny = count_within(y, out.radius, Metric::kMax, true, marginal(y.cols()), threads);
    return out;
  }
  Eigen::VectorXd ex = Eigen::VectorXd::Zero(n), ey = Eigen::VectorXd::Zero(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    for (int m = 0; m < k; ++m) {
      ex(i) = std::max(ex(i), distance(x, i, nb.index(i, m), Metric::kMax));
      ey(i) = std::max(ey(i), distance(y, i, nb.index(i, m), Metric::kMax));
    }
  }
  out.nx = count_within(x, ex, Metric::kMax, false, marginal(x.cols()), threads);
  out.ny = count_within(y, ey, Metric::kMax, false, marginal(y.cols()), threads);
  return out;
}

Neighbors nearest(MatrixRef points, int k, Metric metric, Backend backend, int threads) {
  const Eigen::Index n = points.rows();
  require(k >= 1 && k < n, "knn::nearest", "k", "in [1, n) with n = " + std::to_string(n), k);
  Neighbors result{Eigen::MatrixXd(n, k), IndexMatrix(n, k)};
  const Backend b = resolve(backend, points);
  if (b == Backend::kBrute) {
    brute_nearest(points, k, metric, result, threads);
    return result;
  }
  // Queries run in sorted / tree order (neighbouring queries share memory), split into
  // contiguous chunks across threads; each query writes only its own row.
  auto run = [&](const std::vector<Eigen::Index>& order, auto query) {
    parallel_for(static_cast<std::ptrdiff_t>(order.size()), threads,
                 [&](std::ptrdiff_t begin, std::ptrdiff_t end) {
                   std::vector<double> dist(static_cast<std::size_t>(k));
                   std::vector<Eigen::Index> index(static_cast<std::size_t>(k));
                   auto state = query.make_state();
                   for (std::ptrdiff_t p = begin; p < end; ++p) {
                     check_deadline();
                     const Eigen::Index i = order[static_cast<std::size_t>(p)];
                     query(i, dist.data(), index.data(), state);
                     for (int m = 0; m < k; ++m) {
                       result.distance(i, m) = dist[static_cast<std::size_t>(m)];
                       result.index(i, m) = index[static_cast<std::size_t>(m)];
                     }
                   }
                 });
  };
  if (b == Backend::kSorted) {
    const Sorted sorted(points, metric);
    struct {
      const Sorted& s;
      int k;
      std::vector<std::pair<double, Eigen::Index>> make_state() const { return {}; }
      void operator()(Eigen::Index i, double* d, Eigen::Index* x,
                      std::vector<std::pair<double, Eigen::Index>>& c) const {
        s.nearest(i, k, d, x, c);
      }
    } query{sorted, k};
    run(sorted.order(), query);
  } else {
    const KdTree tree(points, metric);
    struct {
      const KdTree& t;
      int k;
      KdTree::Scratch make_state() const { return {}; }
      void operator()(Eigen::Index i, double* d, Eigen::Index* x, KdTree::Scratch& scratch) const {
        t.nearest(i, k, d, x, scratch);
      }
    } query{tree, k};
    run(tree.order(), query);
  }
  return result;
}

Eigen::VectorXi count_within(MatrixRef points, const Eigen::VectorXd& radius, Metric metric,
                             bool strict, Backend backend, int threads) {
  const Eigen::Index n = points.rows();
  require(radius.size() == n, "knn::count_within", "radius size", "n = " + std::to_string(n),
          radius.size());
  const Backend b = resolve(backend, points);
  if (b == Backend::kBrute) return brute_count(points, radius, metric, strict, threads);
  Eigen::VectorXi counts(n);
  auto run = [&](const std::vector<Eigen::Index>& order, const auto& count) {
    parallel_for(static_cast<std::ptrdiff_t>(order.size()), threads,
                 [&](std::ptrdiff_t begin, std::ptrdiff_t end) {
                   KdTree::Scratch scratch;
                   for (std::ptrdiff_t p = begin; p < end; ++p) {
                     check_deadline();
                     const Eigen::Index i = order[static_cast<std::size_t>(p)];
                     counts(i) = count(i, scratch);
                   }
                 });
  };
  if (b == Backend::kSorted) {
    const Sorted sorted(points, metric);
    run(sorted.order(),
        [&](Eigen::Index i, KdTree::Scratch&) { return sorted.count(i, radius(i), strict); });
  } else {
    const KdTree tree(points, metric);
    run(tree.order(), [&](Eigen::Index i, KdTree::Scratch& scratch) {
      return tree.count(i, radius(i), strict, scratch);
    });
  }
  return counts;
}

}  // namespace mib::knn
