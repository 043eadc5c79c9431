#include <algorithm>
#include <boost/math/special_functions/digamma.hpp>
#include <catch2/catch.hpp>
#include <cstdint>
#include <limits>

#include "core/rng.hpp"
#include "estimators/knn/digamma.hpp"
#include "estimators/knn/kdtree.hpp"
#include "estimators/knn/neighbors.hpp"
#include "estimators/knn/sorted.hpp"
#include "test_data.hpp"

namespace {

// Brute-force oracle: all distances to other rows, sorted. It uses the library's distance
// kernel, so that counts at a radius equal to a computed distance compare exactly (Eigen's
// norm() sums in another order and can differ in the last bit); the kernel itself is checked
// against Eigen's norms to 1e-15 below.
std::vector<std::vector<double>> sorted_distances(const mib::Matrix& p, mib::knn::Metric m) {
  std::vector<std::vector<double>> all;
  double worst = 0;
  for (Eigen::Index i = 0; i < p.rows(); ++i) {
    std::vector<double> d;
    for (Eigen::Index j = 0; j < p.rows(); ++j) {
      if (j == i) continue;
      const Eigen::RowVectorXd diff = p.row(i) - p.row(j);
      const double reference =
          m == mib::knn::Metric::kMax ? diff.cwiseAbs().maxCoeff() : diff.norm();
      d.push_back(mib::knn::distance(p, i, j, m));
      worst = std::max(worst, std::abs(d.back() - reference) / std::max(reference, 1e-300));
    }
    std::sort(d.begin(), d.end());
    all.push_back(std::move(d));
  }
  CHECK(worst < 1e-15);
  return all;
}

// KSG's marginal counts by brute force from the library's distance kernel (neighbors.hpp:
// CountRule): the k-th joint distance max(d_x, d_y) over j != i (ties by row index), then the
// marginal counts.
mib::knn::MarginalCounts ksg_oracle(const mib::Matrix& x, const mib::Matrix& y, int k,
                                    mib::knn::CountRule rule, mib::knn::Metric m) {
  const Eigen::Index n = x.rows();
  mib::knn::MarginalCounts out{Eigen::VectorXi(n), Eigen::VectorXi(n), Eigen::VectorXd(n)};
  for (Eigen::Index i = 0; i < n; ++i) {
    std::vector<std::pair<double, Eigen::Index>> joint;
    for (Eigen::Index j = 0; j < n; ++j) {
      if (j != i)
        joint.emplace_back(std::max(mib::knn::distance(x, i, j, m), mib::knn::distance(y, i, j, m)),
                           j);
    }
    std::sort(joint.begin(), joint.end());
    const double r = joint[static_cast<std::size_t>(k - 1)].first;
    double rx = r, ry = r;
    const bool extent = rule == mib::knn::CountRule::kNeighbourExtent;
    if (extent) {
      rx = ry = 0;
      for (int a = 0; a < k; ++a) {
        const Eigen::Index j = joint[static_cast<std::size_t>(a)].second;
        rx = std::max(rx, mib::knn::distance(x, i, j, m));
        ry = std::max(ry, mib::knn::distance(y, i, j, m));
      }
    }
    out.nx(i) = out.ny(i) = 0;
    for (Eigen::Index j = 0; j < n; ++j) {
      if (j == i) continue;
      const double ex = mib::knn::distance(x, i, j, m), ey = mib::knn::distance(y, i, j, m);
      out.nx(i) += extent ? ex <= rx : ex < rx;
      out.ny(i) += extent ? ey <= ry : ey < ry;
    }
    out.radius(i) = r;
  }
  return out;
}

}  // namespace

