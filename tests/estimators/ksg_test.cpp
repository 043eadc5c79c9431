#include "estimators/ksg.hpp"

#include <algorithm>
#include <boost/math/special_functions/digamma.hpp>
#include <catch2/catch.hpp>
#include <numeric>

#include "distributions/catalog.hpp"
#include "estimators/builtin.hpp"
#include "test_data.hpp"

namespace {

double ksg(const mib::Matrix& x, const mib::Matrix& y, int k, int algorithm) {
  mib::Rng rng(0);
  mib::KsgParams params;
  params.k = k;
  params.common.standardize = false;  // the references work on the raw values
  const mib::KsgEstimator e(params, static_cast<mib::KsgEstimator::Algorithm>(algorithm));
  return e.estimate(x, y, rng).mi;
}

// O(N²) reference written from the paper's definitions, independently of estimators/knn.
double ksg_reference(const mib::Matrix& x, const mib::Matrix& y, int k, int algorithm) {
  using boost::math::digamma;
  const auto n = static_cast<std::size_t>(x.rows());
  auto dx = [&](std::size_t i, std::size_t j) {
    return (x.row(static_cast<Eigen::Index>(i)) - x.row(static_cast<Eigen::Index>(j)))
        .cwiseAbs()
        .maxCoeff();
  };
  auto dy = [&](std::size_t i, std::size_t j) {
    return (y.row(static_cast<Eigen::Index>(i)) - y.row(static_cast<Eigen::Index>(j)))
        .cwiseAbs()
        .maxCoeff();
  };
  double total = 0;
  for (std::size_t i = 0; i < n; ++i) {
    std::vector<std::size_t> others;
    for (std::size_t j = 0; j < n; ++j)
      if (j != i) others.push_back(j);
    std::stable_sort(others.begin(), others.end(), [&](std::size_t a, std::size_t b) {
      return std::max(dx(i, a), dy(i, a)) < std::max(dx(i, b), dy(i, b));
    });
    double ex = 0, ey = 0;
    if (algorithm == 1) {
      ex = ey = std::max(dx(i, others[k - 1]), dy(i, others[k - 1]));
    } else {
      for (int m = 0; m < k; ++m) {
        ex = std::max(ex, dx(i, others[m]));
        ey = std::max(ey, dy(i, others[m]));
      }
    }
    int nx = 0, ny = 0;
    for (std::size_t j : others) {
      nx += algorithm == 1 ? dx(i, j) < ex : dx(i, j) <= ex;
      ny += algorithm == 1 ? dy(i, j) < ey : dy(i, j) <= ey;
    }
    total += algorithm == 1 ? digamma(nx + 1) + digamma(ny + 1) : digamma(nx) + digamma(ny);
  }
  const double base =
      digamma(k) + digamma(static_cast<double>(n)) - (algorithm == 2 ? 1.0 / k : 0.0);
  return base - total / static_cast<double>(n);
}

}  // namespace

TEST_CASE("ksg: exact values on a hand-computed 4-point example", "[estimators][ksg]") {
  // Points (0,0), (1,2), (3,1), (6,5), k = 1. Joint max-norm radii r = (2, 2, 2, 4).
  // Algorithm 1: n_x = (1,1,0,1), n_y = (1,1,2,1), so
  //   Î = ψ(1) + ψ(4) − ¼[6ψ(2) + ψ(1) + ψ(3)] = 11/6 − 15/8 = −1/24.
  // Algorithm 2: ε_x = (1,1,2,3), ε_y = (2,2,1,4), n_x = (1,1,1,1), n_y = (2,2,2,2), so
  //   Î = ψ(1) − 1 + ψ(4) − ¼[4ψ(1) + 4ψ(2)] = −1/6.
  mib::Matrix x(4, 1), y(4, 1);
  x << 0, 1, 3, 6;
  y << 0, 2, 1, 5;
  CHECK(ksg(x, y, 1, 1) == Approx(-1.0 / 24).margin(1e-14));
  CHECK(ksg(x, y, 1, 2) == Approx(-1.0 / 6).margin(1e-14));
  CHECK(ksg_reference(x, y, 1, 1) == Approx(-1.0 / 24).margin(1e-14));
  CHECK(ksg_reference(x, y, 1, 2) == Approx(-1.0 / 6).margin(1e-14));
}

TEST_CASE("ksg: equals the O(N^2) reference on random data, ties included", "[estimators][ksg]") {
  const int algorithm = GENERATE(1, 2);
  const int k = GENERATE(1, 3, 7);
  const int levels = GENERATE(0, 4);
  const auto dims = GENERATE(std::make_pair(1, 1), std::make_pair(2, 3),
                             std::make_pair(7, 7));  // 7 + 7: the fused exhaustive pass
  CAPTURE(algorithm, k, levels, dims.first, dims.second);
  const auto s = mib::test::correlated(400, dims.first, dims.second, 0.7, 5 + k, levels);
  CHECK(ksg(s.x, s.y, k, algorithm) == Approx(ksg_reference(s.x, s.y, k, algorithm)).margin(1e-12));
}

TEST_CASE("ksg: mean over 20 seeds on 1v1-normal-0.75 at n = 2000 is within 3 SE of 0.4133",
          "[estimators][ksg][.statistical][statistical]") {
  const auto& task = mib::builtin_catalog().find("1v1-normal-0.75", "test");
  const auto& entry = mib::builtin_estimators().at("ksg", "test");
  const auto e = entry.make({}, "test");
  std::vector<double> estimates;
  for (std::uint64_t seed = 0; seed < 20; ++seed) {
    mib::Rng rng(1000 + seed);
    const mib::Sample s = task.distribution->sample(2000, rng);
    estimates.push_back(e->estimate(s.x, s.y, rng).mi);
  }
  const double mean = std::accumulate(estimates.begin(), estimates.end(), 0.0) / 20;
  double ss = 0;
  for (double v : estimates) ss += (v - mean) * (v - mean);
  const double se = std::sqrt(ss / 19) / std::sqrt(20.0);
  CAPTURE(mean, se);
  CHECK(std::abs(mean - 0.413339) < 3 * se);
  CHECK(se < 0.02);  // the 3 SE band stays narrow: ~0.03 nats
}
