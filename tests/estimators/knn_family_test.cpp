// ksg-bmi, bi-ksg and mixed-ksg against O(N²) references written from their papers'
// formulas, independently of estimators/knn; and the common options.
#include "estimators/knn_family.hpp"

#include <algorithm>
#include <boost/math/special_functions/digamma.hpp>
#include <catch2/catch.hpp>
#include <cmath>

#include "distributions/catalog.hpp"
#include "estimators/builtin.hpp"
#include "estimators/ksg.hpp"
#include "test_data.hpp"

namespace {

using boost::math::digamma;

double block_distance(const mib::Matrix& m, Eigen::Index i, Eigen::Index j, bool euclidean) {
  double acc = 0;
  for (Eigen::Index c = 0; c < m.cols(); ++c) {
    const double g = std::abs(m(i, c) - m(j, c));
    acc = euclidean ? acc + g * g : std::max(acc, g);
  }
  return euclidean ? std::sqrt(acc) : acc;
}

// The k-th smallest joint distance of row i, joint = max(d_x, d_y) or, with `concatenated`,
// the Euclidean norm of the concatenation.
double kth_joint(const mib::Matrix& x, const mib::Matrix& y, Eigen::Index i, int k, bool euclidean,
                 bool concatenated = false) {
  std::vector<double> d;
  for (Eigen::Index j = 0; j < x.rows(); ++j) {
    if (j == i) continue;
    const double a = block_distance(x, i, j, euclidean), b = block_distance(y, i, j, euclidean);
    d.push_back(concatenated ? std::sqrt(a * a + b * b) : std::max(a, b));
  }
  std::nth_element(d.begin(), d.begin() + (k - 1), d.end());
  return d[static_cast<std::size_t>(k - 1)];
}

int count(const mib::Matrix& m, Eigen::Index i, double r, bool euclidean, bool strict) {
  int c = 0;
  for (Eigen::Index j = 0; j < m.rows(); ++j) {
    if (j == i) continue;
    const double d = block_distance(m, i, j, euclidean);
    c += strict ? d < r : d <= r;
  }
  return c;
}

mib::CommonOptions raw() {
  mib::CommonOptions o;
  o.standardize = false;
  return o;
}

double run(const mib::Estimator& e, const mib::Sample& s) {
  mib::Rng rng(0);
  return e.estimate(s.x, s.y, rng).mi;
}

}  // namespace

TEST_CASE("ksg-bmi: equals bmi's formula computed by brute force", "[estimators][ksg-bmi]") {
  const auto s = mib::test::correlated(300, 2, 3, 0.6, 41);
  const double n = 300;
  double expected = 0;
  for (int k : {5, 10}) {
    double sum = 0;
    for (Eigen::Index i = 0; i < 300; ++i) {
      const double eps = kth_joint(s.x, s.y, i, k, true);
      sum +=
          digamma(count(s.x, i, eps, true, true) + 1) + digamma(count(s.y, i, eps, true, true) + 1);
    }
    expected += std::max(0.0, digamma(k) + digamma(n) - sum / n) / 2;
  }
  CHECK(run(mib::KsgBmiEstimator({{5, 10}, raw()}), s) == Approx(expected).margin(1e-12));
}

TEST_CASE("bi-ksg: equals Gao, Oh & Viswanath's formula computed by brute force",
          "[estimators][bi-ksg]") {
  const auto s = mib::test::correlated(300, 2, 1, 0.6, 43);
  const int k = 5;
  const double n = 300;
  for (const bool euclidean : {true, false}) {
    double sum = 0;
    for (Eigen::Index i = 0; i < 300; ++i) {
      // The joint norm is the ℓ norm of the concatenation: Euclidean, or the max-norm.
      const double rho = kth_joint(s.x, s.y, i, k, euclidean, euclidean);
      sum += std::log(count(s.x, i, rho, euclidean, false)) +
             std::log(count(s.y, i, rho, euclidean, false));
    }
    // c_d = π^(d/2)/Γ(1 + d/2): c_2 = π, c_1 = 2, c_3 = 4π/3, so ln(c_2 c_1 / c_3) = ln 1.5.
    const double volumes = euclidean ? std::log(1.5) : 0.0;
    const double expected = digamma(k) + std::log(n) + volumes - sum / n;
    CHECK(run(mib::BiKsgEstimator({k, euclidean ? "euclidean" : "max", raw()}), s) ==
          Approx(expected).margin(1e-12));
  }
}

