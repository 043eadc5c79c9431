// The float32 screen's kernels (knn/kernels.hpp) against scalar references, with their AVX-512
// versions (knn/kernels_avx512.cpp) and the portable ones: where the CPU has AVX-512 both run
// and must agree bit for bit; elsewhere the portable ones are checked alone.
#include "estimators/knn/kernels.hpp"

#include <algorithm>
#include <boost/random/uniform_int_distribution.hpp>
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <numeric>
#include <vector>

#include "both_kernels.hpp"
#include "core/rng.hpp"
#include "estimators/knn/metric.hpp"
#include "estimators/knn/neighbors.hpp"
#include "estimators/knn/sorted.hpp"
#include "test_data.hpp"

namespace {

namespace knn = mib::knn;

using mib::test::both_kernels;

// Float values on a coarse grid (ties) in [0, 4).
std::vector<float> grid_values(std::size_t m, std::uint64_t seed) {
  mib::Rng rng(seed);
  boost::random::uniform_int_distribution<int> step(0, 63);
  std::vector<float> v(m);
  for (float& x : v) x = static_cast<float>(step(rng)) / 16.0F;
  return v;
}

}  // namespace

TEST_CASE("knn kernels: count_screened and kth_smallest equal their scalar definitions",
          "[estimators][knn]") {
  for (const std::size_t m : {1U, 15U, 16U, 17U, 63U, 64U, 65U, 1000U}) {
    const std::vector<float> d = grid_values(m, 11 + m);
    for (const auto& [below, above] : {std::pair<float, float>{-1, -1},
                                       {0, 0},
                                       {0.5F, 0.75F},
                                       {1, 3.5F},
                                       {-std::numeric_limits<float>::infinity(), 2}}) {
      CAPTURE(m, below, above);
      int sure = 0;
      std::vector<int> open;
      for (std::size_t j = 0; j < m; ++j) {
        sure += d[j] < below;
        if (d[j] >= below && d[j] <= above) open.push_back(static_cast<int>(j));
      }
      both_kernels([&] {
        std::vector<int> undecided(m + 1);
        int found = -1;
        CHECK(knn::detail::count_screened(d.data(), static_cast<Eigen::Index>(m), below, above,
                                          undecided.data(), &found) == sure);
        undecided.resize(static_cast<std::size_t>(std::max(found, 0)));
        CHECK(undecided == open);
      });
    }
    for (const int k : {1, 3, 7}) {
      if (static_cast<std::size_t>(k) + 1 > m) continue;
      for (const std::size_t skip : {std::size_t{0}, m / 2, m - 1}) {
        std::vector<float> rest;
        for (std::size_t j = 0; j < m; ++j) {
          if (j != skip) rest.push_back(d[j]);
        }
        std::nth_element(rest.begin(), rest.begin() + (k - 1), rest.end());
        CAPTURE(m, k, skip);
        both_kernels([&] {
          std::vector<float> scratch(static_cast<std::size_t>(k));
          CHECK(knn::detail::kth_smallest(d.data(), static_cast<Eigen::Index>(m),
                                          static_cast<Eigen::Index>(skip), k,
                                          scratch.data()) == rest[static_cast<std::size_t>(k - 1)]);
        });
      }
    }
  }
}

TEST_CASE("knn kernels: the float32 max-norm block equals max |q - p| in float, -0 and ties too",
          "[estimators][knn]") {
  for (const Eigen::Index n : {Eigen::Index{5}, Eigen::Index{64}, Eigen::Index{131}}) {
    const Eigen::Index dims = n == 64 ? 1 : 7;
    mib::Matrix p = mib::test::correlated(static_cast<std::size_t>(n), static_cast<int>(dims), 1,
                                          0.5, 3, n == 131 ? 4 : 0)
                        .x;
    p(0, 0) = -0.0;
    if (n > 1) p(1, 0) = 0.0;
    const knn::detail::Panels32 panels(p);
    const int nq = static_cast<int>(std::min<Eigen::Index>(n, 9));
    std::vector<float> expected(static_cast<std::size_t>(nq * n));
    for (int a = 0; a < nq; ++a) {
      for (Eigen::Index j = 0; j < n; ++j) {
        float acc = 0;
        for (Eigen::Index c = 0; c < dims; ++c) {
          acc = std::max(acc, std::abs(static_cast<float>(p(a, c)) - static_cast<float>(p(j, c))));
        }
        expected[static_cast<std::size_t>(a * n + j)] = acc;
      }
    }
    CAPTURE(n, dims);
    both_kernels([&] {
      std::vector<float> out(static_cast<std::size_t>(nq * n), -1);
      knn::detail::block_distances(panels, 0, nq, knn::Metric::kMax, out.data(), n);
      CHECK(out == expected);
    });
  }
}

