#include "estimators/knn/neighbors.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <numeric>
#include <optional>
#include <type_traits>
#include <vector>

#include "core/deadline.hpp"
#include "core/error.hpp"
#include "core/parallel.hpp"
#include "estimators/knn/exhaustive.hpp"
#include "estimators/knn/kdtree.hpp"
#include "estimators/knn/kernels.hpp"
#include "estimators/knn/metric.hpp"
#include "estimators/knn/sorted.hpp"
#include "estimators/knn/strips.hpp"

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
  require(b != Backend::kSweep, "knn", "the sweep back-end", "used for counts only", "asked for");
  require(b != Backend::kSorted || points.cols() == 1, "knn", "the sorted back-end's dimension",
          "1", points.cols());
  return b;
}

// Each row's sorted positions [first, last] within its radius in one column (Sorted::ranges).
using Ranges = UninitVector<detail::Range>;
Ranges ranges(const Sorted& column, const Eigen::VectorXd& radius, bool strict, int threads) {
  Ranges out(static_cast<std::size_t>(radius.size()));
  parallel_for(radius.size(), threads, [&](std::ptrdiff_t begin, std::ptrdiff_t end) {
    constexpr std::ptrdiff_t kChunk = 4096;  // between deadline checks
    for (std::ptrdiff_t s = begin; s < end; s += kChunk) {
      check_deadline();
      column.ranges(radius, strict, static_cast<std::size_t>(s),
                    static_cast<std::size_t>(std::min(end, s + kChunk)), out.data());
    }
  });
  return out;
}

// Two one-column matrices sorted under the max-norm, side by side.
struct SortedPair {
  std::optional<Sorted> a, b;
};
SortedPair sort_both(MatrixRef a, MatrixRef b, int threads) {
  SortedPair s;
  side_by_side(
      threads, [&](int) { s.a.emplace(a, Metric::kMax); },
      [&](int) { s.b.emplace(b, Metric::kMax); });
  return s;
}

// kth_distance() on one sorted column: the two-sided scan alone, in sorted order.
Eigen::VectorXd sorted_kth(const Sorted& sorted, int k, int threads) {
  Eigen::VectorXd kth(static_cast<Eigen::Index>(sorted.size()));
  parallel_for(kth.size(), threads, [&](std::ptrdiff_t begin, std::ptrdiff_t end) {
    for (std::ptrdiff_t p = begin; p < end; ++p) {
      if ((p & 4095) == 0) check_deadline();
      const auto s = static_cast<std::size_t>(p);
      kth(sorted.order()[s]) = sorted.kth(s, k);
    }
  });
  return kth;
}

// kth_distance(hstack(x, y), k, max-norm) for one column each, from the two sorted (s): the
// strips, or the tree where their probe declines.
Eigen::VectorXd joint_kth(const SortedPair& s, MatrixRef x, MatrixRef y, int k, int threads) {
  if (auto strips = detail::strip_kth_distance(*s.a, *s.b, k, threads)) return *std::move(strips);
  return kth_distance(hstack(x, y), k, Metric::kMax, Backend::kKdTree, threads);
}

// count_within() on one sorted column.
Eigen::VectorXi sorted_counts(const Sorted& column, const Eigen::VectorXd& radius, bool strict,
                              int threads) {
  const Ranges in = ranges(column, radius, strict, threads);
  Eigen::VectorXi counts(radius.size());
  for (Eigen::Index i = 0; i < radius.size(); ++i) {
    const auto [first, last] = in[static_cast<std::size_t>(i)];
    counts(i) = static_cast<int>(last - first);  // the row itself is in its range
  }
  return counts;
}

