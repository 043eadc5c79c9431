#include "estimators/gaussian.hpp"

#include <catch2/catch.hpp>
#include <cmath>

#include "core/error.hpp"
#include "test_data.hpp"

TEST_CASE("gaussian: exact value on a hand-computed 4-point example", "[estimators][gaussian]") {
  // x = (1,−1,1,−1), y = (1,−1,0,0): Sxx = 4/3, Syy = 2/3, Sxy = 2/3, ρ² = 1/2, Î = ½ ln 2.
  mib::Matrix x(4, 1), y(4, 1);
  x << 1, -1, 1, -1;
  y << 1, -1, 0, 0;
  mib::Rng rng(0);
  CHECK(mib::GaussianEstimator({}).estimate(x, y, rng).mi ==
        Approx(0.5 * std::log(2.0)).epsilon(1e-13));
}

TEST_CASE("gaussian: equals the CCA form, the sum of −½ ln(1 − ρᵢ²)", "[estimators][gaussian]") {
  const auto s = mib::test::correlated(500, 3, 2, 0.6, 3);
  // Canonical correlations: singular values of Sxx^{-1/2} Sxy Syy^{-1/2}.
  Eigen::MatrixXd z(500, 5);
  z << s.x, s.y;
  z.rowwise() -= z.colwise().mean();
  const Eigen::MatrixXd c = z.transpose() * z;
  auto inv_sqrt = [](const Eigen::MatrixXd& m) {
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(m);
    return es.operatorInverseSqrt();
  };
  const Eigen::MatrixXd k = inv_sqrt(c.topLeftCorner(3, 3)) * c.topRightCorner(3, 2) *
                            inv_sqrt(c.bottomRightCorner(2, 2));
  const Eigen::VectorXd rho = Eigen::JacobiSVD<Eigen::MatrixXd>(k).singularValues();
  const double cca = (-0.5 * (1 - rho.array().square()).log()).sum();
  mib::Rng rng(0);
  CHECK(mib::GaussianEstimator({}).estimate(s.x, s.y, rng).mi == Approx(cca).epsilon(1e-10));
}

TEST_CASE("gaussian: a singular covariance or too few samples throw", "[estimators][gaussian]") {
  mib::Matrix x(5, 2), y(5, 1);
  x << 1, 2, 2, 4, 3, 6, 4, 8, 5, 10;  // second column = 2 × first
  y << 1, 0, 1, 0, 1;
  mib::Rng rng(0);
  CHECK_THROWS_AS(mib::GaussianEstimator({}).estimate(x, y, rng), mib::InvalidArgument);
  CHECK_THROWS_WITH(mib::GaussianEstimator({}).estimate(x.topRows(3), y.topRows(3), rng),
                    Catch::Contains("n must be > dx + dy"));
}
