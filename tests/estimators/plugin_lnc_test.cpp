#include <algorithm>
#include <boost/math/special_functions/digamma.hpp>
#include <boost/random/uniform_01.hpp>
#include <catch2/catch.hpp>
#include <cmath>

#include "estimators/ksg.hpp"
#include "estimators/lnc.hpp"
#include "estimators/plugin.hpp"
#include "test_data.hpp"

namespace {
double run(const mib::Estimator& e, const mib::Matrix& x, const mib::Matrix& y) {
  mib::Rng rng(0);
  return e.estimate(x, y, rng).mi;
}
mib::Matrix column(std::initializer_list<double> v) {
  mib::Matrix m(static_cast<Eigen::Index>(v.size()), 1);
  Eigen::Index i = 0;
  for (double x : v) m(i++, 0) = x;
  return m;
}
}  // namespace

TEST_CASE("histogram: exact values on hand-computed examples", "[estimators][histogram]") {
  // Two equal-width bins: X and Y fall in the same halves, so H(X) = H(Y) = H(X, Y) = ln 2.
  const auto x = column({0, 0.2, 0.9, 1}), y = column({5, 5.1, 7, 7.5});
  mib::HistogramParams p;
  p.bins = 2;
  CHECK(run(mib::HistogramEstimator(p), x, y) == Approx(std::log(2.0)).epsilon(1e-14));
  // Miller–Madow adds (m − 1)/(2N) to each entropy: + 1/8 + 1/8 − 1/8.
  p.miller_madow = true;
  CHECK(run(mib::HistogramEstimator(p), x, y) == Approx(std::log(2.0) + 0.125).epsilon(1e-14));
  // Equal frequency on ranks: reversed order still pairs the halves; independent halves give 0.
  p.miller_madow = false;
  p.binning = "frequency";
  CHECK(run(mib::HistogramEstimator(p), column({1, 2, 3, 4}), column({4, 3, 2, 1})) ==
        Approx(std::log(2.0)).epsilon(1e-14));
  CHECK(run(mib::HistogramEstimator(p), column({1, 2, 3, 4}), column({1, 3, 2, 4})) ==
        Approx(0.0).margin(1e-15));
  // Cells are stored sparsely: 25 + 25 dimensions with 10 bins work (10^50 cells in principle).
  const auto s = mib::test::correlated(300, 25, 25, 0.5, 8);
  p.bins = 10;
  CHECK(std::isfinite(run(mib::HistogramEstimator(p), s.x, s.y)));
}

TEST_CASE("kde: equals the textbook formula computed directly", "[estimators][kde]") {
  const auto s = mib::test::correlated(60, 2, 1, 0.7, 9);
  for (const bool loo : {false, true}) {
    for (const bool gaussian : {true, false}) {
      // A fixed bandwidth on the raw values; wide enough for the tophat that every
      // leave-one-out ball holds another point (else ln 0: a NaN estimate, a failed cell).
      const double h = gaussian ? 0.6 : 1.5;
      mib::KdeParams p;
      p.kernel = gaussian ? "gaussian" : "tophat";
      p.bandwidth = gaussian ? "0.6" : "1.5";
      p.estimate = loo ? "leave-one-out" : "resubstitution";
      p.common.standardize = false;
      auto density = [&](const mib::Matrix& m, Eigen::Index i) {
        const double d = static_cast<double>(m.cols());
        double sum = 0;
        for (Eigen::Index j = 0; j < m.rows(); ++j) {
          if (loo && j == i) continue;
          const double r2 = (m.row(i) - m.row(j)).squaredNorm();
          sum += gaussian ? std::exp(-r2 / (2 * h * h)) / std::pow(2 * M_PI * h * h, d / 2)
                          : (r2 < h * h ? 1.0 : 0.0) /
                                (std::pow(M_PI, d / 2) / std::tgamma(1 + d / 2) * std::pow(h, d));
        }
        const double n = static_cast<double>(m.rows());
        return sum / (loo ? n - 1 : n);
      };
      mib::Matrix joint(60, 3);
      joint << s.x, s.y;
      double expected = 0;
      for (Eigen::Index i = 0; i < 60; ++i) {
        expected +=
            std::log(density(joint, i)) - std::log(density(s.x, i)) - std::log(density(s.y, i));
      }
      CAPTURE(loo, gaussian);
      CHECK(run(mib::KdeEstimator(p), s.x, s.y) == Approx(expected / 60).epsilon(1e-10));
    }
  }
}

