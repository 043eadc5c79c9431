// The exhaustive back-end of knn/neighbors.hpp: O(n² d) passes over panels of the points
// (knn/kernels.hpp), for d > 12 where trees stop pruning, and for every Euclidean KSG count.
#include "estimators/knn/exhaustive.hpp"

#include <algorithm>
#include <limits>
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
  /// stride). Panels of doubles, or of floats for the float32 screen; `squared`: Euclidean
  /// sums before their sqrt.
  template <class T, class Body>
  void run(const std::vector<const detail::PanelsOf<T>*>& sets, Metric metric, int threads,
           const Body& body, bool squared = false) const {
    const Eigen::Index blocks = (n_ + size_ - 1) / size_;
    parallel_for(blocks, threads, [&](std::ptrdiff_t begin, std::ptrdiff_t end) {
      std::vector<T> dist(sets.size() * static_cast<std::size_t>(size_ * n_));
      for (std::ptrdiff_t b = begin; b < end; ++b) {
        check_deadline();
        const Eigen::Index first = b * size_;
        const int rows = static_cast<int>(std::min<Eigen::Index>(size_, n_ - first));
        for (std::size_t s = 0; s < sets.size(); ++s) {
          T* out = dist.data() + s * size_ * n_;
          if (squared) {
            detail::block_squared(*sets[s], first, rows, out, n_);
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

// The float32 screen of the exhaustive searches (kernels.hpp: ScreenError): float distances pick
// the rows that can matter, exact double distances (exact(j) = pair_distance's) settle them, so
// every answer is the double pass's. Scratch for one thread.
class Screen {
 public:
  Screen(Eigen::Index n, int k)
      : open_(static_cast<std::size_t>(n)), smallest_(static_cast<std::size_t>(k)) {}

  /// The k nearest rows j != i by exact distance into best (size k), ascending by (distance,
  /// row) — k_smallest's order: f, the k-th smallest float32 distance, bounds the exact k-th,
  /// so only rows with float32 distance <= float_above(f) can be among them.
  template <class Exact>
  void nearest(const float* d32, Eigen::Index n, Eigen::Index i, const ScreenError& error,
               const Exact& exact, std::vector<std::pair<double, Eigen::Index>>& best) {
    const int k = static_cast<int>(best.size());
    const float f = detail::kth_smallest(d32, n, i, k, smallest_.data());
    int found = 0;
    detail::count_screened(d32, n, -std::numeric_limits<float>::infinity(),
                           detail::float_above(f, error), open_.data(), &found);
    candidates_.clear();
    for (int c = 0; c < found; ++c) {
      const Eigen::Index j = open_[static_cast<std::size_t>(c)];
      if (j != i) candidates_.emplace_back(exact(j), j);
    }
    std::partial_sort(candidates_.begin(), candidates_.begin() + k, candidates_.end());
    std::copy(candidates_.begin(), candidates_.begin() + k, best.begin());
  }

  /// #{j != i : exact(j) passes the radius test}: the rows surely inside by their float32
  /// distance, and the band around the radius settled exactly.
  template <class Exact>
  int count(const float* d32, Eigen::Index n, double radius, bool strict, const ScreenError& error,
            const Exact& exact) {
    int undecided = 0;
    int c = detail::count_screened(d32, n, detail::float_below(radius, error),
                                   detail::float_above(radius, error), open_.data(), &undecided);
    for (int u = 0; u < undecided; ++u) {
      c += within(exact(open_[static_cast<std::size_t>(u)]), radius, strict) ? 1 : 0;
    }
    // Row i itself (distance 0) was counted whenever 0 passes the test.
    return c - (within(0.0, radius, strict) ? 1 : 0);
  }

 private:
  std::vector<int> open_;
  std::vector<float> smallest_;
  std::vector<std::pair<double, Eigen::Index>> candidates_;
};

// The float32 bound for a search over the rows of `points` (absolute 0: no screen).
ScreenError screen_for(MatrixRef points, Metric metric) {
  return detail::screen_error(points.cwiseAbs().maxCoeff(), points.cols(), metric);
}
// The same for a pass over x and y together, distances in up to `dims` columns.
ScreenError screen_for(MatrixRef x, MatrixRef y, Eigen::Index dims, Metric metric) {
  return detail::screen_error(std::max(x.cwiseAbs().maxCoeff(), y.cwiseAbs().maxCoeff()), dims,
                              metric);
}

// Row i's exact distances (pair_distance's) to row j in X, in Y and, under the max-norm, in the
// joint (X, Y).
struct ExactFrom {
  MatrixRef x, y;
  Metric metric;
  Eigen::Index i;
  double in_x(Eigen::Index j) const {
    return pair_distance(x.row(i).data(), x.row(j).data(), x.cols(), metric);
  }
  double in_y(Eigen::Index j) const {
    return pair_distance(y.row(i).data(), y.row(j).data(), y.cols(), metric);
  }
  double joint_max(Eigen::Index j) const { return std::max(in_x(j), in_y(j)); }
};

// One thread's scratch in a paired pass: the screen, float32 rows of n and k neighbours.
struct PairScratch {
  PairScratch(Eigen::Index n, int k) : screen(n, k), joint(static_cast<std::size_t>(n)) {}
  Screen screen;
  std::vector<float> joint, mx, my;
  std::vector<std::pair<double, Eigen::Index>> best;
};

// The screened pass over X and Y together: body(exact, dx32, dy32, scratch) for every row, with
// the row's float32 distances to every row in X and in Y (their float sums of squares when
// `squared`) and scratch for up to k neighbours; rows on `threads` threads.
template <class Body>
void paired_pass(MatrixRef x, MatrixRef y, Metric metric, int k, int threads, bool squared,
                 const Body& body) {
  const Eigen::Index n = x.rows();
  const detail::Panels32 px(x), py(y);
  QueryBlocks(n).run<float>(
      {&px, &py}, metric, threads,
      [&](Eigen::Index first, int rows, const float* dist, Eigen::Index stride) {
        PairScratch scratch(n, k);
        for (int a = 0; a < rows; ++a) {
          const float* dx32 = dist + a * n;
          body(ExactFrom{x, y, metric, first + a}, dx32, dx32 + stride, scratch);
        }
      },
      squared);
}

// KSG's statistics of row i (neighbors.hpp: CountRule) from its k nearest joint neighbours
// `best` (ascending), the exact marginal distances ex(j), ey(j) and the marginal counts
// cx(radius, strict), cy(radius, strict).
template <class Ex, class Ey, class Cx, class Cy>
void ksg_row(Eigen::Index i, const std::vector<std::pair<double, Eigen::Index>>& best,
             CountRule rule, const Ex& ex, const Ey& ey, const Cx& cx, const Cy& cy,
             MarginalCounts& out) {
  double rx = best.back().first, ry = rx;
  bool strict = true;
  if (rule == CountRule::kNeighbourExtent) {
    rx = ry = 0;
    for (const auto& [d, j] : best) {
      rx = std::max(rx, ex(j));
      ry = std::max(ry, ey(j));
    }
    strict = false;
  }
  out.nx(i) = cx(rx, strict);
  out.ny(i) = cy(ry, strict);
  out.radius(i) = best.back().first;
}

// One MarginalCounts of n rows per k.
std::vector<MarginalCounts> counts_for(const std::vector<int>& ks, Eigen::Index n) {
  return std::vector<MarginalCounts>(
      ks.size(), MarginalCounts{Eigen::VectorXi(n), Eigen::VectorXi(n), Eigen::VectorXd(n)});
}

// ksg_counts' pass with the float32 screen: the joint distance max(d_x, d_y) of float32
// marginal distances lies within the larger of the two bounds (max is 1-Lipschitz and the
// bounds grow with the distance), so `error`, taken over both, screens the joint search and
// both counts.
std::vector<MarginalCounts> screened_ksg_counts(MatrixRef x, MatrixRef y,
                                                const std::vector<int>& ks, CountRule rule,
                                                Metric metric, const ScreenError& error,
                                                int threads) {
  const Eigen::Index n = x.rows();
  std::vector<MarginalCounts> out = counts_for(ks, n);
  paired_pass(
      x, y, metric, *std::max_element(ks.begin(), ks.end()), threads, false,
      [&](const ExactFrom& e, const float* dx32, const float* dy32, PairScratch& p) {
        detail::elementwise_max(dx32, dy32, n, p.joint.data());
        const auto ex = [&](Eigen::Index j) { return e.in_x(j); };
        const auto ey = [&](Eigen::Index j) { return e.in_y(j); };
        Screen& screen = p.screen;
        for (std::size_t m = 0; m < ks.size(); ++m) {
          p.best.resize(static_cast<std::size_t>(ks[m]));
          screen.nearest(
              p.joint.data(), n, e.i, error, [&](Eigen::Index j) { return e.joint_max(j); },
              p.best);
          ksg_row(
              e.i, p.best, rule, ex, ey,
              [&](double r, bool strict) { return screen.count(dx32, n, r, strict, error, ex); },
              [&](double r, bool strict) { return screen.count(dy32, n, r, strict, error, ey); },
              out[m]);
        }
      });
  return out;
}

}  // namespace

void brute_nearest(MatrixRef points, int k, Metric metric, Neighbors& result, int threads) {
  const Eigen::Index n = points.rows(), dims = points.cols();
  const auto store = [&](Eigen::Index i, const std::vector<std::pair<double, Eigen::Index>>& best) {
    for (int m = 0; m < k; ++m) {
      result.distance(i, m) = best[static_cast<std::size_t>(m)].first;
      result.index(i, m) = best[static_cast<std::size_t>(m)].second;
    }
  };
  if (const ScreenError error = screen_for(points, metric); error.usable()) {
    const detail::Panels32 panels(points);
    QueryBlocks(n).run<float>(
        {&panels}, metric, threads,
        [&](Eigen::Index first, int rows, const float* dist, Eigen::Index) {
          std::vector<std::pair<double, Eigen::Index>> best(static_cast<std::size_t>(k));
          Screen screen(n, k);
          for (int a = 0; a < rows; ++a) {
            const Eigen::Index i = first + a;
            screen.nearest(
                dist + a * n, n, i, error,
                [&](Eigen::Index j) {
                  return pair_distance(points.row(i).data(), points.row(j).data(), dims, metric);
                },
                best);
            store(i, best);
          }
        });
    return;
  }
  const detail::Panels panels(points);
  QueryBlocks(n).run<double>(
      {&panels}, metric, threads,
      [&](Eigen::Index first, int rows, const double* dist, Eigen::Index) {
        std::vector<std::pair<double, Eigen::Index>> best(static_cast<std::size_t>(k));
        for (int a = 0; a < rows; ++a) {
          k_smallest(dist + a * n, n, first + a, best);
          store(first + a, best);
        }
      });
}

Eigen::VectorXi brute_count(MatrixRef points, const Eigen::VectorXd& radius, Metric metric,
                            bool strict, int threads) {
  const Eigen::Index n = points.rows(), dims = points.cols();
  Eigen::VectorXi counts(n);
  if (const ScreenError error = screen_for(points, metric); error.usable()) {
    const detail::Panels32 panels(points);
    QueryBlocks(n).run<float>(
        {&panels}, metric, threads,
        [&](Eigen::Index first, int rows, const float* dist, Eigen::Index) {
          Screen screen(n, 1);
          for (int a = 0; a < rows; ++a) {
            const Eigen::Index i = first + a;
            counts(i) =
                screen.count(dist + a * n, n, radius(i), strict, error, [&](Eigen::Index j) {
                  return pair_distance(points.row(i).data(), points.row(j).data(), dims, metric);
                });
          }
        });
    return counts;
  }
  const detail::Panels panels(points);
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

bool brute_joint_radius_counts(MatrixRef x, MatrixRef y, int k, Metric metric, int threads,
                               MarginalCounts& out) {
  const Eigen::Index n = x.rows(), dx = x.cols(), dy = y.cols();
  // The joint distance in float: max(d_x, d_y), or the sqrt of the two float sums of squares —
  // one float sum of dx + dy squares, so the bound for dx + dy columns holds for it, and, being
  // the larger, for the marginal distances too.
  const ScreenError error = screen_for(x, y, dx + dy, metric);
  if (!error.usable()) return false;
  const bool euclidean = metric == Metric::kEuclidean;
  out = {Eigen::VectorXi(n), Eigen::VectorXi(n), Eigen::VectorXd(n)};
  paired_pass(x, y, metric, k, threads, euclidean,
              [&](const ExactFrom& e, const float* sx, const float* sy, PairScratch& p) {
                const Eigen::Index i = e.i;
                // pair_distance over the joint row (x's columns, then y's): the sum continues.
                const auto exact_joint = [&](Eigen::Index j) {
                  if (!euclidean) return e.joint_max(j);
                  double acc = 0;
                  for (Eigen::Index c = 0; c < dx; ++c)
                    acc += (x(i, c) - x(j, c)) * (x(i, c) - x(j, c));
                  for (Eigen::Index c = 0; c < dy; ++c)
                    acc += (y(i, c) - y(j, c)) * (y(i, c) - y(j, c));
                  return std::sqrt(acc);
                };
                const float *mx = sx, *my = sy;
                if (euclidean) {
                  p.mx.resize(static_cast<std::size_t>(n));
                  p.my.resize(static_cast<std::size_t>(n));
                  for (Eigen::Index j = 0; j < n; ++j) {
                    const auto u = static_cast<std::size_t>(j);
                    p.joint[u] = std::sqrt(sx[j] + sy[j]);
                    p.mx[u] = std::sqrt(sx[j]);
                    p.my[u] = std::sqrt(sy[j]);
                  }
                  mx = p.mx.data();
                  my = p.my.data();
                } else {
                  detail::elementwise_max(sx, sy, n, p.joint.data());
                }
                p.best.resize(static_cast<std::size_t>(k));
                p.screen.nearest(p.joint.data(), n, i, error, exact_joint, p.best);
                const double radius = p.best.back().first;
                out.radius(i) = radius;
                out.nx(i) = p.screen.count(mx, n, radius, false, error,
                                           [&](Eigen::Index j) { return e.in_x(j); });
                out.ny(i) = p.screen.count(my, n, radius, false, error,
                                           [&](Eigen::Index j) { return e.in_y(j); });
              });
  return true;
}

bool brute_kth_distances(MatrixRef x, MatrixRef y, int k, int threads, KthDistances& out) {
  const Eigen::Index n = x.rows();
  const ScreenError error = screen_for(x, y, 1, Metric::kMax);
  if (!error.usable()) return false;
  out = {Eigen::VectorXd(n), Eigen::VectorXd(n), Eigen::VectorXd(n)};
  paired_pass(x, y, Metric::kMax, k, threads, false,
              [&](const ExactFrom& e, const float* dx32, const float* dy32, PairScratch& p) {
                detail::elementwise_max(dx32, dy32, n, p.joint.data());
                p.best.resize(static_cast<std::size_t>(k));
                const auto kth = [&](const float* d32, const auto& exact) {
                  p.screen.nearest(d32, n, e.i, error, exact, p.best);
                  return p.best.back().first;
                };
                out.joint(e.i) =
                    kth(p.joint.data(), [&](Eigen::Index j) { return e.joint_max(j); });
                out.x(e.i) = kth(dx32, [&](Eigen::Index j) { return e.in_x(j); });
                out.y(e.i) = kth(dy32, [&](Eigen::Index j) { return e.in_y(j); });
              });
  return true;
}

void brute_squared(MatrixRef x, MatrixRef y, int threads, const RowSquared& body) {
  const detail::Panels px(x), py(y);
  QueryBlocks(x.rows()).run<double>(
      {&px, &py}, Metric::kEuclidean, threads,
      [&](Eigen::Index first, int rows, const double* dist, Eigen::Index stride) {
        for (int a = 0; a < rows; ++a) {
          const double* sx = dist + a * x.rows();
          body(first + a, sx, sx + stride);
        }
      },
      true);
}

std::vector<MarginalCounts> brute_ksg_counts(MatrixRef x, MatrixRef y, const std::vector<int>& ks,
                                             CountRule rule, Metric metric, int threads) {
  const Eigen::Index n = x.rows();
  const ScreenError error = screen_for(x, y, std::max(x.cols(), y.cols()), metric);
  if (error.usable()) return screened_ksg_counts(x, y, ks, rule, metric, error, threads);
  const detail::Panels px(x), py(y);
  std::vector<MarginalCounts> out = counts_for(ks, n);
  QueryBlocks(n).run<double>(
      {&px, &py}, metric, threads,
      [&](Eigen::Index first, int rows, const double* dist, Eigen::Index stride) {
        std::vector<double> joint(static_cast<std::size_t>(n));
        std::vector<std::pair<double, Eigen::Index>> best;
        for (int a = 0; a < rows; ++a) {
          const Eigen::Index i = first + a;
          const double* dx = dist + a * n;
          const double* dy = dx + stride;
          for (Eigen::Index j = 0; j < n; ++j)
            joint[static_cast<std::size_t>(j)] = std::max(dx[j], dy[j]);
          // Row i itself (distance 0) is counted whenever 0 passes the test.
          const auto count = [&](const double* d, double r, bool strict) {
            return count_passing(d, n, r, strict) - (within(0.0, r, strict) ? 1 : 0);
          };
          for (std::size_t m = 0; m < ks.size(); ++m) {
            best.resize(static_cast<std::size_t>(ks[m]));
            k_smallest(joint.data(), n, i, best);
            ksg_row(
                i, best, rule, [&](Eigen::Index j) { return dx[j]; },
                [&](Eigen::Index j) { return dy[j]; },
                [&](double r, bool strict) { return count(dx, r, strict); },
                [&](double r, bool strict) { return count(dy, r, strict); }, out[m]);
          }
        }
      });
  return out;
}

}  // namespace mib::knn::detail