TEST_CASE("knn: every back-end equals brute force on distances, indices and counts, ties included",
          "[estimators][knn]") {
  const int levels = GENERATE(0, 2);  // 2: values on a half-unit grid, many exact ties
  const auto metric = GENERATE(mib::knn::Metric::kMax, mib::knn::Metric::kEuclidean);
  const int dim = GENERATE(1, 2, 3, 6, 40);  // 40: past the vector kernels' 16-row groups
  const auto backend =
      GENERATE(mib::knn::Backend::kBrute, mib::knn::Backend::kKdTree, mib::knn::Backend::kSorted,
               mib::knn::Backend::kSweep, mib::knn::Backend::kAuto);
  if (backend == mib::knn::Backend::kSorted && dim != 1) return;
  // The sweep counts (only) in two columns under the max-norm; its neighbours come from kAuto.
  const bool sweep = backend == mib::knn::Backend::kSweep;
  if (sweep && (dim != 2 || metric != mib::knn::Metric::kMax)) return;
  // 501 rows: a partial last panel (32 rows), query block (64) and micro-block (4 queries).
  mib::Matrix p = mib::test::correlated(501, dim, 1, 0.6, 99 + dim, levels).x;
  if (levels) {  // exact duplicates, whatever the dimension
    for (Eigen::Index i = 7; i < p.rows(); i += 37) p.row(i) = p.row(i - 7);
  }
  // The trees (max-norm) and the exhaustive pass (both metrics) screen in float32 within an
  // error bound proportional to the largest coordinate (kernels.hpp: ScreenError): an offset of
  // 1e6 makes that band as wide as the distances, so many rows go to the exact path; 1e35 turns
  // the screen off; 1e17 is near the top of the Euclidean screen's range (float sums of squares
  // near 1e37); at 1e-30 float squares underflow to 0, which only the bound's absolute term
  // keeps exact.
  const int transform = GENERATE(0, 1, 2, 3, 4);
  if (transform != 0 && ((dim != 3 && dim != 40) || levels == 0)) return;  // a few cases suffice
  if (transform == 1) p.array() += 1e6;
  if (transform == 2) p *= 1e35;
  if (transform == 3) p *= 1e17;
  if (transform == 4) p *= 1e-30;
  CAPTURE(levels, dim, static_cast<int>(metric), static_cast<int>(backend), transform);
  const int k = 5;
  const auto nb = mib::knn::nearest(p, k, metric, sweep ? mib::knn::Backend::kAuto : backend);
  const auto all = sorted_distances(p, metric);
  Eigen::VectorXd radius(p.rows());
  int wrong = 0;
  for (Eigen::Index i = 0; i < p.rows(); ++i) {
    const auto& d = all[static_cast<std::size_t>(i)];
    for (int m = 0; m < k; ++m) {
      wrong += nb.distance(i, m) != d[static_cast<std::size_t>(m)];
      wrong += nb.index(i, m) == i;
      wrong += nb.distance(i, m) != mib::knn::distance(p, i, nb.index(i, m), metric);
    }
    radius(i) = nb.distance(i, k - 1);
  }
  CHECK(wrong == 0);
  // Neighbour indices, ties broken by row index, equal the exhaustive search's exactly.
  CHECK(nb.index == mib::knn::nearest(p, k, metric, mib::knn::Backend::kBrute).index);
  for (const bool strict : {true, false}) {
    const auto counts = mib::knn::count_within(p, radius, metric, strict, backend);
    int miscounted = 0;
    for (Eigen::Index i = 0; i < p.rows(); ++i) {
      const auto& d = all[static_cast<std::size_t>(i)];
      miscounted += counts(i) != std::count_if(d.begin(), d.end(), [&](double v) {
                      return strict ? v < radius(i) : v <= radius(i);
                    });
    }
    CHECK(miscounted == 0);
  }
  if (levels) CHECK((nb.distance.col(0).array() == 0).any());  // duplicates really occur
}