// Counts in two columns under the max-norm, offline: ‖Δ‖ passes the radius test exactly when
// both |Δ column a| and |Δ column b| pass it, so each row's neighbourhood is the rectangle of
// sorted positions in_a[i] × in_b[i] that the two 1-D orders give (Sorted::ranges, the same
// exact distance tests). The rectangles are counted in one sweep over b's order: the points
// swept so far are bits at their a-positions, and a rectangle's count is the bits set in its
// a-range after its last b-position less those set before its first — O(range / 64) popcounts
// per row (count_bits), which beat a Fenwick tree's O(log n) chain of dependent, mispredicted
// steps. The row itself is in its own rectangle and is not counted.
Eigen::VectorXi sweep_count(const Sorted& a, const Ranges& in_a, const Sorted& b,
                            const Ranges& in_b) {
  const auto n = static_cast<std::ptrdiff_t>(in_a.size());
  struct Query {
    std::uint32_t lo, end;  // a's positions [lo, end)
  };
  // Queries bucketed by the sweep position after which they are answered: count(last) −
  // count(first − 1), count(t) = points at b-positions <= t inside [lo, end). Each row's two
  // slots are kept (the lower one at the end: a count of 0) and the answers written in slot
  // order, so the sweep reads and writes sequentially.
  std::vector<std::uint32_t> starts(static_cast<std::size_t>(n) + 2, 0);
  for (const auto& [first, last] : in_b) {
    ++starts[last + 1];
    if (first > 0) ++starts[first];
  }
  std::partial_sum(starts.begin(), starts.end(), starts.begin());
  const std::uint32_t none = starts[static_cast<std::size_t>(n)];  // an extra slot answered 0
  std::vector<Query> queries(none + std::size_t{1}, Query{0, 0});
  std::vector<std::uint32_t> fill(starts.begin(), starts.end() - 2);
  std::vector<std::array<std::uint32_t, 2>> slot(static_cast<std::size_t>(n));
  for (std::size_t r = 0; r < slot.size(); ++r) {
    const Query q{static_cast<std::uint32_t>(in_a[r].first),
                  static_cast<std::uint32_t>(in_a[r].last + 1)};
    slot[r][0] = fill[in_b[r].last]++;
    queries[slot[r][0]] = q;
    slot[r][1] = none;
    if (in_b[r].first > 0) {
      slot[r][1] = fill[in_b[r].first - 1]++;
      queries[slot[r][1]] = q;
    }
  }
  // The a-position of each point in b's order, gathered up front (a loop of independent loads)
  // rather than inside the sweep, where each would wait on a cache miss.
  std::vector<std::uint32_t> a_of_b(static_cast<std::size_t>(n));
  for (std::size_t t = 0; t < a_of_b.size(); ++t)
    a_of_b[t] = static_cast<std::uint32_t>(a.position(b.order()[t]));
  std::vector<std::uint64_t> bits(static_cast<std::size_t>(n) / 64 + 1, 0);
  std::vector<std::int32_t> answer(queries.size(), 0);
  for (std::size_t t = 0; t < a_of_b.size(); ++t) {
    if ((t & 4095) == 0) check_deadline();
    bits[a_of_b[t] / 64] |= std::uint64_t{1} << (a_of_b[t] % 64);
    for (std::uint32_t q = starts[t]; q < starts[t + 1]; ++q)
      answer[q] = detail::count_bits(bits.data(), queries[q].lo, queries[q].end);
  }
  Eigen::VectorXi counts(n);
  for (std::size_t r = 0; r < slot.size(); ++r)  // −1: the row itself
    counts(static_cast<Eigen::Index>(r)) = answer[slot[r][0]] - answer[slot[r][1]] - 1;
  return counts;
}

// Row ids of the sweep are 32-bit.
bool sweepable(Eigen::Index rows) { return rows < (Eigen::Index{1} << 30); }

}  // namespace

Backend auto_backend(Eigen::Index d) {
  if (d == 1) return Backend::kSorted;
  return d <= kKdTreeMaxDim ? Backend::kKdTree : Backend::kBrute;
}

