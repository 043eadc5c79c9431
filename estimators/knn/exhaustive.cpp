// The exhaustive back-end of knn/neighbors.hpp: O(n² d) passes over panels of the points
// (knn/kernels.hpp), for d > 12 where trees stop pruning, and for every Euclidean KSG count.
#include "estimators/knn/exhaustive.hpp"

#include <algorithm>
#include <limits>
#include <type_traits>
#include <vector>

#include "core/deadline.hpp"
#include "core/parallel.hpp"
#include "estimators/knn/kernels.hpp"
#include "estimators/knn/metric.hpp"

namespace mib::knn::detail {
namespace {

// Exhaustive searches take queries in blocks (knn/kernels.hpp: each panel of points is read once
// per block) and hand each query's row of distances to the caller. Blocks are fixed by n alone,
// and each query's answer depends only on its own row, so results do not depend on threads.
class QueryBlocks {
 public:
  explicit QueryBlocks(Eigen::Index n)
      : n_(n),
        size_(static_cast<int>(std::clamp<Eigen::Index>(
            (Eigen::Index{1} << 22) / std::max<Eigen::Index>(n, 1), 4, 64))) {}
  /// Runs body(first, rows, distances, stride) for every block, distances[a * n + j] =
  /// d(p_{first+a}, p_j) from each of `sets` point sets in turn (set s at distances + s *
  /// stride). Panels of doubles (any metric) or of floats (the max-norm screen).
  template <class T, class Body>
  void run(const std::vector<const detail::PanelsOf<T>*>& sets, Metric metric, int threads,
           const Body& body) const {
    const Eigen::Index blocks = (n_ + size_ - 1) / size_;
    parallel_for(blocks, threads, [&](std::ptrdiff_t begin, std::ptrdiff_t end) {
      std::vector<T> dist(sets.size() * static_cast<std::size_t>(size_ * n_));
      for (std::ptrdiff_t b = begin; b < end; ++b) {
        check_deadline();
        const Eigen::Index first = b * size_;
        const int rows = static_cast<int>(std::min<Eigen::Index>(size_, n_ - first));
        for (std::size_t s = 0; s < sets.size(); ++s) {
          T* out = dist.data() + s * size_ * n_;
          if constexpr (std::is_same_v<T, float>) {
            detail::block_distances(*sets[s], first, rows, out, n_);
          } else {
            detail::block_distances(*sets[s], first, rows, metric, out, n_);
          }
        }
        body(first, rows, static_cast<const T*>(dist.data()),
             static_cast<Eigen::Index>(size_) * n_);
      }
    });
  }