TEST_CASE("knn: the trees' leaf-batched search equals brute force for any k, leaf size and norm",
          "[estimators][knn]") {
  // Up to KdTree::kBatchedDims columns the queries of a leaf share one list of the leaves in
  // reach of its box, bounded by the k-th distance within the leaf itself — which a leaf of k
  // rows or fewer cannot give (then every leaf is in reach). Above, each query descends the tree.
  const int dim = GENERATE(2, 3, 4, 5);
  const auto metric = GENERATE(mib::knn::Metric::kMax, mib::knn::Metric::kEuclidean);
  const int k = GENERATE(1, 3, 40);
  mib::Matrix p = mib::test::correlated(700, dim, 1, 0.6, 7 + dim, 2).x;  // a grid: many ties
  for (Eigen::Index i = 5; i < p.rows(); i += 23) p.row(i) = p.row(i - 5);
  CAPTURE(dim, static_cast<int>(metric), k);
  const auto brute = mib::knn::nearest(p, k, metric, mib::knn::Backend::kBrute);
  const int threads = GENERATE(1, 3);
  const auto tree = mib::knn::nearest(p, k, metric, mib::knn::Backend::kKdTree, threads);
  CHECK(tree.index == brute.index);
  CHECK(tree.distance == brute.distance);
  for (const int leaf : {4, 16}) {  // leaves of k rows or fewer, too, for k = 40 (and 3 at 4)
    const mib::knn::KdTree small(p, metric, leaf, threads);
    mib::knn::Neighbors out{Eigen::MatrixXd(p.rows(), k), mib::knn::IndexMatrix(p.rows(), k)};
    small.nearest_all(k, out, threads);
    CAPTURE(leaf);
    CHECK(out.index == brute.index);
    CHECK(out.distance == brute.distance);
  }
}

TEST_CASE("knn: the automatic back-end follows the dimension", "[estimators][knn]") {
  // The sweep counts, in two columns under the max-norm only.
  const mib::Matrix three = mib::test::correlated(50, 3, 1, 0.5, 4).x;
  const Eigen::VectorXd r = Eigen::VectorXd::Constant(50, 0.5);
  CHECK_THROWS_WITH(
      mib::knn::count_within(three, r, mib::knn::Metric::kMax, true, mib::knn::Backend::kSweep),
      Catch::Contains("two columns under the max-norm"));
  CHECK_THROWS_WITH(mib::knn::nearest(three, 3, mib::knn::Metric::kMax, mib::knn::Backend::kSweep),
                    Catch::Contains("used for counts only"));
  CHECK(mib::knn::auto_backend(1) == mib::knn::Backend::kSorted);
  CHECK(mib::knn::auto_backend(5) == mib::knn::Backend::kKdTree);
  CHECK(mib::knn::auto_backend(50) == mib::knn::Backend::kBrute);
  const mib::Matrix two_columns = mib::test::correlated(10, 2, 1, 0.5, 1).x;
  CHECK_THROWS_WITH(
      mib::knn::nearest(two_columns, 2, mib::knn::Metric::kMax, mib::knn::Backend::kSorted),
      Catch::Contains("sorted back-end's dimension must be 1"));
}

TEST_CASE("knn: a duplicate of a point is its neighbour at distance 0; k out of range throws",
          "[estimators][knn]") {
  mib::Matrix p(3, 1);
  p << 1.0, 1.0, 5.0;
  const auto nb = mib::knn::nearest(p, 1, mib::knn::Metric::kMax);
  CHECK(nb.index(0, 0) == 1);
  CHECK(nb.distance(0, 0) == 0.0);
  CHECK(nb.index(2, 0) == 0);  // tie between rows 0 and 1 broken by index
  CHECK_THROWS(mib::knn::nearest(p, 3, mib::knn::Metric::kMax));
  CHECK_THROWS(mib::knn::nearest(p, 0, mib::knn::Metric::kMax));
}