TEST_CASE("knn kernels: the trees' float32 leaf screens equal their scalar definitions",
          "[estimators][knn]") {
  // Columns of `ld` rows (m rows from `begin`, then at least kRowPad more, as the trees pad them).
  const Eigen::Index dims = 5, begin = 3, ld = 400 + knn::detail::kRowPad;
  std::vector<float> cols = grid_values(static_cast<std::size_t>(dims * ld), 5);
  const std::vector<float> q = {1.0F, 2.0F, 0.5F, 3.0F, 1.5F};
  for (const Eigen::Index m : {1, 15, 16, 17, 31, 32, 33, 100, 320}) {
    std::vector<float> d(static_cast<std::size_t>(m));
    for (Eigen::Index j = 0; j < m; ++j) {
      for (Eigen::Index c = 0; c < dims; ++c) {
        d[static_cast<std::size_t>(j)] =
            std::max(d[static_cast<std::size_t>(j)],
                     std::abs(q[static_cast<std::size_t>(c)] -
                              cols[static_cast<std::size_t>(c * ld + begin + j)]));
      }
    }
    for (const auto& [sure, unsure] :
         {std::pair<float, float>{0, 0}, {1.5F, 2.0F}, {2.5F, 2.5F}, {4, 4}}) {
      CAPTURE(m, sure, unsure);
      int count = 0;
      std::vector<int> open, at_most;
      for (Eigen::Index j = 0; j < m; ++j) {
        const float v = d[static_cast<std::size_t>(j)];
        count += v < sure;
        if (v >= sure && v <= unsure) open.push_back(static_cast<int>(j));
        if (v <= unsure) at_most.push_back(static_cast<int>(j));
      }
      both_kernels([&] {
        std::vector<int> listed(static_cast<std::size_t>(m + knn::detail::kRowPad));
        int n_listed = -1;
        CHECK(knn::detail::count_rows_f32(q.data(), cols.data(), ld, begin, m, dims, sure, unsure,
                                          listed.data(), &n_listed) == count);
        CHECK(std::vector<int>(listed.begin(), listed.begin() + std::max(n_listed, 0)) == open);
        n_listed = knn::detail::rows_at_most_f32(q.data(), cols.data(), ld, begin, m, dims, unsure,
                                                 listed.data());
        CHECK(std::vector<int>(listed.begin(), listed.begin() + std::max(n_listed, 0)) == at_most);
      });
    }
  }
}

TEST_CASE("knn kernels: KSG's exhaustive pass gives the same counts with either set of kernels",
          "[estimators][knn]") {
  const int levels = GENERATE(0, 4);
  const auto s = mib::test::correlated(700, 9, 8, 0.6, 29, levels);
  CAPTURE(levels);
  knn::detail::force_portable_kernels(true);
  const auto portable = knn::ksg_counts(s.x, s.y, 3, knn::CountRule::kJointRadius,
                                        knn::Metric::kMax, knn::Backend::kBrute);
  const auto kth = knn::kth_distances(s.x, s.y, 3);
  knn::detail::force_portable_kernels(false);
  const auto fast = knn::ksg_counts(s.x, s.y, 3, knn::CountRule::kJointRadius, knn::Metric::kMax,
                                    knn::Backend::kBrute);
  CHECK(fast.nx == portable.nx);
  CHECK(fast.ny == portable.ny);
  CHECK(fast.radius == portable.radius);
  const auto kth_fast = knn::kth_distances(s.x, s.y, 3);
  CHECK(kth_fast.joint == kth.joint);
  CHECK(kth_fast.x == kth.x);
  CHECK(kth_fast.y == kth.y);
}