TEST_CASE("lnc: recovers a large MI where KSG saturates (Y = X + 1e-7 U, N = 500)",
          "[estimators][lnc]") {
  // Gao, Ver Steeg & Galstyan 2015 / NPEET_LNC README: true MI ≈ 16.05 nats; KSG with k = 1
  // gives about 5.8 (bounded by ψ(N) − ψ(k)), LNC with k = 5, α = 0.25 about 15.9.
  mib::Rng rng(11);
  boost::random::uniform_01<double> u;
  mib::Matrix x(500, 1), y(500, 1);
  for (Eigen::Index i = 0; i < 500; ++i) {
    x(i, 0) = u(rng);
    y(i, 0) = x(i, 0) + 1e-7 * u(rng);
  }
  mib::KsgParams kp;
  kp.k = 1;
  const double ksg = run(mib::KsgEstimator(kp, mib::KsgEstimator::Algorithm::kFirst), x, y);
  mib::LncParams lp;
  lp.alpha = 0.25;
  const double lnc = run(mib::LncEstimator(lp), x, y);
  CAPTURE(ksg, lnc);
  CHECK(ksg < 7.0);
  CHECK(lnc == Approx(16.05).margin(0.5));
  // KSG knows it hit its ceiling ψ(N) − ψ(k) = ψ(500) − ψ(1) and says so.
  mib::Rng again(1);
  const auto e = mib::KsgEstimator(kp, mib::KsgEstimator::Algorithm::kFirst).estimate(x, y, again);
  REQUIRE(e.diagnostics.ceiling);
  CHECK(e.diagnostics.ceiling->value ==
        Approx(boost::math::digamma(500.0) - boost::math::digamma(1.0)).epsilon(1e-12));
  CHECK(e.mi <= e.diagnostics.ceiling->value + 1e-12);
  CHECK(e.diagnostics.saturated());
  const auto calm = mib::test::correlated(500, 1, 1, 0.5, 2);
  CHECK_FALSE(mib::KsgEstimator(kp, mib::KsgEstimator::Algorithm::kFirst)
                  .estimate(calm.x, calm.y, again)
                  .diagnostics.saturated());
  // The table's α for (d, k) and the errors.
  CHECK(mib::lnc_alpha_table(2, 5) == 0.3720);
  CHECK(mib::lnc_alpha_table(10, 20) == 0.3981);
  CHECK(mib::lnc_alpha_table(4, 5) == 0);
  const auto s = mib::test::correlated(100, 2, 2, 0.5, 1);
  CHECK_THROWS_WITH(run(mib::LncEstimator({}), s.x, s.y),
                    Catch::Contains("no value for d = 4, k = 5"));
  lp.k = 3;
  CHECK_THROWS_WITH(run(mib::LncEstimator(lp), s.x, s.y),
                    Catch::Contains("k must be > dx + dy = 4"));
}

TEST_CASE("lnc: equals KSG plus NPEET's correction computed by brute force", "[estimators][lnc]") {
  const auto s = mib::test::correlated(250, 1, 2, 0.9, 13);
  const int k = 5;
  const double alpha = 0.2;
  const Eigen::Index n = 250;
  mib::Matrix z(n, 3);
  z << s.x, s.y;
  auto dist = [](const mib::Matrix& m, Eigen::Index i, Eigen::Index j) {
    return (m.row(i) - m.row(j)).cwiseAbs().maxCoeff();
  };
  double psi_sum = 0, correction = 0;
  for (Eigen::Index i = 0; i < n; ++i) {
    std::vector<std::pair<double, Eigen::Index>> others;
    for (Eigen::Index j = 0; j < n; ++j) {
      if (j != i) others.emplace_back(dist(z, i, j), j);
    }
    std::sort(others.begin(), others.end());
    const double r = others[k - 1].first;
    int nx = 0, ny = 0;
    for (Eigen::Index j = 0; j < n; ++j) {
      if (j == i) continue;
      nx += dist(s.x, i, j) < r;
      ny += dist(s.y, i, j) < r;
    }
    psi_sum += boost::math::digamma(nx + 1) + boost::math::digamma(ny + 1);
    // NPEET: the point and its k neighbours, centred at the point; PCA box vs max-norm box.
    Eigen::MatrixXd delta(k + 1, 3);
    delta.row(0).setZero();
    for (int m = 0; m < k; ++m)
      delta.row(m + 1) = z.row(others[static_cast<std::size_t>(m)].second) - z.row(i);
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(delta.transpose() * delta / k);
    const double log_rect =
        (delta * eig.eigenvectors()).cwiseAbs().colwise().maxCoeff().array().log().sum();
    const double log_box = delta.cwiseAbs().colwise().maxCoeff().array().log().sum();
    if (log_rect < log_box + std::log(alpha)) correction += (log_box - log_rect) / n;
  }
  const double ksg = boost::math::digamma(k) + boost::math::digamma(double(n)) - psi_sum / n;
  mib::LncParams p;
  p.alpha = alpha;
  p.common.standardize = false;
  mib::Rng rng(0);
  const auto e = mib::LncEstimator(p).estimate(s.x, s.y, rng);
  CHECK(e.info["ksg"].get<double>() == Approx(ksg).margin(1e-12));
  CHECK(e.mi == Approx(ksg + correction).margin(1e-10));
  CHECK(correction > 0);
}