TEST_CASE("knn: KSG's marginal counts: the fused exhaustive pass equals brute force and the trees",
          "[estimators][knn]") {
  const int levels = GENERATE(0, 3);
  const auto rule =
      GENERATE(mib::knn::CountRule::kJointRadius, mib::knn::CountRule::kNeighbourExtent);
  const auto dims = GENERATE(std::make_pair(1, 1), std::make_pair(3, 2), std::make_pair(8, 7),
                             std::make_pair(20, 25));
  const auto metric = GENERATE(mib::knn::Metric::kMax, mib::knn::Metric::kEuclidean);
  // Both back-ends screen in float32 (the trees under the max-norm): an offset of 1e6 widens
  // the screen's band to the distances' scale (many rows settled exactly), 1e35 turns the screen
  // off, and at 1e-30 float squares underflow (knn: every back-end ..., above).
  const int transform = GENERATE(0, 1, 2, 3);
  if (transform != 0 && (dims.first < 3 || levels == 0)) return;
  CAPTURE(levels, static_cast<int>(rule), dims.first, dims.second, static_cast<int>(metric),
          transform);
  auto s = mib::test::correlated(600, dims.first, dims.second, 0.7, 17, levels);
  if (transform == 1) {
    s.x.array() += 1e6;
    s.y.array() -= 1e6;
  }
  if (transform == 2 || transform == 3) {
    const double scale = transform == 2 ? 1e35 : 1e-30;
    s.x *= scale;
    s.y *= scale;
  }
  const auto brute = mib::knn::ksg_counts(s.x, s.y, 4, rule, metric, mib::knn::Backend::kBrute);
  const auto oracle = ksg_oracle(s.x, s.y, 4, rule, metric);
  CHECK(brute.nx == oracle.nx);
  CHECK(brute.ny == oracle.ny);
  CHECK(brute.radius == oracle.radius);
  // Several k in one pass: each equals its own call (k = 4 above, k = 1 here).
  const auto both = mib::knn::ksg_counts(s.x, s.y, std::vector<int>{1, 4}, rule, metric,
                                         mib::knn::Backend::kBrute);
  const auto one = mib::knn::ksg_counts(s.x, s.y, 1, rule, metric, mib::knn::Backend::kBrute);
  REQUIRE(both.size() == 2);
  CHECK((both[0].nx == one.nx && both[0].ny == one.ny && both[0].radius == one.radius));
  CHECK((both[1].nx == brute.nx && both[1].ny == brute.ny && both[1].radius == brute.radius));
  CHECK(one.nx != brute.nx);  // the two k really differ
  CHECK_THROWS(mib::knn::ksg_counts(s.x, s.y.topRows(10), 4, rule));
  CHECK_THROWS_WITH(mib::knn::ksg_counts(s.x, s.y, std::vector<int>{4, 600}, rule),
                    Catch::Contains("in [1, n)"));
  if (metric == mib::knn::Metric::kEuclidean) return;  // no tree for the Euclidean joint norm
  const auto tree =
      mib::knn::ksg_counts(s.x, s.y, 4, rule, mib::knn::Metric::kMax, mib::knn::Backend::kKdTree);
  const auto automatic = mib::knn::ksg_counts(s.x, s.y, 4, rule);
  CHECK(brute.nx == tree.nx);
  CHECK(brute.ny == tree.ny);
  CHECK(brute.radius == tree.radius);
  CHECK(automatic.nx == brute.nx);
  CHECK(automatic.ny == brute.ny);
}

TEST_CASE("knn: threads change no neighbour or count, the trees' halves built side by side",
          "[estimators][knn][parallel]") {
  // 20 000 rows: above the size from which a tree builds its halves on two threads (8 192),
  // and KSG's marginal counts and the conditional counts run side by side.
  const int dim = GENERATE(2, 3);
  const mib::Sample s = mib::test::correlated(20000, dim, dim, 0.6, 5);
  const mib::Matrix joint = mib::hstack(s.x, s.y);
  const auto one =
      mib::knn::nearest(joint, 4, mib::knn::Metric::kMax, mib::knn::Backend::kKdTree, 1);
  const Eigen::VectorXd radius = one.distance.col(3);
  const auto rule =
      GENERATE(mib::knn::CountRule::kJointRadius, mib::knn::CountRule::kNeighbourExtent);
  const auto c1 =
      mib::knn::ksg_counts(s.x, s.y, 4, rule, mib::knn::Metric::kMax, mib::knn::Backend::kAuto, 1);
  const auto z1 = mib::knn::conditional_counts(s.x.col(0), s.y.col(0), s.x.col(1), radius, true, 1);
  for (int threads : {2, 3}) {
    CAPTURE(dim, threads);
    const auto many =
        mib::knn::nearest(joint, 4, mib::knn::Metric::kMax, mib::knn::Backend::kKdTree, threads);
    CHECK(many.index == one.index);
    CHECK(many.distance == one.distance);
    CHECK(mib::knn::count_within(joint, radius, mib::knn::Metric::kMax, true,
                                 mib::knn::Backend::kKdTree, threads) ==
          mib::knn::count_within(joint, radius, mib::knn::Metric::kMax, true,
                                 mib::knn::Backend::kKdTree, 1));
    const auto c = mib::knn::ksg_counts(s.x, s.y, 4, rule, mib::knn::Metric::kMax,
                                        mib::knn::Backend::kAuto, threads);
    CHECK(c.nx == c1.nx);
    CHECK(c.ny == c1.ny);
    const auto z =
        mib::knn::conditional_counts(s.x.col(0), s.y.col(0), s.x.col(1), radius, true, threads);
    CHECK(z.nxz == z1.nxz);
    CHECK(z.nyz == z1.nyz);
    CHECK(z.nz == z1.nz);
  }
}

