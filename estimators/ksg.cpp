#include "estimators/ksg.hpp"

#include <boost/math/special_functions/digamma.hpp>

#include "estimators/knn/neighbors.hpp"

namespace mib {

Estimate KsgEstimator::estimate(MatrixRef x, MatrixRef y, Rng& /*rng*/) const {
  using boost::math::digamma;
  const Eigen::Index n = x.rows();
  const int k = params_.k;
  Matrix joint(n, x.cols() + y.cols());
  joint << x, y;  // max-norm of the concatenation = max(‖Δx‖∞, ‖Δy‖∞)
  const knn::Neighbors nb = knn::nearest(joint, k, knn::Metric::kMax);

  Eigen::VectorXi nx, ny;
  double base = digamma(k) + digamma(static_cast<double>(n));
  int shift = 0;  // the argument of ψ is n_x + shift
  if (algorithm_ == Algorithm::kFirst) {
    const Eigen::VectorXd radius = nb.distance.col(k - 1);
    nx = knn::count_within(x, radius, knn::Metric::kMax, /*strict=*/true);
    ny = knn::count_within(y, radius, knn::Metric::kMax, /*strict=*/true);
    shift = 1;
  } else {
    Eigen::VectorXd ex = Eigen::VectorXd::Zero(n), ey = Eigen::VectorXd::Zero(n);
    for (Eigen::Index i = 0; i < n; ++i) {
      for (int m = 0; m < k; ++m) {
        const Eigen::Index j = nb.index(i, m);
        ex(i) = std::max(ex(i), knn::distance(x, i, j, knn::Metric::kMax));
        ey(i) = std::max(ey(i), knn::distance(y, i, j, knn::Metric::kMax));
      }
    }
    nx = knn::count_within(x, ex, knn::Metric::kMax, /*strict=*/false);
    ny = knn::count_within(y, ey, knn::Metric::kMax, /*strict=*/false);
    base -= 1.0 / k;
  }
  double sum = 0;
  for (Eigen::Index i = 0; i < n; ++i) {
    sum += digamma(nx(i) + shift) + digamma(ny(i) + shift);
  }
  return {base - sum / static_cast<double>(n),
          {{"mean_nx", nx.cast<double>().mean()}, {"mean_ny", ny.cast<double>().mean()}}};
}

}  // namespace mib