TEST_CASE("knn kernels: a sorted column's range searches equal their scalar definition",
          "[estimators][knn]") {
  // Sorted::ranges: eight scalar searches in lockstep, or sixteen as gathers (AVX-512). For each
  // row, every position in its range passes the distance test and the two just outside fail —
  // groups cut short by n, ties and ±0, radii of 0 and ∞, and radii that swing from one group's
  // width to the whole column (the searches' width guess fails and they search again).
  for (const Eigen::Index n : {1, 2, 15, 16, 17, 40, 333, 3000}) {
    for (const int levels : {0, 3}) {
      const auto s = mib::test::correlated(static_cast<std::size_t>(n), 1, 1, 0.5, 41, levels);
      mib::Matrix column = s.x;
      column(0, 0) = -0.0;
      if (n > 1) column(n - 1, 0) = 0.0;
      Eigen::VectorXd radius(n);
      for (Eigen::Index i = 0; i < n; ++i) {
        const double r = std::abs(s.y(i, 0));
        radius(i) = i % 23 == 0 ? 1e3 : i % 11 == 0 ? 0.0 : i % 29 == 0 ? HUGE_VAL : r * r * 0.1;
      }
      for (const auto metric : {knn::Metric::kMax, knn::Metric::kEuclidean}) {
        for (const bool strict : {true, false}) {
          CAPTURE(n, levels, metric == knn::Metric::kMax, strict);
          const knn::detail::Sorted sorted(column, metric);
          const auto pass = [&](std::size_t p, std::size_t q, double r) {
            const double d = sorted.dist(p, q);
            return strict ? d < r : d <= r;
          };
          both_kernels([&] {
            std::vector<knn::detail::Range> out(static_cast<std::size_t>(n));
            sorted.ranges(radius, strict, 0, static_cast<std::size_t>(n), out.data());
            int wrong = 0;
            for (Eigen::Index i = 0; i < n; ++i) {
              const std::size_t p = sorted.position(i);
              const auto [first, last] = out[static_cast<std::size_t>(i)];
              const double r = radius(i);
              bool ok = first <= p && p <= last && (first == 0 || !pass(p, first - 1, r)) &&
                        (last + 1 == static_cast<std::size_t>(n) || !pass(p, last + 1, r));
              for (std::size_t q = first; q <= last && ok; ++q) ok = pass(p, q, r) || q == p;
              wrong += ok ? 0 : 1;
            }
            CHECK(wrong == 0);
          });
        }
      }
    }
  }
}

TEST_CASE("knn kernels: a group's leaf screen equals each query's own, appended to its list",
          "[estimators][knn]") {
  // count_rows_f32_group reads each row once for up to kQueryGroup queries: for any subset of them,
  // in any order, each query's count and undecided rows are count_rows_f32's, appended after
  // what its list already holds. Grid values: ties on both thresholds.
  const Eigen::Index dims = 5, begin = 7, ld = 400 + knn::detail::kRowPad;
  const Eigen::Index stride = ld;
  const std::vector<float> cols = grid_values(static_cast<std::size_t>(dims * ld), 11);
  const std::vector<float> qs =
      grid_values(static_cast<std::size_t>(dims * knn::detail::kQueryGroup), 12);
  std::vector<float> sure(knn::detail::kQueryGroup), unsure(knn::detail::kQueryGroup);
  for (int i = 0; i < knn::detail::kQueryGroup; ++i) {
    sure[static_cast<std::size_t>(i)] = static_cast<float>(i % 5) * 0.5F;
    unsure[static_cast<std::size_t>(i)] =
        sure[static_cast<std::size_t>(i)] + static_cast<float>(i % 3) * 0.25F;
  }
  mib::Rng rng(13);
  for (const Eigen::Index m : {1, 15, 16, 17, 31, 33, 100, 320}) {
    for (int g = 1; g <= knn::detail::kQueryGroup; ++g) {
      std::vector<int> which(knn::detail::kQueryGroup);  // g distinct queries, scrambled
      std::iota(which.begin(), which.end(), 0);
      for (int i = knn::detail::kQueryGroup - 1; i > 0; --i) {
        std::swap(which[static_cast<std::size_t>(i)],
                  which[static_cast<std::size_t>(
                      boost::random::uniform_int_distribution<int>(0, i)(rng))]);
      }
      which.resize(static_cast<std::size_t>(g));
      CAPTURE(m, g);
      both_kernels([&] {
        std::vector<int> counts(knn::detail::kQueryGroup, 3), listed(knn::detail::kQueryGroup, 2);
        std::vector<int> ambiguous(static_cast<std::size_t>(knn::detail::kQueryGroup * stride), -1);
        knn::detail::count_rows_f32_group(qs.data(), which.data(), g, cols.data(), ld, begin, m,
                                          dims, sure.data(), unsure.data(), counts.data(),
                                          ambiguous.data(), stride, listed.data());
        int wrong = 0;
        for (int i = 0; i < knn::detail::kQueryGroup; ++i) {
          const auto at = static_cast<std::size_t>(i);
          const bool in = std::find(which.begin(), which.end(), i) != which.end();
          std::vector<int> own(static_cast<std::size_t>(m + knn::detail::kRowPad));
          int n_own = 0;
          const int count =
              in ? knn::detail::count_rows_f32(qs.data() + i * dims, cols.data(), ld, begin, m,
                                               dims, sure[at], unsure[at], own.data(), &n_own)
                 : 0;
          wrong += counts[at] != 3 + count;
          wrong += listed[at] != 2 + n_own;
          for (int u = 0; u < n_own; ++u)
            wrong += ambiguous[static_cast<std::size_t>(i * stride + 2 + u)] !=
                     own[static_cast<std::size_t>(u)];
          wrong += ambiguous[static_cast<std::size_t>(i * stride)] != -1;  // earlier entries kept
        }
        CHECK(wrong == 0);
      });
    }
  }
}