TEST_CASE("knn: for_each_row_squared gives every pair's squared distance, in coordinate order",
          "[estimators][knn][parallel]") {
  // 101 rows: a partial last panel (32 rows), query block and micro-block (4 queries).
  const auto s = mib::test::correlated(101, 7, 40, 0.5, 23);
  const auto squared = [](const mib::Matrix& m, Eigen::Index i, Eigen::Index j) {
    double acc = 0;  // the Euclidean distance's sum before its sqrt
    for (Eigen::Index c = 0; c < m.cols(); ++c) acc += (m(i, c) - m(j, c)) * (m(i, c) - m(j, c));
    return acc;
  };
  for (int threads : {1, 2}) {
    std::vector<int> seen(101, 0), wrong(101, 0);
    mib::knn::for_each_row_squared(
        s.x, s.y, threads, [&](Eigen::Index i, const double* sx, const double* sy) {
          ++seen[static_cast<std::size_t>(i)];
          for (Eigen::Index j = 0; j < 101; ++j) {
            wrong[static_cast<std::size_t>(i)] +=
                (sx[j] != squared(s.x, i, j)) + (sy[j] != squared(s.y, i, j));
          }
        });
    CAPTURE(threads);
    CHECK(std::count(seen.begin(), seen.end(), 1) == 101);
    CHECK(std::count(wrong.begin(), wrong.end(), 0) == 101);
  }
  CHECK_THROWS_WITH(mib::knn::for_each_row_squared(
                        s.x, s.y.topRows(5), 1, [](Eigen::Index, const double*, const double*) {}),
                    Catch::Contains("row counts of x and y"));
}

TEST_CASE("knn: kth_distances equals three nearest() searches, in one pass or three",
          "[estimators][knn][parallel]") {
  const auto dims = GENERATE(std::make_pair(1, 1), std::make_pair(3, 2), std::make_pair(20, 25));
  // 1e6: the float32 screen's band as wide as the distances; 1e35: no screen (three searches).
  const double offset = GENERATE(0.0, 1e6);
  const double scale = GENERATE(1.0, 1e35);
  const int levels = GENERATE(0, 3);  // 3: ties and duplicates
  auto s = mib::test::correlated(300, dims.first, dims.second, 0.6, 31, levels);
  s.x = (s.x.array() + offset) * scale;
  s.y = (s.y.array() - offset) * scale;
  const int threads = GENERATE(1, 2);
  CAPTURE(dims.first, offset, scale, levels, threads);
  const auto kth = [&](const mib::Matrix& m) -> Eigen::VectorXd {
    return mib::knn::nearest(m, 4, mib::knn::Metric::kMax).distance.col(3);
  };
  const auto r = mib::knn::kth_distances(s.x, s.y, 4, threads);
  CHECK(r.x == kth(s.x));
  CHECK(r.y == kth(s.y));
  CHECK(r.joint == kth(mib::hstack(s.x, s.y)));
  CHECK_THROWS_WITH(mib::knn::kth_distances(s.x, s.y.topRows(5), 4),
                    Catch::Contains("row counts of x and y"));
  CHECK_THROWS_WITH(mib::knn::kth_distances(s.x, s.y, 300), Catch::Contains("k"));
}

