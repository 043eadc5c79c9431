#include "estimators/lnc.hpp"

#include <boost/math/special_functions/digamma.hpp>
#include <cmath>
#include <limits>
#include <vector>

#include "core/deadline.hpp"
#include "core/error.hpp"
#include "core/parallel.hpp"
#include "estimators/knn/digamma.hpp"
#include "estimators/knn/neighbors.hpp"

namespace mib {

double lnc_alpha_table(int d, int k) {
  // NPEET_LNC alpha.xlsx, read with rows = joint dimension d and columns = k = 3..20
  // (../shared/reference/estimators.md, section B); 0 where the sheet is empty.
  static const double table[4][18] = {
      {.1822, .2844, .3720, .4429, .5032, .5545, .5946, .6309, .6603, .6893, .7111, .7351, .7519,
       .7678, .7824, .7954, .8067, .8173},
      {0, .0778, .1673, .2501, .3203, .3845, .4420, .4900, .5322, .5686, .6040, .6366, .6602, .6840,
       .7062, .7248, .7436, .7573},
      {0, 0, 0, .0240, .0671, .1233, .1802, .2394, .2976, .3514, .4042, .4517, .4985, .5389, .5782,
       .6149, .6516, .6795},
      {0, 0, 0, 0, 0, 0, 0, 0, .00373, .01475, .03475, .06311, .1005, .1477, .2002, .2614, .3254,
       .3981}};
  const int dims[4] = {2, 3, 5, 10};
  if (k < 3 || k > 20) return 0;
  for (int r = 0; r < 4; ++r) {
    if (dims[r] == d) return table[r][k - 3];
  }
  return 0;
}

Estimate LncEstimator::estimate_core(const Sample& s, Rng&) const {
  using boost::math::digamma;
  const Eigen::Index n = s.x.rows(), d = s.x.cols() + s.y.cols();
  const int k = params_.k;
  require(k > d, "lnc", "k", "> dx + dy = " + std::to_string(d) + " (the PCA box needs it)", k);
  const double alpha = params_.alpha > 0 ? params_.alpha : lnc_alpha_table(static_cast<int>(d), k);
  require(alpha > 0, "lnc", "alpha",
          "given explicitly: the authors' table has no value for d = " + std::to_string(d) +
              ", k = " + std::to_string(k),
          0);
  const Matrix joint = hstack(s.x, s.y);
  const knn::Neighbors nb =
      knn::nearest(joint, k, knn::Metric::kMax, knn::Backend::kAuto, threads());
  const Eigen::VectorXd radius = nb.distance.col(k - 1);
  Eigen::VectorXi nx, ny;
  side_by_side(
      threads(),
      [&](int t) {
        nx = knn::count_within(s.x, radius, knn::Metric::kMax, true, knn::Backend::kAuto, t);
      },
      [&](int t) {
        ny = knn::count_within(s.y, radius, knn::Metric::kMax, true, knn::Backend::kAuto, t);
      });
  knn::CountDigamma psi;
  double sum = 0;
  for (Eigen::Index i = 0; i < n; ++i) sum += psi(nx(i) + 1) + psi(ny(i) + 1);
  const double dn = static_cast<double>(n);
  const double ksg = digamma(k) + digamma(dn) - sum / dn;

  // Each row's PCA box (rows split over threads), then the corrections summed in row order, so
  // the sum is the same bits whatever the thread count.
  std::vector<double> term(static_cast<std::size_t>(n), 0.0);
  std::vector<char> corrects(static_cast<std::size_t>(n), 0);
  parallel_for(n, threads(), [&](std::ptrdiff_t begin, std::ptrdiff_t end) {
    Eigen::MatrixXd delta(k + 1, d);
    for (Eigen::Index i = begin; i < end; ++i) {
      check_deadline();
      delta.row(0).setZero();  // the point itself, centred
      for (int m = 0; m < k; ++m) delta.row(m + 1) = joint.row(nb.index(i, m)) - joint.row(i);
      const Eigen::MatrixXd cov = delta.transpose() * delta / k;
      const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(cov);
      const double log_rect =
          (delta * eig.eigenvectors()).cwiseAbs().colwise().maxCoeff().array().log().sum();
      const double log_box = delta.cwiseAbs().colwise().maxCoeff().array().log().sum();
      const auto at = static_cast<std::size_t>(i);
      corrects[at] =
          std::isfinite(log_rect) && std::isfinite(log_box) && log_rect - log_box < std::log(alpha);
      term[at] = (log_box - log_rect) / dn;
    }
  });
  double correction = 0;
  int corrected = 0;
  for (std::size_t i = 0; i < term.size(); ++i) {
    if (!corrects[i]) continue;
    correction += term[i];
    ++corrected;
  }
  return {ksg + correction,
          {{"ksg", ksg}, {"correction", correction}, {"corrected", corrected}, {"alpha", alpha}}};
}

}  // namespace mib