TEST_CASE("mixed-ksg: equals Gao et al.'s estimator by brute force, atoms included",
          "[estimators][mixed-ksg]") {
  // Discrete X with many exact ties (rounded to integers) against a continuous Y; then both
  // discrete, so that joint atoms (ρ = 0) occur.
  auto s = mib::test::correlated(300, 1, 1, 0.8, 47);
  s.x = s.x.array().round();
  const int k = 4;
  const double n = 300;
  auto expected = [&](const mib::Sample& d) {
    double sum = 0;
    int atoms = 0;
    for (Eigen::Index i = 0; i < 300; ++i) {
      const double rho = kth_joint(d.x, d.y, i, k, false);
      if (rho == 0) {
        ++atoms;
        int tied = 1;
        for (Eigen::Index j = 0; j < 300; ++j) {
          tied += j != i &&
                  std::max(block_distance(d.x, i, j, false), block_distance(d.y, i, j, false)) == 0;
        }
        sum += digamma(tied) - digamma(count(d.x, i, 0, false, false) + 1) -
               digamma(count(d.y, i, 0, false, false) + 1);
      } else {
        sum += digamma(k) - digamma(count(d.x, i, rho, false, true) + 1) -
               digamma(count(d.y, i, rho, false, true) + 1);
      }
    }
    return std::make_pair(std::log(n) + sum / n, atoms);
  };
  CHECK(run(mib::MixedKsgEstimator({k, raw()}), s) == Approx(expected(s).first).margin(1e-12));
  s.y = s.y.array().round();
  const auto [value, atoms] = expected(s);
  CHECK(atoms > 100);
  CHECK(run(mib::MixedKsgEstimator({k, raw()}), s) == Approx(value).margin(1e-12));
}

TEST_CASE("mixed-ksg: recovers the MI of the discrete uniform mixture",
          "[estimators][mixed-ksg][.statistical][statistical]") {
  // X ~ Unif{0..4}, Y = X + U(0, 2): MI = ln 5 − (4/5) ln 2 = 1.0549. One draw of n = 5000 with
  // a fixed seed; mixed-KSG's sd there is about 0.01 nats, the tolerance 0.05.
  const auto task = mib::builtin_catalog().find("discrete-uniform-mixture-5", "test");
  mib::Rng rng(3);
  const mib::Sample s = task.distribution->sample(5000, rng);
  CHECK(run(mib::MixedKsgEstimator({5, {}}), s) == Approx(1.054920).margin(0.05));
}

TEST_CASE("common options: standardize gives scale invariance, noise is seeded, clip floors at 0",
          "[estimators][options]") {
  const auto s = mib::test::correlated(400, 2, 2, 0.0, 51);  // independent: estimates near 0
  mib::Sample scaled = s;
  scaled.x *= 1000.0;
  mib::KsgParams p;
  CHECK(run(mib::KsgEstimator(p, mib::KsgEstimator::Algorithm::kFirst), s) ==
        Approx(run(mib::KsgEstimator(p, mib::KsgEstimator::Algorithm::kFirst), scaled))
            .margin(1e-12));
  p.common.standardize = false;
  CHECK(run(mib::KsgEstimator(p, mib::KsgEstimator::Algorithm::kFirst), s) !=
        run(mib::KsgEstimator(p, mib::KsgEstimator::Algorithm::kFirst), scaled));
  p.common.standardize = true;
  p.common.noise = 1e-3;
  const mib::KsgEstimator noisy(p, mib::KsgEstimator::Algorithm::kFirst);
  CHECK(run(noisy, s) == run(noisy, s));  // same rng seed, same jitter
  p.common.noise = 0;
  const double raw_value = run(mib::KsgEstimator(p, mib::KsgEstimator::Algorithm::kFirst), s);
  p.common.clip = true;
  const double clipped = run(mib::KsgEstimator(p, mib::KsgEstimator::Algorithm::kFirst), s);
  CHECK(clipped == std::max(0.0, raw_value));
  CHECK_THROWS(mib::builtin_estimators().at("ksg", "t").make({{"noise", -1.0}}, "t"));
}