TEST_CASE("knn: joint_radius_counts equals a joint search and two counts, in one pass or three",
          "[estimators][knn][parallel]") {
  const auto dims = GENERATE(std::make_pair(3, 2), std::make_pair(20, 25));
  const auto metric = GENERATE(mib::knn::Metric::kMax, mib::knn::Metric::kEuclidean);
  // 1e6: the float32 screen's band as wide as the distances; 1e35: no screen (three searches);
  // 1e-30: float squares underflow.
  const double offset = GENERATE(0.0, 1e6);
  const double scale = GENERATE(1.0, 1e35, 1e-30);
  const int levels = GENERATE(0, 3);  // 3: ties and duplicates
  if (offset != 0 && scale != 1) return;
  auto s = mib::test::correlated(300, dims.first, dims.second, 0.6, 37, levels);
  s.x = (s.x.array() + offset) * scale;
  s.y = (s.y.array() - offset) * scale;
  const int threads = GENERATE(1, 2);
  CAPTURE(dims.first, static_cast<int>(metric), offset, scale, levels, threads);
  const Eigen::VectorXd radius =
      mib::knn::nearest(mib::hstack(s.x, s.y), 4, metric).distance.col(3);
  const auto c = mib::knn::joint_radius_counts(s.x, s.y, 4, metric, threads);
  CHECK(c.radius == radius);
  CHECK(c.nx == mib::knn::count_within(s.x, radius, metric, false));
  CHECK(c.ny == mib::knn::count_within(s.y, radius, metric, false));
  CHECK_THROWS_WITH(mib::knn::joint_radius_counts(s.x, s.y.topRows(5), 4, metric),
                    Catch::Contains("row counts of x and y"));
  CHECK_THROWS_WITH(mib::knn::joint_radius_counts(s.x, s.y, 0, metric),
                    Catch::Contains("in [1, n)"));
}

TEST_CASE("knn: count_duplicates equals a zero-radius count under either norm",
          "[estimators][knn]") {
  const int dim = GENERATE(1, 3, 20);
  auto p = mib::test::correlated(400, dim, 1, 0.5, 41, 2).x;  // a half-unit grid: many ties
  for (Eigen::Index i = 5; i < p.rows(); i += 29) p.row(i) = p.row(i - 5);  // whole-row copies
  p(0, 0) = 0.0;  // −0 and +0 are the same value: their difference is 0
  p.row(1) = p.row(0);
  p(1, 0) = -0.0;
  CAPTURE(dim);
  const Eigen::VectorXi dup = mib::knn::count_duplicates(p);
  const Eigen::VectorXd zero = Eigen::VectorXd::Zero(p.rows());
  for (const auto metric : {mib::knn::Metric::kMax, mib::knn::Metric::kEuclidean}) {
    CHECK(dup == mib::knn::count_within(p, zero, metric, false, mib::knn::Backend::kBrute));
  }
  CHECK(dup(0) >= 1);
  CHECK(dup.sum() > 20);  // duplicates really occur
}

TEST_CASE("knn: a column's radix order is std::sort's (value, row) order, -0 equal to +0",
          "[estimators][knn]") {
  // Signs, zeros of both signs, subnormals, huge magnitudes and many repeats: the keys' byte
  // order must be the values' order, equal values must keep their rows ascending.
  const double pool[] = {-0.0, 0.0, 1.0, -1.0, 5e-324, -5e-324, 1e300, -1e300, 0.5, -0.25, 3.0};
  // Column 2: values that share their upper 32 bits in runs, whose lower bits decide.
  mib::Matrix m(4000, 3);
  mib::Rng rng(3);
  for (Eigen::Index i = 0; i < m.rows(); ++i) {
    const std::uint64_t u = rng();
    m(i, 0) = pool[u % 11];
    m(i, 1) = static_cast<double>(static_cast<std::int64_t>(u >> 11)) * 1e-9 - 4e6;
    m(i, 2) =
        (u % 2 ? 1.0 : -1.0) * std::ldexp(1.0 + std::ldexp(static_cast<double>(u % 4096), -40),
                                          static_cast<int>(u / 4096 % 3));
  }
  for (const Eigen::Index column : {0, 1, 2}) {
    std::vector<std::pair<double, Eigen::Index>> pairs;
    for (Eigen::Index i = 0; i < m.rows(); ++i) pairs.emplace_back(m(i, column), i);
    std::sort(pairs.begin(), pairs.end());
    const auto order = mib::knn::detail::sort_rows(m, column);
    int wrong = 0;
    for (std::size_t s = 0; s < pairs.size(); ++s)
      wrong += static_cast<Eigen::Index>(order[s]) != pairs[s].second;
    CAPTURE(column);
    CHECK(wrong == 0);
  }
}

