// The laws with a conditioning variable: their truths against hand-derived formulas (an
// independent route from the log-determinants the code uses), the stationary covariance of
// the autoregression against its defining equation and a long simulation, and the transforms
// and concatenation with Z. (The Monte Carlo mean of the conditional PMI is checked for every
// task of @cmi by catalog_test.cpp.)
#include "distributions/conditional.hpp"

#include <catch2/catch.hpp>
#include <cmath>

#include "check.hpp"
#include "core/error.hpp"
#include "distributions/catalog.hpp"
#include "distributions/mixture.hpp"

using Catch::Matchers::Contains;

namespace {

const mib::Task& task(const std::string& id) {
  static std::map<std::string, mib::Task> cache;
  auto it = cache.find(id);
  if (it == cache.end()) it = cache.emplace(id, mib::builtin_catalog().find(id, "test")).first;
  return it->second;
}
double truth(const std::string& id) { return task(id).distribution->mutual_information().mi; }
const mib::GaussianTriple& triple(const std::string& id) {
  return dynamic_cast<const mib::GaussianTriple&>(*task(id).distribution);
}

}  // namespace

TEST_CASE("Gaussian triples: I(X; Y | Z) and I(X; Y) equal their hand-derived values",
          "[distributions][conditional]") {
  // Chain X → Z → Y: CMI 0; I(X; Y) = −(d/2) ln(1 − ρ⁴) (corr(X, Y) = ρ²).
  CHECK(truth("cmi-chain-1-0.8") == Approx(0).margin(1e-12));
  CHECK(triple("cmi-chain-2-0.8").unconditional_mi() == Approx(-std::log1p(-std::pow(0.8, 4))));
  // Common cause with residual dependence: the CMI is the parameter, for any loading and d.
  CHECK(truth("cmi-common-1-0.8-0.5") == Approx(0.5).epsilon(1e-12));
  CHECK(truth("cmi-common-3-0.6-1.0") == Approx(1.0).epsilon(1e-12));
  CHECK(triple("cmi-common-1-0.8-0.5").unconditional_mi() > 0.5);
  // Collider: X ⊥ Y; given Z, corr(X, Y | Z) = −a²/(1 − a²) with a = ρ/√2.
  const double a2 = 0.64 / 2, r = a2 / (1 - a2);
  CHECK(truth("cmi-collider-1-0.8") == Approx(-0.5 * std::log(1 - r * r)).epsilon(1e-12));
  CHECK(truth("cmi-collider-3-0.8") == Approx(-1.5 * std::log(1 - r * r)).epsilon(1e-12));
  CHECK(triple("cmi-collider-1-0.8").unconditional_mi() == Approx(0).margin(1e-12));
  // The conditioning dimension changes nothing in the truth.
  for (const char* id : {"cmi-zdim-1-0.5", "cmi-zdim-5-0.5", "cmi-zdim-50-0.5"}) {
    CAPTURE(id);
    CHECK(truth(id) == Approx(0.5).epsilon(1e-10));
    CHECK(task(id).distribution->dims().z ==
          static_cast<std::size_t>(std::stoi(std::string(id).substr(9))));
  }
}

TEST_CASE("discrete Z: the truth is the mean over z of the bivariate normal MI",
          "[distributions][conditional]") {
  double expected = 0;
  for (int z = 0; z < 4; ++z) expected += -0.5 * std::log(1 - std::pow(0.8 * (z + 1) / 4, 2)) / 4;
  CHECK(truth("cmi-discrete-z-4-0.8") == Approx(expected).epsilon(1e-14));
  mib::Rng rng(3);
  const mib::Sample s = task("cmi-discrete-z-4-0.8").distribution->sample(1000, rng);
  CHECK((s.z.array() == s.z.array().round()).all());
  CHECK(s.z.minCoeff() == 0);
  CHECK(s.z.maxCoeff() == 3);
  mib::Sample off = s;
  off.z(5, 0) = 1.5;
  MIB_CHECK_THROWS(task("cmi-discrete-z-4-0.8").distribution->pmi(off), mib::InvalidArgument,
                   Contains("an integer in [0, m)"));
}