namespace {
// The preconditions of the searches over x and y together.
void require_same_rows(MatrixRef x, MatrixRef y, const char* where) {
  require(y.rows() == x.rows(), where, "the row counts of x and y", "equal",
          std::to_string(x.rows()) + " and " + std::to_string(y.rows()));
}
void require_k(int k, Eigen::Index n, const char* where) {
  require(k >= 1 && k < n, where, "k", "in [1, n) with n = " + std::to_string(n), k);
}
}  // namespace

MarginalCounts joint_radius_counts(MatrixRef x, MatrixRef y, int k, Metric metric, int threads) {
  require_same_rows(x, y, "knn::joint_radius_counts");
  require_k(k, x.rows(), "knn::joint_radius_counts");
  MarginalCounts out;
  if (auto_backend(x.cols() + y.cols()) == Backend::kBrute &&
      detail::brute_joint_radius_counts(x, y, k, metric, threads, out)) {
    return out;
  }
  out.radius = kth_distance(hstack(x, y), k, metric, Backend::kAuto, threads);
  side_by_side(
      threads,
      [&](int t) { out.nx = count_within(x, out.radius, metric, false, Backend::kAuto, t); },
      [&](int t) { out.ny = count_within(y, out.radius, metric, false, Backend::kAuto, t); });
  return out;
}

KthDistances kth_distances(MatrixRef x, MatrixRef y, int k, int threads) {
  require_same_rows(x, y, "knn::kth_distances");
  require_k(k, x.rows(), "knn::kth_distances");
  KthDistances out;
  if (auto_backend(x.cols() + y.cols()) == Backend::kBrute &&
      detail::brute_kth_distances(x, y, k, threads, out)) {
    return out;
  }
  if (x.cols() == 1 && y.cols() == 1) {
    // One column each: both sorted once, for their own k-th distances and the joint strips.
    const SortedPair s = sort_both(x, y, threads);
    side_by_side(
        threads, [&](int t) { out.x = sorted_kth(*s.a, k, t); },
        [&](int t) { out.y = sorted_kth(*s.b, k, t); });
    out.joint = joint_kth(s, x, y, k, threads);
    return out;
  }
  const auto kth = [&](MatrixRef m, int t) {
    return kth_distance(m, k, Metric::kMax, Backend::kAuto, t);
  };
  // The marginals side by side (their sorts and tree builds are sequential), then the joint.
  side_by_side(
      threads, [&](int t) { out.x = kth(x, t); }, [&](int t) { out.y = kth(y, t); });
  out.joint = kth(hstack(x, y), threads);
  return out;
}

void for_each_row_squared(MatrixRef x, MatrixRef y, int threads, const RowSquared& body) {
  require_same_rows(x, y, "knn::for_each_row_squared");
  detail::brute_squared(x, y, threads, body);
}

Eigen::VectorXi count_duplicates(MatrixRef points) {
  const Eigen::Index n = points.rows(), d = points.cols();
  std::vector<Eigen::Index> order(static_cast<std::size_t>(n));
  std::iota(order.begin(), order.end(), Eigen::Index{0});
  // Lexicographic by value (−0 and +0 are equal, as their difference is 0).
  const auto less = [&](Eigen::Index a, Eigen::Index b) {
    for (Eigen::Index c = 0; c < d; ++c) {
      if (points(a, c) != points(b, c)) return points(a, c) < points(b, c);
    }
    return false;
  };
  std::sort(order.begin(), order.end(), less);
  Eigen::VectorXi counts(n);
  for (std::size_t first = 0; first < order.size();) {
    std::size_t last = first + 1;
    while (last < order.size() && !less(order[first], order[last])) ++last;
    for (std::size_t r = first; r < last; ++r)
      counts(order[r]) = static_cast<int>(last - first - 1);
    first = last;
  }
  return counts;
}

double distance(MatrixRef points, Eigen::Index a, Eigen::Index b, Metric metric) {
  return pair_distance(points.row(a).data(), points.row(b).data(), points.cols(), metric);
}