TEST_CASE("knn: CountDigamma gives Boost's digamma, bit for bit, in any order of calls",
          "[estimators][knn]") {
  mib::knn::CountDigamma psi;
  mib::Rng rng(9);
  int wrong = 0;
  for (int t = 0; t < 5000; ++t) {
    const int m = 1 + static_cast<int>(rng() % 3000);
    wrong += psi(m) != boost::math::digamma(m);
  }
  CHECK(wrong == 0);
  CHECK(psi(1) == boost::math::digamma(1.0));  // −γ, from the table now
}

TEST_CASE("knn: one- and two-column counts equal brute force for radii from 0 to the whole column",
          "[estimators][knn]") {
  // Radii spanning every scale: the sorted ranges' searches guess their span from the previous
  // queries and search again when an answer may lie past it, and the sweep counts bits over
  // ranges of one word to the whole column. Values on a grid (levels 2) tie.
  const int levels = GENERATE(0, 2);
  const int n = 3001;  // 46 words of bits, a partial last one
  const mib::Matrix p = mib::test::correlated(n, 3, 1, 0.6, 17, levels).x;
  mib::Rng rng(5);
  Eigen::VectorXd radius(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    const std::uint64_t u = rng();
    // Mostly small, some wide, a few past everything, a few 0; some equal to a distance.
    const double scale[] = {1e-3, 1e-2, 0.1, 0.5, 2.0, 1e3, 0.0};
    radius(i) = scale[u % 7] * static_cast<double>((u >> 8) % 1000) / 999.0;
    if (u % 11 == 0) radius(i) = std::abs(p(i, 0) - p((i + 1) % n, 0));
  }
  const auto brute = [&](const mib::Matrix& m, mib::knn::Metric metric, bool strict) {
    Eigen::VectorXi c = Eigen::VectorXi::Zero(n);
    for (Eigen::Index i = 0; i < n; ++i) {
      for (Eigen::Index j = 0; j < n; ++j) {
        const double d = mib::knn::distance(m, i, j, metric);
        c(i) += j != i && (strict ? d < radius(i) : d <= radius(i));
      }
    }
    return c;
  };
  for (const bool strict : {true, false}) {
    CAPTURE(levels, strict);
    for (const auto metric : {mib::knn::Metric::kMax, mib::knn::Metric::kEuclidean}) {
      const mib::Matrix one = p.col(0);
      CHECK(mib::knn::count_within(one, radius, metric, strict, mib::knn::Backend::kSorted, 2) ==
            brute(one, metric, strict));
    }
    const mib::Matrix xz = p.leftCols(2);
    CHECK(mib::knn::count_within(xz, radius, mib::knn::Metric::kMax, strict,
                                 mib::knn::Backend::kSweep) ==
          brute(xz, mib::knn::Metric::kMax, strict));
    const auto c = mib::knn::conditional_counts(p.col(0), p.col(2), p.col(1), radius, strict, 2);
    CHECK(c.nxz == brute(mib::hstack(p.col(0), p.col(1)), mib::knn::Metric::kMax, strict));
    CHECK(c.nyz == brute(mib::hstack(p.col(2), p.col(1)), mib::knn::Metric::kMax, strict));
    CHECK(c.nz == brute(p.col(1), mib::knn::Metric::kMax, strict));
  }
}

