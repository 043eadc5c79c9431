// The k-d tree's construction (estimators/knn/kdtree_build.cpp): the sampled splits and their
// partitions over threads against an exhaustive scan, and the selection's contract.
#include "estimators/knn/kdtree.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <vector>

#include "both_kernels.hpp"
#include "core/rng.hpp"
#include "estimators/knn/neighbors.hpp"
#include "test_data.hpp"

TEST_CASE("knn: trees of 40 000 rows (sampled splits, partitions over threads) equal brute force",
          "[estimators][knn][parallel]") {
  // Nodes of 8 192 rows and more split at a sampled median, partitioned over two threads from
  // 32 768 rows: checked on every 331st row against an exhaustive scan, ties included (sparse:
  // the ThreadSanitizer job runs this case too).
  const int dim = GENERATE(3, 6);  // batched searches up to 4 columns, per query above
  const int levels = GENERATE(0, 3);
  const mib::Matrix p = mib::test::correlated(40000, dim, 1, 0.6, 17, levels).x;
  const int k = 4;
  // Two threads: the root's partition runs over two row ranges; its halves, built on one thread
  // each, split their nodes of 8 192 rows and more at sampled medians one pass at a time.
  for (const int threads : {2}) {
    CAPTURE(dim, levels, threads);
    const auto tree =
        mib::knn::nearest(p, k, mib::knn::Metric::kMax, mib::knn::Backend::kKdTree, threads);
    const Eigen::VectorXd radius = tree.distance.col(k - 1);
    const Eigen::VectorXi counts = mib::knn::count_within(p, radius, mib::knn::Metric::kMax, true,
                                                          mib::knn::Backend::kKdTree, threads);
    int wrong = 0;
    for (Eigen::Index i = 0; i < p.rows(); i += 331) {
      std::vector<std::pair<double, Eigen::Index>> all;
      for (Eigen::Index j = 0; j < p.rows(); ++j) {
        if (j != i) all.emplace_back(mib::knn::distance(p, i, j, mib::knn::Metric::kMax), j);
      }
      std::partial_sort(all.begin(), all.begin() + k, all.end());
      int within = 0;
      for (const auto& [d, j] : all) within += d < radius(i);
      for (int m = 0; m < k; ++m) {
        wrong += tree.distance(i, m) != all[static_cast<std::size_t>(m)].first ||
                 tree.index(i, m) != all[static_cast<std::size_t>(m)].second;
      }
      wrong += counts(i) != within;
    }
    CHECK(wrong == 0);
  }
}

TEST_CASE("knn: the tree build's select puts the rank-nth (value, row) in place, smaller before",
          "[estimators][knn]") {
  // Random values, heavy ties (broken by row), sorted and reversed input: the median-of-three
  // quickselect must meet std::nth_element's contract whatever its pivots do.
  mib::Rng rng(13);
  int wrong = 0;
  for (const std::size_t m : {1, 2, 33, 100, 1000, 5000}) {
    for (int shape = 0; shape < 4; ++shape) {
      std::vector<mib::knn::detail::Keyed> a(m), spare(m);
      for (std::size_t j = 0; j < m; ++j) {
        const double v = shape == 0   ? static_cast<double>(rng() % 1000000)
                         : shape == 1 ? static_cast<double>(rng() % 3)
                         : shape == 2 ? static_cast<double>(j)
                                      : -static_cast<double>(j);
        a[j] = {v, static_cast<std::uint32_t>(rng() % 1000000), static_cast<std::uint32_t>(j)};
      }
      for (const std::size_t nth : {std::size_t{0}, m / 2, m - 1}) {
        std::vector<mib::knn::detail::Keyed> b = a, sorted = a;
        mib::knn::detail::select(b.data(), spare.data(), m, nth);
        std::sort(sorted.begin(), sorted.end(), mib::knn::detail::key_less);
        wrong += b[nth].value != sorted[nth].value || b[nth].row != sorted[nth].row;
        for (std::size_t j = 0; j < m; ++j) {
          wrong += j < nth ? !mib::knn::detail::key_less(b[j], b[nth])
                           : j > nth && mib::knn::detail::key_less(b[j], b[nth]);
        }
        std::vector<std::uint32_t> kept;  // the same rows, each once
        for (const auto& e : b) kept.push_back(e.local);
        std::sort(kept.begin(), kept.end());
        for (std::size_t j = 0; j < m; ++j) wrong += kept[j] != j;
      }
    }
  }
  CHECK(wrong == 0);
}

TEST_CASE("knn: grouped counts and sorted leaves' windows equal brute force with both kernel sets",
          "[estimators][knn][parallel]") {
  // count_within descends the tree kQueryGroup queries at a time and screens a leaf once for all of
  // them; the joint search reads only a sorted leaf's window. Ties (a grid, duplicated rows), an
  // offset that widens the float32 error band (many rows settled exactly), radii of 0, ∞ and
  // scaled k-th distances, partial groups (n and the threads' chunks not multiples of kQueryGroup).
  const int dim = GENERATE(3, 5, 12);
  const int levels = GENERATE(0, 3);
  const double offset = GENERATE(0.0, 1e6);
  mib::Matrix p = mib::test::correlated(3001, dim, 1, 0.6, 23, levels).x;
  for (Eigen::Index i = 9; i < p.rows(); i += 41) p.row(i) = p.row(i - 9);
  p.array() += offset;
  CAPTURE(dim, levels, offset);
  const auto metric = mib::knn::Metric::kMax;
  const Eigen::VectorXd kth = mib::knn::kth_distance(p, 4, metric, mib::knn::Backend::kBrute);
  Eigen::VectorXd radius = kth;
  for (Eigen::Index i = 0; i < p.rows(); ++i) {
    radius(i) *= i % 3 == 0 ? 0.5 : i % 3 == 1 ? 1.0 : 2.5;
    if (i % 97 == 0) radius(i) = 0;
    if (i % 89 == 0) radius(i) = HUGE_VAL;
  }
  for (const bool strict : {true, false}) {
    const Eigen::VectorXi brute =
        mib::knn::count_within(p, radius, metric, strict, mib::knn::Backend::kBrute);
    mib::test::both_kernels([&] {
      for (const int threads : {1, 2}) {
        CAPTURE(strict, threads);
        CHECK(mib::knn::count_within(p, radius, metric, strict, mib::knn::Backend::kKdTree,
                                     threads) == brute);
        CHECK(mib::knn::kth_distance(p, 4, metric, mib::knn::Backend::kKdTree, threads) == kth);
      }
    });
  }
  // Leaves wider than a group's chunk of rows, and groups of any rows in any order.
  const mib::knn::KdTree wide(p, metric, 1500);
  mib::knn::KdTree::Scratch scratch;
  for (const bool strict : {true, false}) {
    mib::test::both_kernels([&] {
      int wrong = 0;
      for (Eigen::Index first = 0; first + 16 < p.rows(); first += 211) {
        const int g = static_cast<int>(first % mib::knn::detail::kQueryGroup) + 1;
        Eigen::Index rows[mib::knn::detail::kQueryGroup];
        double r[mib::knn::detail::kQueryGroup];
        int out[mib::knn::detail::kQueryGroup];
        for (int i = 0; i < g; ++i) {
          rows[i] = (first + 37 * i) % p.rows();
          r[i] = radius(rows[i]);
        }
        wide.count_group(rows, g, r, strict, out, scratch);
        for (int i = 0; i < g; ++i) wrong += out[i] != wide.count(rows[i], r[i], strict, scratch);
      }
      CHECK(wrong == 0);
    });
  }
}
