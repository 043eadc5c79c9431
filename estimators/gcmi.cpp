#include "estimators/gcmi.hpp"

#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/special_functions/digamma.hpp>
#include <cmath>
#include <numeric>
#include <vector>

#include "estimators/gaussian.hpp"

namespace mib {

double entropy_bias(Eigen::Index d, Eigen::Index n) {
  const auto nn = static_cast<double>(n);
  double sum = static_cast<double>(d) * std::log(2.0 / (nn - 1));
  for (Eigen::Index i = 1; i <= d; ++i)
    sum += boost::math::digamma((nn - static_cast<double>(i)) / 2);
  return 0.5 * sum;
}

Matrix copula_normalise(MatrixRef m) {
  const Eigen::Index n = m.rows();
  const boost::math::normal standard;
  Matrix out(n, m.cols());
  std::vector<Eigen::Index> order(static_cast<std::size_t>(n));
  for (Eigen::Index c = 0; c < m.cols(); ++c) {
    std::iota(order.begin(), order.end(), Eigen::Index{0});
    std::sort(order.begin(), order.end(),
              [&](Eigen::Index a, Eigen::Index b) { return m(a, c) < m(b, c); });
    for (Eigen::Index i = 0; i < n;) {  // a run of ties [i, j) shares the average rank
      Eigen::Index j = i + 1;
      while (j < n &&
             m(order[static_cast<std::size_t>(j)], c) == m(order[static_cast<std::size_t>(i)], c))
        ++j;
      const double rank = 0.5 * static_cast<double>(i + 1 + j);  // mean of ranks i+1 … j
      const double score = boost::math::quantile(standard, rank / (static_cast<double>(n) + 1));
      for (Eigen::Index k = i; k < j; ++k) out(order[static_cast<std::size_t>(k)], c) = score;
      i = j;
    }
  }
  return out;
}

Estimate GcmiEstimator::estimate(MatrixRef x, MatrixRef y, Rng& /*rng*/) const {
  const Matrix cx = copula_normalise(x), cy = copula_normalise(y);
  double mi = gaussian_mi(cx, cy, "gcmi");
  const Eigen::Index n = x.rows(), dx = x.cols(), dy = y.cols();
  if (params_.bias_correct)
    mi += entropy_bias(dx + dy, n) - entropy_bias(dx, n) - entropy_bias(dy, n);
  return {mi, nlohmann::json::object()};
}

}  // namespace mib
