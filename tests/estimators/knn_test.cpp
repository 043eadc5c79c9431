#include <algorithm>
#include <catch2/catch.hpp>

#include "estimators/knn/neighbors.hpp"
#include "test_data.hpp"

namespace {

// Brute-force oracle: all distances to other rows, sorted.
std::vector<double> sorted_distances(const mib::Matrix& p, Eigen::Index i, mib::knn::Metric m) {
  std::vector<double> d;
  for (Eigen::Index j = 0; j < p.rows(); ++j) {
    if (j == i) continue;
    const Eigen::RowVectorXd diff = p.row(i) - p.row(j);
    d.push_back(m == mib::knn::Metric::kMax ? diff.cwiseAbs().maxCoeff() : diff.norm());
  }
  std::sort(d.begin(), d.end());
  return d;
}

}  // namespace

TEST_CASE("knn: k-th distances and counts equal brute force, with ties and duplicates",
          "[estimators][knn]") {
  const int levels = GENERATE(0, 2);  // 2: values on a half-unit grid, many exact ties
  const auto metric = GENERATE(mib::knn::Metric::kMax, mib::knn::Metric::kEuclidean);
  const auto s = mib::test::correlated(300, 3, 1, 0.6, 99, levels);
  const mib::Matrix& p = s.x;
  const int k = 4;
  const auto nb = mib::knn::nearest(p, k, metric);
  Eigen::VectorXd radius(p.rows());
  for (Eigen::Index i = 0; i < p.rows(); ++i) {
    const auto d = sorted_distances(p, i, metric);
    for (int m = 0; m < k; ++m) {
      REQUIRE(nb.distance(i, m) == Approx(d[static_cast<std::size_t>(m)]).epsilon(1e-15));
      CHECK(nb.index(i, m) != i);
    }
    radius(i) = d[static_cast<std::size_t>(k - 1)];
  }
  const auto strict = mib::knn::count_within(p, radius, metric, true);
  const auto loose = mib::knn::count_within(p, radius, metric, false);
  for (Eigen::Index i = 0; i < p.rows(); ++i) {
    const auto d = sorted_distances(p, i, metric);
    CHECK(strict(i) == std::count_if(d.begin(), d.end(), [&](double v) { return v < radius(i); }));
    CHECK(loose(i) == std::count_if(d.begin(), d.end(), [&](double v) { return v <= radius(i); }));
  }
  if (levels) CHECK((nb.distance.col(0).array() == 0).any());  // duplicates really occur
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