namespace {

// ksg_counts by a joint tree search (back-end b) and the marginals' own back-ends.
MarginalCounts tree_ksg_counts(MatrixRef x, MatrixRef y, int k, CountRule rule, Backend b,
                               Backend backend, int threads) {
  const Eigen::Index n = x.rows();
  if (rule == CountRule::kJointRadius && backend == Backend::kAuto && x.cols() == 1 &&
      y.cols() == 1) {
    // One column each: both sorted once, for the joint search (strips) and the counts.
    const SortedPair s = sort_both(x, y, threads);
    MarginalCounts out;
    out.radius = joint_kth(s, x, y, k, threads);
    side_by_side(
        threads, [&](int t) { out.nx = sorted_counts(*s.a, out.radius, true, t); },
        [&](int t) { out.ny = sorted_counts(*s.b, out.radius, true, t); });
    return out;
  }
  const Matrix joint = hstack(x, y);  // its max-norm is max(‖Δx‖∞, ‖Δy‖∞)
  // Algorithm 1 needs the k-th distance only; algorithm 2 the neighbours too.
  Neighbors nb;
  MarginalCounts out;
  if (rule == CountRule::kJointRadius) {
    out.radius = kth_distance(joint, k, Metric::kMax, b, threads);
  } else {
    nb = nearest(joint, k, Metric::kMax, b, threads);
    out.radius = nb.distance.col(k - 1);
  }
  // The marginals get their own back-end (a 1-column marginal is sorted, not a tree).
  const auto marginal = [&](Eigen::Index cols) {
    return backend == Backend::kAuto ? auto_backend(cols) : b;
  };
  // The two marginals' counts are independent: side by side (their sorts and tree builds are
  // sequential).
  const auto counts = [&](const Eigen::VectorXd& rx, const Eigen::VectorXd& ry, bool strict) {
    side_by_side(
        threads,
        [&](int t) { out.nx = count_within(x, rx, Metric::kMax, strict, marginal(x.cols()), t); },
        [&](int t) { out.ny = count_within(y, ry, Metric::kMax, strict, marginal(y.cols()), t); });
  };
  if (rule == CountRule::kJointRadius) {
    counts(out.radius, out.radius, true);
    return out;
  }
  Eigen::VectorXd ex = Eigen::VectorXd::Zero(n), ey = Eigen::VectorXd::Zero(n);
  parallel_for(n, threads, [&](std::ptrdiff_t begin, std::ptrdiff_t end) {
    for (Eigen::Index i = begin; i < end; ++i) {
      for (int m = 0; m < k; ++m) {
        ex(i) = std::max(ex(i), distance(x, i, nb.index(i, m), Metric::kMax));
        ey(i) = std::max(ey(i), distance(y, i, nb.index(i, m), Metric::kMax));
      }
    }
  });
  counts(ex, ey, false);
  return out;
}

}  // namespace

std::vector<MarginalCounts> ksg_counts(MatrixRef x, MatrixRef y, const std::vector<int>& ks,
                                       CountRule rule, Metric metric, Backend backend,
                                       int threads) {
  require_same_rows(x, y, "knn::ksg_counts");
  for (int k : ks) require_k(k, x.rows(), "knn::ksg_counts");
  const Backend b = metric == Metric::kEuclidean ? Backend::kBrute
                    : backend == Backend::kAuto  ? auto_backend(x.cols() + y.cols())
                                                 : backend;
  if (b == Backend::kBrute) return brute_ksg_counts(x, y, ks, rule, metric, threads);
  std::vector<MarginalCounts> out;
  for (int k : ks) out.push_back(tree_ksg_counts(x, y, k, rule, b, backend, threads));
  return out;
}

MarginalCounts ksg_counts(MatrixRef x, MatrixRef y, int k, CountRule rule, Metric metric,
                          Backend backend, int threads) {
  return ksg_counts(x, y, std::vector<int>{k}, rule, metric, backend, threads).front();
}

