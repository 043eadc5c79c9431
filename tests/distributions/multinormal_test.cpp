#include "distributions/multinormal.hpp"

#include <cmath>

#include "check.hpp"
#include "core/error.hpp"
#include "distributions/catalog.hpp"

using Catch::Matchers::Contains;

TEST_CASE("catalogue: bmi's Gaussian tasks have bmi's ids and MIs", "[distributions][catalog]") {
  using Row = std::pair<const char*, double>;
  const auto [id, mi] = GENERATE(
      Row{"1v1-normal-0.75", 0.413339}, Row{"multinormal-dense-2-2-0.5", 0.293893},
      Row{"multinormal-dense-3-3-0.5", 0.413339}, Row{"multinormal-dense-5-5-0.5", 0.592812},
      Row{"multinormal-dense-25-25-0.5", 1.292184}, Row{"multinormal-dense-50-50-0.5", 1.624265},
      Row{"multinormal-sparse-2-2-2-2.0", 1.021651}, Row{"multinormal-sparse-3-3-2-2.0", 1.021651},
      Row{"multinormal-sparse-5-5-2-2.0", 1.021651},
      Row{"multinormal-sparse-25-25-2-2.0", 1.021651});
  CAPTURE(id);
  const auto& task = mib::builtin_catalog().find(id, "test");
  CHECK(task.distribution->mutual_information().mi == Approx(mi).margin(5e-7));
  CHECK(task.distribution->mutual_information().std_error == 0.0);
}

TEST_CASE("multinormal: closed forms of the dense task", "[distributions][multinormal]") {
  // Dense with unit variances and correlation 1/2: MI = 1/2 ln((d+1)^2 / (2d+1)).
  for (int d : {1, 2, 7}) {
    const auto t = mib::builtin_catalog().make("multinormal-dense", {{"dim", d}}, "test");
    CHECK(t.distribution->mutual_information().mi ==
          Approx(0.5 * std::log((d + 1.0) * (d + 1.0) / (2.0 * d + 1.0))).epsilon(1e-12));
  }
}

TEST_CASE("multinormal: Monte Carlo mean of the PMI agrees with the closed form within 4 SE",
          "[distributions][multinormal]") {
  const char* id =
      GENERATE("1v1-normal-0.75", "multinormal-dense-5-5-0.5", "multinormal-sparse-3-3-2-2.0");
  CAPTURE(id);
  const auto& task = mib::builtin_catalog().find(id, "test");
  mib::Rng rng(12345);
  const mib::Sample s = task.distribution->sample(200000, rng);
  const Eigen::VectorXd pmi = *task.distribution->pmi(s);
  const double mean = pmi.mean();
  const double m = static_cast<double>(pmi.size());
  const double se = std::sqrt((pmi.array() - mean).square().sum() / (m - 1.0) / m);
  CHECK(std::abs(mean - task.distribution->mutual_information().mi) < 4 * se);
  CHECK(se < 0.01);  // the check has teeth: 4 SE is well below the MI values tested
}

TEST_CASE("multinormal: sample shapes, covariance and bit-for-bit determinism",
          "[distributions][multinormal]") {
  const auto t = mib::builtin_catalog().make("multinormal-sparse", {{"dim", 4}}, "test");
  mib::Rng rng1(7), rng2(7);
  const mib::Sample s1 = t.distribution->sample(50000, rng1);
  const mib::Sample s2 = t.distribution->sample(50000, rng2);
  REQUIRE(s1.x.rows() == 50000);
  CHECK(s1.x.cols() == 4);
  CHECK(s1.y.cols() == 4);
  CHECK(s1.x == s2.x);
  CHECK(s1.y == s2.y);
  // corr(X1, Y1) = 0.8 and corr(X3, Y3) = 0: within 5 standard errors (about 1/sqrt(n)).
  const double tol = 5.0 / std::sqrt(50000.0);
  const auto corr = [](const Eigen::VectorXd& u, const Eigen::VectorXd& v) {
    const Eigen::ArrayXd a = u.array() - u.mean(), b = v.array() - v.mean();
    return (a * b).sum() / std::sqrt(a.square().sum() * b.square().sum());
  };
  CHECK(corr(s1.x.col(0), s1.y.col(0)) == Approx(0.8).margin(tol));
  CHECK(corr(s1.x.col(2), s1.y.col(2)) == Approx(0.0).margin(tol));
}

TEST_CASE("multinormal: golden first row for a fixed seed", "[distributions][multinormal]") {
  // Fixes engine + Boost normal + Cholesky path; a change here changes every sweep's samples.
  const auto& t = mib::builtin_catalog().find("1v1-normal-0.75", "test");
  mib::Rng rng(0);
  const mib::Sample s = t.distribution->sample(2, rng);
  CHECK(s.x(0, 0) == Approx(-0.3265411794613827).epsilon(1e-14));
  CHECK(s.y(0, 0) == Approx(0.7168343462929258).epsilon(1e-14));
}

TEST_CASE("multinormal: invalid covariances and dims are InvalidArguments",
          "[distributions][multinormal]") {
  Eigen::MatrixXd not_pd(2, 2);
  not_pd << 1, 1.5, 1.5, 1;
  MIB_CHECK_THROWS(mib::MultivariateNormal(1, 1, not_pd), mib::InvalidArgument,
                   Contains("positive definite"));
  Eigen::MatrixXd asym(2, 2);
  asym << 1, 0.5, 0.2, 1;
  MIB_CHECK_THROWS(mib::MultivariateNormal(1, 1, asym), mib::InvalidArgument,
                   Contains("symmetric"));
  MIB_CHECK_THROWS(mib::MultivariateNormal(0, 2, Eigen::MatrixXd::Identity(2, 2)),
                   mib::InvalidArgument, Contains("dim_x must be >= 1"));
  MIB_CHECK_THROWS(mib::MultivariateNormal(2, 2, Eigen::MatrixXd::Identity(3, 3)),
                   mib::InvalidArgument, Contains("4 x 4"));
  MIB_CHECK_THROWS(mib::builtin_catalog().make("1v1-normal", {{"rho", 1.0}}, "cfg"),
                   mib::ConfigError, Contains("rho must be in (-1, 1)"));
  MIB_CHECK_THROWS(mib::builtin_catalog().make("multinormal-dense", {{"dim", 0}}, "cfg"),
                   mib::ConfigError, Contains("dim must be in [1, 4096]"));
  // corr below -1/(2d-1) makes the dense matrix indefinite.
  MIB_CHECK_THROWS(
      mib::builtin_catalog().make("multinormal-dense", {{"dim", 3}, {"corr", -0.5}}, "cfg"),
      mib::InvalidArgument, Contains("positive definite"));
  MIB_CHECK_THROWS(mib::builtin_catalog().make("multinormal-sparse", {{"dim", 1}}, "cfg"),
                   mib::ConfigError, Contains("pairs must be <= dim"));
}
