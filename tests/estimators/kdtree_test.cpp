// The k-d tree's construction (estimators/knn/kdtree_build.cpp): the sampled splits and their
// partitions over threads against an exhaustive scan, and the selection's contract.
#include "estimators/knn/kdtree.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdint>
#include <vector>

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