TEST_CASE("knn kernels: a sorted leaf's window holds every row its float32 gap admits, only those",
          "[estimators][knn]") {
  // The window of the queries in [q_lo, q_hi] (one query: q_lo = q_hi): a row is in it exactly
  // when its float32 gap from the nearest point of that range is at most the bound.
  std::vector<float> v = grid_values(300, 17);  // ties; -0 and +0 both present
  v[0] = -0.0F;
  v[1] = 0.0F;
  std::sort(v.begin(), v.end());
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  const std::vector<float> qs = {-1.0F, -0.0F, 0.0F, 0.0625F, 1.5F, 2.0F, 3.9375F, 5.0F};
  for (const Eigen::Index m : {0, 1, 2, 17, 300}) {
    for (std::size_t a = 0; a < qs.size(); ++a) {
      for (std::size_t b = a; b < qs.size() && b <= a + 2; ++b) {
        const float q_lo = qs[a], q_hi = qs[b];
        for (const float bound : {-1.0F, 0.0F, 0.0625F, 0.5F, 1.0F, 10.0F, inf, nan}) {
          CAPTURE(m, q_lo, q_hi, bound);
          Eigen::Index first = -1, last = -1;
          knn::detail::window_f32(v.data(), m, q_lo, q_hi, bound, &first, &last);
          bool ok = 0 <= first && first <= last && last <= m;
          for (Eigen::Index j = 0; j < m && ok; ++j) {
            const float x = v[static_cast<std::size_t>(j)];
            const float gap = x < q_lo ? q_lo - x : x > q_hi ? x - q_hi : 0.0F;
            const bool admitted = !(gap > bound) && !(bound < 0);  // NaN admits every row
            ok = admitted == (j >= first && j < last);
          }
          CHECK(ok);
        }
      }
    }
  }
}

TEST_CASE("knn kernels: a group's box bounds are box_lower's and box_upper's for each query",
          "[estimators][knn]") {
  const Eigen::Index dims = 7;
  const std::vector<float> grid =
      grid_values(static_cast<std::size_t>(dims * (knn::detail::kQueryGroup + 2)), 19);
  std::vector<double> across(static_cast<std::size_t>(dims * knn::detail::kQueryGroup));
  std::vector<double> lo(static_cast<std::size_t>(dims)), hi(lo.size());
  for (Eigen::Index c = 0; c < dims; ++c) {
    const auto at = static_cast<std::size_t>(c);
    lo[at] = std::min(grid[at], grid[at + dims]) - 1.0;
    hi[at] = std::max(grid[at], grid[at + dims]) - 1.0;
    for (int i = 0; i < knn::detail::kQueryGroup; ++i) {
      across[static_cast<std::size_t>(c * knn::detail::kQueryGroup + i)] =
          grid[static_cast<std::size_t>((i + 2) * dims + c)] - 1.0;
    }
  }
  both_kernels([&] {
    std::vector<double> lower(knn::detail::kQueryGroup), upper(knn::detail::kQueryGroup);
    knn::detail::group_box_bounds(across.data(), lo.data(), hi.data(), dims, lower.data(),
                                  upper.data());
    int wrong = 0, inside = 0;
    for (int i = 0; i < knn::detail::kQueryGroup; ++i) {
      std::vector<double> q(static_cast<std::size_t>(dims));
      for (Eigen::Index c = 0; c < dims; ++c)
        q[static_cast<std::size_t>(c)] =
            across[static_cast<std::size_t>(c * knn::detail::kQueryGroup + i)];
      const double l =
          knn::detail::box_lower(q.data(), lo.data(), hi.data(), dims, knn::Metric::kMax);
      inside += l == 0;
      wrong += lower[static_cast<std::size_t>(i)] != l;
      wrong += upper[static_cast<std::size_t>(i)] !=
               knn::detail::box_upper(q.data(), lo.data(), hi.data(), dims, knn::Metric::kMax);
    }
    CHECK(wrong == 0);
    CHECK(inside < knn::detail::kQueryGroup);  // some queries outside the box
  });
}