TEST_CASE(
    "transfer entropy: the stationary covariance solves the Lyapunov equation and the "
    "truth the hand formula",
    "[distributions][conditional]") {
  const double a = 0.5, b = 0.5, c = 0.5;
  const Eigen::MatrixXd w = mib::VarTransferEntropy::window_covariance(a, b, c, 3);
  Eigen::Matrix2d A;
  A << a, 0, c, b;
  const Eigen::Matrix2d sigma = w.block<2, 2>(0, 0);
  CHECK((sigma - (A * sigma * A.transpose() + Eigen::Matrix2d::Identity())).norm() < 1e-12);
  // Blocks of one lag: Cov(s_{t+1}, s_t) = A Σ, and three steps apart A³ Σ.
  CHECK((w.block<2, 2>(0, 2) - A * sigma).norm() < 1e-12);
  CHECK((w.block<2, 2>(0, 6) - A * A * A * sigma).norm() < 1e-12);
  // Lag 1 by hand: σ_xx = 1/(1 − a²), σ_xy = a c σ_xx/(1 − a b),
  // σ_yy = (1 + c² σ_xx + 2 b c σ_xy)/(1 − b²); TE = ½ ln Var(Y_{t+1} | Y_t) (the residual
  // variance given Y_t and X_t is 1).
  const double sxx = 1 / (1 - a * a), sxy = a * c * sxx / (1 - a * b),
               syy = (1 + c * c * sxx + 2 * b * c * sxy) / (1 - b * b);
  const double lag_cov = b * syy + c * sxy;
  CHECK(truth("te-var-xy-1-0.5") ==
        Approx(0.5 * std::log(syy - lag_cov * lag_cov / syy)).epsilon(1e-12));
  // Longer histories of Y say more about X_t: the TE falls with the lag; the uncoupled
  // direction is 0 at every lag.
  CHECK(truth("te-var-xy-2-0.5") < truth("te-var-xy-1-0.5"));
  CHECK(truth("te-var-xy-2-0.5") > 0);
  for (const char* id : {"te-var-yx-1-0.5", "te-var-yx-2-0.5", "te-var-yx-5-0.9"}) {
    CAPTURE(id);
    CHECK(truth(id) == Approx(0).margin(1e-12));
  }
  CHECK(truth("te-var-xy-2-0.0") == Approx(0).margin(1e-12));
  CHECK_FALSE(task("te-var-xy-1-0.5").distribution->independent_rows());
}

TEST_CASE("transfer entropy: the windows' sample covariance approaches the stationary one",
          "[distributions][conditional]") {
  // 200 000 windows of one series: each entry's error is about 3/sqrt(n_eff) ≈ 0.01 here.
  mib::Rng rng(17);
  const auto& d = *task("te-var-xy-2-0.5").distribution;
  const mib::Sample s = d.sample(200000, rng);
  mib::Matrix all(s.x.rows(), 5);
  all << s.x, s.y, s.z;
  const Eigen::MatrixXd centred = all.rowwise() - all.colwise().mean();
  const Eigen::MatrixXd empirical = centred.transpose() * centred / static_cast<double>(all.rows());
  // Rows: x = (X_t, X_{t−1}), y = Y_{t+1}, z = (Y_t, Y_{t−1}); window blocks are
  // (s_{t+1}, s_t, s_{t−1}) with s = (X, Y).
  const Eigen::MatrixXd w = mib::VarTransferEntropy::window_covariance(0.5, 0.5, 0.5, 2);
  const std::vector<Eigen::Index> idx = {2, 4, 1, 3, 5};
  for (std::size_t i = 0; i < 5; ++i)
    for (std::size_t j = 0; j < 5; ++j)
      CHECK(empirical(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) ==
            Approx(w(idx[i], idx[j])).margin(0.06));
  // Consecutive rows overlap: row r + 1's history starts with row r's target.
  CHECK(s.z(1, 0) == s.y(0, 0));
  CHECK(s.x(1, 1) == s.x(0, 0));
}