Neighbors nearest(MatrixRef points, int k, Metric metric, Backend backend, int threads) {
  const Eigen::Index n = points.rows();
  require_k(k, n, "knn::nearest");
  Neighbors result{Eigen::MatrixXd(n, k), IndexMatrix(n, k)};
  const Backend b = resolve(backend, points);
  if (b == Backend::kBrute) {
    brute_nearest(points, k, metric, result, threads);
    return result;
  }
  if (b == Backend::kKdTree) {
    const KdTree tree(points, metric, KdTree::nearest_leaf_size(points.cols(), k), threads);
    tree.nearest_all(k, result, threads);
    return result;
  }
  // The sorted back-end: queries in sorted order (neighbouring queries share memory), split into
  // contiguous chunks across threads; each query writes only its own row.
  const Sorted sorted(points, metric);
  parallel_for(n, threads, [&](std::ptrdiff_t begin, std::ptrdiff_t end) {
    std::vector<double> dist(static_cast<std::size_t>(k));
    std::vector<Eigen::Index> index(static_cast<std::size_t>(k));
    std::vector<std::pair<double, Eigen::Index>> candidates;
    for (std::ptrdiff_t p = begin; p < end; ++p) {
      check_deadline();
      const Eigen::Index i = sorted.order()[static_cast<std::size_t>(p)];
      sorted.nearest(i, k, dist.data(), index.data(), candidates);
      for (int m = 0; m < k; ++m) {
        result.distance(i, m) = dist[static_cast<std::size_t>(m)];
        result.index(i, m) = index[static_cast<std::size_t>(m)];
      }
    }
  });
  return result;
}

Eigen::VectorXd kth_distance(MatrixRef points, int k, Metric metric, Backend backend, int threads) {
  require_k(k, points.rows(), "knn::kth_distance");
  const Backend b = resolve(backend, points);
  if (b == Backend::kSorted) return sorted_kth(Sorted(points, metric), k, threads);
  if (b != Backend::kKdTree)
    return nearest(points, k, metric, backend, threads).distance.col(k - 1);
  if (backend == Backend::kAuto && points.cols() == 2 && metric == Metric::kMax) {
    const SortedPair s = sort_both(points.col(0), points.col(1), threads);
    if (auto strips = detail::strip_kth_distance(*s.a, *s.b, k, threads)) return *std::move(strips);
  }
  const KdTree tree(points, metric, KdTree::nearest_leaf_size(points.cols(), k), threads);
  Eigen::VectorXd kth(points.rows());
  tree.nearest_all(k, threads, [&](Eigen::Index row, const KdTree::Entry* best) {
    kth(row) = best[k - 1].first;
  });
  return kth;
}

KthWithin kth_distance_within(MatrixRef points, int k, Metric metric, int threads) {
  require_k(k, points.rows(), "knn::kth_distance_within");
  KthWithin out;
  if (resolve(Backend::kAuto, points) != Backend::kKdTree || k + 1 >= points.rows()) {
    out.radius = kth_distance(points, k, metric, Backend::kAuto, threads);
    out.within = count_within(points, out.radius, metric, false, Backend::kAuto, threads);
    return out;
  }
  const Eigen::Index n = points.rows();
  out.radius.resize(n);
  out.within.resize(n);
  const KdTree tree(points, metric, KdTree::nearest_leaf_size(points.cols(), k + 1), threads);
  tree.nearest_all(k + 1, threads, [&](Eigen::Index row, const KdTree::Entry* best) {
    out.radius(row) = best[k - 1].first;
    out.within(row) = best[k].first > best[k - 1].first ? k : -1;  // −1: a tie, counted below
  });
  std::vector<Eigen::Index> tied;
  for (Eigen::Index i = 0; i < n; ++i) {
    if (out.within(i) < 0) tied.push_back(i);
  }
  parallel_for(static_cast<std::ptrdiff_t>(tied.size()), threads,
               [&](std::ptrdiff_t begin, std::ptrdiff_t end) {
                 KdTree::Scratch scratch;
                 for (std::ptrdiff_t t = begin; t < end; ++t) {
                   check_deadline();
                   const Eigen::Index i = tied[static_cast<std::size_t>(t)];
                   out.within(i) = tree.count(i, out.radius(i), false, scratch);
                 }
               });
  return out;
}

