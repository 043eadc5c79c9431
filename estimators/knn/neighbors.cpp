#include "estimators/knn/neighbors.hpp"

#include <algorithm>
#include <limits>
#include <numeric>
#include <type_traits>
#include <vector>

#include "core/deadline.hpp"
#include "core/error.hpp"
#include "core/parallel.hpp"
#include "estimators/knn/kdtree.hpp"
#include "estimators/knn/kernels.hpp"
#include "estimators/knn/metric.hpp"

namespace mib::knn {

using detail::pair_distance;
using detail::within;

namespace {

constexpr Eigen::Index kKdTreeMaxDim = 12;

// ---- exhaustive -----------------------------------------------------------------------------

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

// ---- one dimension: a sorted array ----------------------------------------------------------

class Sorted {
 public:
  Sorted(MatrixRef points, Metric metric) : metric_(metric) {
    std::vector<std::pair<double, Eigen::Index>> pairs(static_cast<std::size_t>(points.rows()));
    for (Eigen::Index i = 0; i < points.rows(); ++i)
      pairs[static_cast<std::size_t>(i)] = {points(i, 0), i};
    std::sort(pairs.begin(), pairs.end());  // by (value, index)
    order_.resize(pairs.size());
    values_.resize(pairs.size());
    position_.resize(pairs.size());
    for (std::size_t s = 0; s < pairs.size(); ++s) {
      values_[s] = pairs[s].first;
      order_[s] = pairs[s].second;
      position_[static_cast<std::size_t>(order_[s])] = s;
    }
  }

  /// Original rows in sorted order: querying in this order keeps memory access local.
  const std::vector<Eigen::Index>& order() const { return order_; }

  double dist(std::size_t a, std::size_t b) const {
    return pair_distance(&values_[a], &values_[b], 1, metric_);
  }

  // Distances grow monotonically away from p on either side (IEEE subtraction is monotone),
  // so the k-th distance comes from a two-sided scan, and the k nearest by (distance, index)
  // from the candidates within it.
  void nearest(Eigen::Index query, int k, double* distance, Eigen::Index* index,
               std::vector<std::pair<double, Eigen::Index>>& candidates) const {
    const std::size_t p = position_[static_cast<std::size_t>(query)], n = values_.size();
    std::size_t left = p, right = p + 1;  // next candidates: left - 1, right
    double kth = 0;
    for (int taken = 0; taken < k; ++taken) {
      const bool has_left = left > 0, has_right = right < n;
      if (has_left && (!has_right || dist(p, left - 1) <= dist(p, right))) {
        kth = dist(p, --left);
      } else {
        kth = dist(p, right++);
      }
    }
    while (left > 0 && dist(p, left - 1) <= kth) --left;
    while (right < n && dist(p, right) <= kth) ++right;
    candidates.clear();
    for (std::size_t s = left; s < right; ++s) {
      if (s != p) candidates.emplace_back(dist(p, s), order_[s]);
    }
    std::partial_sort(candidates.begin(), candidates.begin() + k, candidates.end());
    for (int m = 0; m < k; ++m) {
      distance[m] = candidates[static_cast<std::size_t>(m)].first;
      index[m] = candidates[static_cast<std::size_t>(m)].second;
    }
  }

  int count(Eigen::Index query, double radius, bool strict) const {
    const std::size_t p = position_[static_cast<std::size_t>(query)];
    return static_cast<int>(run(p, +1, radius, strict) + run(p, -1, radius, strict));
  }

 private:
  // How many of the positions p + dir, p + 2 dir, ... pass the radius test. They pass up to
  // some offset and fail after it (distance grows away from p), so gallop outwards (1, 2, 4,
  // ...) and then bisect: the points counted are near p, so the search stays in cache.
  std::size_t run(std::size_t p, int dir, double radius, bool strict) const {
    const std::size_t limit = dir > 0 ? values_.size() - 1 - p : p;  // offsets 1..limit exist
    auto passes = [&](std::size_t t) {
      return within(dist(p, dir > 0 ? p + t : p - t), radius, strict);
    };
    std::size_t last_pass = 0, first_fail = 1;
    while (first_fail <= limit && passes(first_fail)) {
      last_pass = first_fail;
      first_fail *= 2;
    }
    first_fail = std::min(first_fail, limit + 1);
    while (first_fail - last_pass > 1) {
      const std::size_t mid = last_pass + (first_fail - last_pass) / 2;
      (passes(mid) ? last_pass : first_fail) = mid;
    }
    return last_pass;
  }

  Metric metric_;
  std::vector<Eigen::Index> order_;
  std::vector<double> values_;
  std::vector<std::size_t> position_;
};

// ---- KSG's statistics in one exhaustive pass -------------------------------------------------

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