 private:
  Eigen::Index n_;
  int size_;
};

// The k smallest (distance, index) over j != self, ascending, into best (size k): j ascending,
// so a tie never displaces an earlier j.
void k_smallest(const double* dist, Eigen::Index n, Eigen::Index self,
                std::vector<std::pair<double, Eigen::Index>>& best) {
  std::fill(best.begin(), best.end(),
            std::make_pair(std::numeric_limits<double>::infinity(), Eigen::Index{-1}));
  for (Eigen::Index j = 0; j < n; ++j) {
    const double d = dist[j];
    if (!(d < best.back().first) || j == self) continue;
    auto at = best.end() - 1;
    while (at != best.begin() && d < (at - 1)->first) {
      *at = *(at - 1);
      --at;
    }
    *at = {d, j};
  }
}

// #{j : dist[j] passes the radius test}.
int count_passing(const double* dist, Eigen::Index n, double radius, bool strict) {
  int c = 0;
  if (strict) {
    for (Eigen::Index j = 0; j < n; ++j) c += dist[j] < radius ? 1 : 0;
  } else {
    for (Eigen::Index j = 0; j < n; ++j) c += dist[j] <= radius ? 1 : 0;
  }
  return c;
}

// The max-norm pass with float32 distances (twice the lanes) and exact double distances
// wherever the screen cannot decide (knn/kernels.hpp's bounds): the k-th smallest float32
// joint distance f bounds the exact k-th (k rows lie within f + error), so only rows whose
// float32 distance is within above(f) are candidates, settled exactly; each marginal count
// takes the rows surely inside and settles the band around the radius exactly.
MarginalCounts screened_ksg_counts(MatrixRef x, MatrixRef y, int k, CountRule rule, double error,
                                   int threads) {
  const Eigen::Index n = x.rows(), dx = x.cols(), dy = y.cols();
  const detail::Panels32 px(x), py(y);
  MarginalCounts out{Eigen::VectorXi(n), Eigen::VectorXi(n), Eigen::VectorXd(n)};
  const auto exact = [&](MatrixRef p, Eigen::Index d, Eigen::Index i, Eigen::Index j) {
    return pair_distance(p.row(i).data(), p.row(j).data(), d, Metric::kMax);
  };
  QueryBlocks(n).run<float>(
      {&px, &py}, Metric::kMax, threads,
      [&](Eigen::Index first, int rows, const float* dist, Eigen::Index stride) {
        std::vector<float> joint(static_cast<std::size_t>(n)),
            smallest(static_cast<std::size_t>(k));
        std::vector<int> open(static_cast<std::size_t>(n));
        std::vector<std::pair<double, Eigen::Index>> candidates, best(static_cast<std::size_t>(k));
        for (int a = 0; a < rows; ++a) {
          const Eigen::Index i = first + a;
          const float* dx32 = dist + a * n;
          const float* dy32 = dx32 + stride;
          for (Eigen::Index j = 0; j < n; ++j)
            joint[static_cast<std::size_t>(j)] = std::max(dx32[j], dy32[j]);
          const float f = detail::kth_smallest(joint.data(), n, i, k, smallest.data());
          int found = 0;
          detail::count_screened(joint.data(), n, -std::numeric_limits<float>::infinity(),
                                 detail::float_above(f, error), open.data(), &found);
          candidates.clear();
          for (int c = 0; c < found; ++c) {
            const Eigen::Index j = open[static_cast<std::size_t>(c)];
            if (j != i)
              candidates.emplace_back(std::max(exact(x, dx, i, j), exact(y, dy, i, j)), j);
          }
          std::partial_sort(candidates.begin(), candidates.begin() + k, candidates.end());
          std::copy(candidates.begin(), candidates.begin() + k, best.begin());
          double rx = best.back().first, ry = rx;
          bool strict = true;
          if (rule == CountRule::kNeighbourExtent) {
            rx = ry = 0;
            for (const auto& [d, j] : best) {
              rx = std::max(rx, exact(x, dx, i, j));
              ry = std::max(ry, exact(y, dy, i, j));
            }
            strict = false;
          }
          const auto count = [&](const float* d32, MatrixRef p, Eigen::Index d, double r) {
            int undecided = 0;
            int c = detail::count_screened(d32, n, detail::float_below(r, error),
                                           detail::float_above(r, error), open.data(), &undecided);
            for (int u = 0; u < undecided; ++u) {
              c += within(exact(p, d, i, open[static_cast<std::size_t>(u)]), r, strict) ? 1 : 0;
            }
            // Row i itself (distance 0) was counted whenever 0 passes the test.
            return c - (within(0.0, r, strict) ? 1 : 0);
          };
          out.nx(i) = count(dx32, x, dx, rx);
          out.ny(i) = count(dy32, y, dy, ry);
          out.radius(i) = best.back().first;
        }
      });
  return out;
}

}  // namespace

void brute_nearest(MatrixRef points, int k, Metric metric, Neighbors& result, int threads) {
  const Eigen::Index n = points.rows();
  const detail::Panels panels(points);
  QueryBlocks(n).run<double>(
      {&panels}, metric, threads,
      [&](Eigen::Index first, int rows, const double* dist, Eigen::Index) {
        std::vector<std::pair<double, Eigen::Index>> best(static_cast<std::size_t>(k));
        for (int a = 0; a < rows; ++a) {
          k_smallest(dist + a * n, n, first + a, best);
          for (int m = 0; m < k; ++m) {
            result.distance(first + a, m) = best[static_cast<std::size_t>(m)].first;
            result.index(first + a, m) = best[static_cast<std::size_t>(m)].second;
          }
        }
      });
}

Eigen::VectorXi brute_count(MatrixRef points, const Eigen::VectorXd& radius, Metric metric,
                            bool strict, int threads) {
  const Eigen::Index n = points.rows();
  const detail::Panels panels(points);
  Eigen::VectorXi counts(n);
  QueryBlocks(n).run<double>({&panels}, metric, threads,
                             [&](Eigen::Index first, int rows, const double* dist, Eigen::Index) {
                               for (int a = 0; a < rows; ++a) {
                                 const Eigen::Index i = first + a;
                                 // Row i itself (distance 0) was counted whenever 0 passes the
                                 // test.
                                 counts(i) = count_passing(dist + a * n, n, radius(i), strict) -
                                             (within(0.0, radius(i), strict) ? 1 : 0);
                               }
                             });
  return counts;
}

MarginalCounts brute_ksg_counts(MatrixRef x, MatrixRef y, int k, CountRule rule, Metric metric,
                                int threads) {
  const Eigen::Index n = x.rows();
  if (metric == Metric::kMax) {
    const double error =
        detail::screen_error(std::max(x.cwiseAbs().maxCoeff(), y.cwiseAbs().maxCoeff()));
    if (error > 0) return screened_ksg_counts(x, y, k, rule, error, threads);
  }
  const detail::Panels px(x), py(y);
  MarginalCounts out{Eigen::VectorXi(n), Eigen::VectorXi(n), Eigen::VectorXd(n)};
  QueryBlocks(n).run<double>(
      {&px, &py}, metric, threads,
      [&](Eigen::Index first, int rows, const double* dist, Eigen::Index stride) {
        std::vector<double> joint(static_cast<std::size_t>(n));
        std::vector<std::pair<double, Eigen::Index>> best(static_cast<std::size_t>(k));
        for (int a = 0; a < rows; ++a) {
          const Eigen::Index i = first + a;
          const double* dx = dist + a * n;
          const double* dy = dx + stride;
          for (Eigen::Index j = 0; j < n; ++j)
            joint[static_cast<std::size_t>(j)] = std::max(dx[j], dy[j]);
          k_smallest(joint.data(), n, i, best);
          double rx = best.back().first, ry = rx;
          bool strict = true;
          if (rule == CountRule::kNeighbourExtent) {
            rx = ry = 0;
            for (const auto& [d, j] : best) {
              rx = std::max(rx, dx[j]);
              ry = std::max(ry, dy[j]);
            }
            strict = false;
          }
          // Row i itself (distance 0) was counted whenever 0 passes the test.
          out.nx(i) = count_passing(dx, n, rx, strict) - (within(0.0, rx, strict) ? 1 : 0);
          out.ny(i) = count_passing(dy, n, ry, strict) - (within(0.0, ry, strict) ? 1 : 0);
          out.radius(i) = best.back().first;
        }
      });
  return out;
}

}  // namespace mib::knn::detail