Eigen::VectorXi count_within(MatrixRef points, const Eigen::VectorXd& radius, Metric metric,
                             bool strict, Backend backend, int threads) {
  const Eigen::Index n = points.rows();
  require(radius.size() == n, "knn::count_within", "radius size", "n = " + std::to_string(n),
          radius.size());
  if (points.cols() == 2 && sweepable(n) && metric == Metric::kMax &&
      (backend == Backend::kAuto || backend == Backend::kSweep)) {
    const Sorted a(points.col(0), metric), b(points.col(1), metric);
    return sweep_count(a, ranges(a, radius, strict, threads), b,
                       ranges(b, radius, strict, threads));
  }
  require(backend != Backend::kSweep, "knn::count_within", "the sweep back-end's input",
          "two columns under the max-norm", std::to_string(points.cols()) + " columns");
  const Backend b = resolve(backend, points);
  if (b == Backend::kBrute) return brute_count(points, radius, metric, strict, threads);
  if (b == Backend::kSorted) return sorted_counts(Sorted(points, metric), radius, strict, threads);
  Eigen::VectorXi counts(n);
  // Queries in tree order (neighbouring queries share memory), kQueryGroup at a time, split into
  // contiguous chunks across threads; each query writes only its own count.
  const KdTree tree(points, metric, 0, threads);
  parallel_for(n, threads, [&](std::ptrdiff_t begin, std::ptrdiff_t end) {
    KdTree::Scratch scratch;
    Eigen::Index rows[detail::kQueryGroup];
    double r[detail::kQueryGroup];
    int c[detail::kQueryGroup];
    for (std::ptrdiff_t p = begin; p < end; p += detail::kQueryGroup) {
      check_deadline();
      const int g = static_cast<int>(std::min<std::ptrdiff_t>(detail::kQueryGroup, end - p));
      for (int i = 0; i < g; ++i) {
        rows[i] = tree.order()[static_cast<std::size_t>(p + i)];
        r[i] = radius(rows[i]);
      }
      tree.count_group(rows, g, r, strict, c, scratch);
      for (int i = 0; i < g; ++i) counts(rows[i]) = c[i];
    }
  });
  return counts;
}

ConditionalCounts conditional_counts(MatrixRef x, MatrixRef y, MatrixRef z,
                                     const Eigen::VectorXd& radius, bool strict, int threads) {
  if (x.cols() == 1 && y.cols() == 1 && z.cols() == 1 && sweepable(x.rows())) {
    // One column each: each column sorted once and each row's z-range found once, shared by
    // the three counts (n_z is the z-range's size).
    const Sorted sz(z, Metric::kMax);
    const Ranges in_z = ranges(sz, radius, strict, threads);
    // The (X, Z) and (Y, Z) sorts and sweeps are sequential each, but independent: side by side.
    ConditionalCounts out;
    const auto sweep = [&](MatrixRef column, int t) {
      const Sorted sorted(column, Metric::kMax);
      return sweep_count(sorted, ranges(sorted, radius, strict, t), sz, in_z);
    };
    side_by_side(
        threads, [&](int t) { out.nxz = sweep(x, t); }, [&](int t) { out.nyz = sweep(y, t); });
    out.nz.resize(radius.size());
    for (std::size_t i = 0; i < in_z.size(); ++i)
      out.nz(static_cast<Eigen::Index>(i)) = static_cast<int>(in_z[i].last - in_z[i].first);
    return out;
  }
  const auto count = [&](MatrixRef m, int t) {
    return count_within(m, radius, Metric::kMax, strict, Backend::kAuto, t);
  };
  ConditionalCounts out;
  side_by_side(
      threads, [&](int t) { out.nxz = count(hstack(x, z), t); },
      [&](int t) { out.nyz = count(hstack(y, z), t); });
  out.nz = count(z, threads);
  return out;
}

}  // namespace mib::knn