TEST_CASE("transforms act on Z too and keep I(X; Y | Z); concatenation adds the Zs",
          "[distributions][conditional]") {
  const auto& base = *task("cmi-common-3-0.6-1.0").distribution;
  const auto& warped = *task("normal_cdf-cmi-common-3-0.6-1.0").distribution;
  CHECK(warped.mutual_information().mi == base.mutual_information().mi);
  mib::Rng a(5), b(5);
  const mib::Sample sb = base.sample(50, a), sw = warped.sample(50, b);
  CHECK(sw.z.cols() == 3);
  CHECK((sw.z.array() > 0 && sw.z.array() < 1).all());  // Φ applied to Z
  // Φ⁻¹(Φ(t)) is t up to rounding.
  CHECK((*warped.pmi(sw) - *base.pmi(sb)).cwiseAbs().maxCoeff() < 1e-6);
  const auto& both = *task("concat(cmi-common-1-0.8-0.5,cmi-collider-1-0.8)").distribution;
  CHECK(both.dims().z == 2);
  CHECK(both.mutual_information().mi ==
        Approx(truth("cmi-common-1-0.8-0.5") + truth("cmi-collider-1-0.8")));
  const mib::GroundTruth mc = mib::monte_carlo_mi(both, 40000, 3);
  CHECK(std::abs(mc.mi - both.mutual_information().mi) < 4 * mc.std_error);
  // A law with Z next to one without: I(X1 X2; Y1 Y2 | Z1) = CMI + MI.
  const auto& mixed = *task("concat(cmi-chain-1-0.8,1v1-normal-0.75)").distribution;
  CHECK(mixed.dims().z == 1);
  CHECK(mixed.mutual_information().mi == Approx(truth("1v1-normal-0.75")).epsilon(1e-12));
  const mib::GroundTruth mc2 = mib::monte_carlo_mi(mixed, 40000, 4);
  CHECK(std::abs(mc2.mi - mixed.mutual_information().mi) < 4 * mc2.std_error);
}

TEST_CASE("every elementwise transform prefix maps Z and keeps I(X; Y | Z) (Monte Carlo)",
          "[distributions][conditional]") {
  for (const char* prefix : {"normal_cdf", "half_cube", "asinh", "wiggly", "power_2.00000"}) {
    const std::string id = std::string(prefix) + "-cmi-collider-1-0.8";
    CAPTURE(id);
    const auto& d = *task(id).distribution;
    CHECK(d.mutual_information().mi == truth("cmi-collider-1-0.8"));
    mib::Rng a(2), b(2);
    CHECK(d.sample(20, a).z != task("cmi-collider-1-0.8").distribution->sample(20, b).z);
    const mib::GroundTruth mc = mib::monte_carlo_mi(d, 40000, 8);
    CHECK(std::abs(mc.mi - d.mutual_information().mi) < 4 * mc.std_error);
  }
}

TEST_CASE("conditional families refuse parameters out of their domain",
          "[distributions][conditional]") {
  // The laws' own checks (the families' parameter rules come first for ids).
  MIB_CHECK_THROWS(mib::VarTransferEntropy(true, 1, 1.2, 0.5, 0.5, "te"), mib::InvalidArgument,
                   Contains("in (-1, 1) (a stationary process)"));
  MIB_CHECK_THROWS(mib::VarTransferEntropy(true, 1, 0.5, 0.5, std::nan(""), "te"),
                   mib::InvalidArgument, Contains("the coupling c must be finite"));
  MIB_CHECK_THROWS(mib::GaussianTriple(1, 1, 0, Eigen::MatrixXd::Identity(2, 2), "g"),
                   mib::InvalidArgument, Contains("dim_x, dim_y and dim_z must be >= 1"));
  MIB_CHECK_THROWS(mib::DiscreteZGaussian(3, 1.0, "dz"), mib::InvalidArgument, Contains("rho"));
  const auto& catalog = mib::builtin_catalog();
  MIB_CHECK_THROWS(catalog.find("te-var-xy-0-0.5", "cfg"), mib::ConfigError, Contains("lag"));
  MIB_CHECK_THROWS(catalog.find("cmi-collider-1-1.5", "cfg"), mib::ConfigError, Contains("rho"));
  MIB_CHECK_THROWS(catalog.find("cmi-discrete-z-0-0.5", "cfg"), mib::ConfigError, Contains("m"));
}