TEST_CASE("knn: row_kth gives the k-th smallest distance of a row, the skipped row left out",
          "[estimators][knn]") {
  // Columns padded as the trees pad theirs (kRowPad rows); grid values tie.
  mib::Rng rng(21);
  int wrong = 0, cases = 0;
  for (const Eigen::Index m : {1, 2, 5, 8, 9, 16, 31, 64, 67}) {
    for (const Eigen::Index dims : {1, 3}) {
      Eigen::MatrixXd cols = Eigen::MatrixXd::Zero(m + 3 + mib::knn::detail::kRowPad, dims);
      for (Eigen::Index r = 0; r < cols.rows(); ++r) {
        for (Eigen::Index c = 0; c < dims; ++c) cols(r, c) = static_cast<double>(rng() % 9) / 4;
      }
      const Eigen::Index begin = 3;  // a leaf that starts inside the columns
      for (const auto metric : {mib::knn::Metric::kMax, mib::knn::Metric::kEuclidean}) {
        for (int k = 1; k <= 10; ++k) {
          const Eigen::Index skip =
              static_cast<Eigen::Index>(rng() % static_cast<std::uint64_t>(m));
          const Eigen::RowVectorXd q = cols.row(begin + skip);
          std::vector<double> distance(static_cast<std::size_t>(m + mib::knn::detail::kRowPad));
          const double kth = mib::knn::detail::row_kth(q.data(), cols.data(), cols.rows(), begin, m,
                                                       dims, metric, skip, k, distance.data());
          const mib::Matrix leaf = cols.middleRows(begin, m);
          std::vector<double> rest;
          for (Eigen::Index j = 0; j < m; ++j) {
            wrong +=
                distance[static_cast<std::size_t>(j)] != mib::knn::distance(leaf, skip, j, metric);
            if (j != skip) rest.push_back(distance[static_cast<std::size_t>(j)]);
          }
          std::sort(rest.begin(), rest.end());
          const double expected = static_cast<Eigen::Index>(rest.size()) >= k
                                      ? rest[static_cast<std::size_t>(k - 1)]
                                      : std::numeric_limits<double>::infinity();
          wrong += kth != expected;
          ++cases;
        }
      }
    }
  }
  CHECK(cases == 360);
  CHECK(wrong == 0);
}

TEST_CASE("knn: kth_distance equals the exhaustive k-th distance on every back-end",
          "[estimators][knn]") {
  const int dim = GENERATE(1, 3, 6, 14);  // sorted, batched tree, per-query tree, exhaustive
  const int levels = GENERATE(0, 2);
  const mib::Matrix p = mib::test::correlated(700, dim, 1, 0.6, 31 + dim, levels).x;
  for (const auto metric : {mib::knn::Metric::kMax, mib::knn::Metric::kEuclidean}) {
    for (const int k : {1, 4, 12}) {
      for (const int threads : {1, 2}) {
        CAPTURE(dim, levels, static_cast<int>(metric), k, threads);
        const Eigen::VectorXd all =
            mib::knn::nearest(p, k, metric, mib::knn::Backend::kBrute).distance.col(k - 1);
        CHECK(mib::knn::kth_distance(p, k, metric, mib::knn::Backend::kAuto, threads) == all);
      }
    }
  }
}

TEST_CASE("knn: kth_distance_within equals the exhaustive k-th distance and count within it",
          "[estimators][knn]") {
  // Ties at the k-th distance (levels 2: a coarse grid, duplicate rows) are what it must count;
  // without them every row has exactly k.
  const int dim = GENERATE(1, 3, 6, 14);  // sorted, batched tree, per-query tree, exhaustive
  const int levels = GENERATE(0, 2);
  const mib::Matrix p = mib::test::correlated(700, dim, 1, 0.6, 41 + dim, levels).x;
  for (const int k : {1, 4}) {
    const Eigen::VectorXd radius =
        mib::knn::nearest(p, k, mib::knn::Metric::kMax, mib::knn::Backend::kBrute)
            .distance.col(k - 1);
    const Eigen::VectorXi within =
        mib::knn::count_within(p, radius, mib::knn::Metric::kMax, false, mib::knn::Backend::kBrute);
    for (const int threads : {1, 2}) {
      CAPTURE(dim, levels, k, threads);
      const auto got = mib::knn::kth_distance_within(p, k, mib::knn::Metric::kMax, threads);
      CHECK(got.radius == radius);
      CHECK(got.within == within);
      if (levels > 0) CHECK(within.maxCoeff() > k);  // the case is exercised
    }
  }
}
