// The strips back-end of the two-column k-th distance (knn/strips.hpp) against the exhaustive
// search: bit for bit, on data it serves and on data it hands back to the tree, with the
// portable scans and (where the CPU has AVX-512) the fixed windows that come before them.
#include "estimators/knn/strips.hpp"

#include <catch2/catch.hpp>

#include "both_kernels.hpp"
#include "estimators/knn/neighbors.hpp"
#include "test_data.hpp"

namespace {

namespace knn = mib::knn;

mib::Matrix joint_of(const mib::Sample& s) {
  mib::Matrix j(s.x.rows(), 2);
  j << s.x, s.y;
  return j;
}

using mib::test::both_kernels;

}  // namespace

TEST_CASE("knn strips: the two-column k-th distance equals the exhaustive one, bit for bit",
          "[estimators][knn]") {
  // Gridded columns (levels > 0) put many rows at one |Δb| and overflow the windows; ρ near 1
  // makes queries reach strips two away; n = 40 leaves fewer than 8 rows in a window.
  const auto [n, rho, levels] =
      GENERATE(std::make_tuple(40, 0.5, 0), std::make_tuple(3000, 0.6, 0),
               std::make_tuple(20000, 0.6, 0), std::make_tuple(20000, 0.999, 0),
               std::make_tuple(3000, -0.8, 64), std::make_tuple(20000, 0.3, 256));
  auto s = mib::test::correlated(static_cast<std::size_t>(n), 1, 1, rho, 41, levels);
  s.x.row(7) = s.x.row(3);  // a duplicate point: distance 0
  s.y.row(7) = s.y.row(3);
  const mib::Matrix joint = joint_of(s);
  const knn::detail::Sorted a(s.x, knn::Metric::kMax), b(s.y, knn::Metric::kMax);
  for (const int k : {1, 2, 3, 5, 8, 9}) {  // the windows serve k <= 8
    CAPTURE(n, rho, levels, k);
    const Eigen::VectorXd exact =
        knn::kth_distance(joint, k, knn::Metric::kMax, knn::Backend::kBrute);
    both_kernels([&] {
      const auto strips = knn::detail::strip_kth_distance(a, b, k, 1);
      REQUIRE(strips.has_value());  // continuous or finely gridded data: the strips serve it
      CHECK(*strips == exact);
      CHECK(*knn::detail::strip_kth_distance(a, b, k, 2) == exact);
      CHECK(knn::kth_distance(joint, k, knn::Metric::kMax) == exact);
    });
  }
}

TEST_CASE("knn strips: tiny samples, one strip or a few, k up to n - 1", "[estimators][knn]") {
  // Windows cut short by a strip's ends on every side, a single strip (no strips beside), and
  // fewer candidates than k in the windows (continuous data: the probe keeps them on the strips).
  for (const Eigen::Index n : {2, 3, 4, 5, 9, 17, 33, 64, 65}) {
    const auto s = mib::test::correlated(static_cast<std::size_t>(n), 1, 1, 0.7, 53);
    const mib::Matrix joint = joint_of(s);
    const knn::detail::Sorted a(s.x, knn::Metric::kMax), b(s.y, knn::Metric::kMax);
    for (int k = 1; k < n && k <= 9; ++k) {
      CAPTURE(n, k);
      const Eigen::VectorXd exact =
          knn::kth_distance(joint, k, knn::Metric::kMax, knn::Backend::kBrute);
      both_kernels([&] {
        const auto strips = knn::detail::strip_kth_distance(a, b, k, 1);
        REQUIRE(strips.has_value());
        CHECK(*strips == exact);
        CHECK(knn::kth_distance(joint, k, knn::Metric::kMax) == exact);
      });
    }
  }
}

TEST_CASE("knn strips: columns of many ties or far apart scales go to the tree, same answers",
          "[estimators][knn]") {
  // A column of four values (every strip's a-range collapses), and a column 1e-7 the scale of
  // the other (every strip lies within each query's k-th distance).
  const int kind = GENERATE(0, 1);
  auto s = mib::test::correlated(6000, 1, 1, 0.5, 43);
  if (kind == 0) s.x = (s.x.array() * 0.8).round().cwiseMax(-2).cwiseMin(1);
  if (kind == 1) s.x *= 1e-7;
  CAPTURE(kind);
  const knn::detail::Sorted a(s.x, knn::Metric::kMax), b(s.y, knn::Metric::kMax);
  CHECK_FALSE(knn::detail::strip_kth_distance(a, b, 3, 1).has_value());
  const mib::Matrix joint = joint_of(s);
  CHECK(knn::kth_distance(joint, 3, knn::Metric::kMax) ==
        knn::kth_distance(joint, 3, knn::Metric::kMax, knn::Backend::kBrute));
  const auto counts = knn::ksg_counts(s.x, s.y, 3, knn::CountRule::kJointRadius);
  const auto exact = knn::ksg_counts(s.x, s.y, 3, knn::CountRule::kJointRadius, knn::Metric::kMax,
                                     knn::Backend::kBrute);
  CHECK(counts.nx == exact.nx);
  CHECK(counts.ny == exact.ny);
  CHECK(counts.radius == exact.radius);
}

TEST_CASE("knn strips: two threads give the same k-th distances as one",
          "[estimators][knn][parallel]") {
  const auto s = mib::test::correlated(5000, 1, 1, 0.7, 47);
  const knn::detail::Sorted a(s.x, knn::Metric::kMax), b(s.y, knn::Metric::kMax);
  const auto one = knn::detail::strip_kth_distance(a, b, 3, 1);
  const auto two = knn::detail::strip_kth_distance(a, b, 3, 2);
  REQUIRE(one.has_value());
  REQUIRE(two.has_value());
  CHECK(*one == *two);
}
