#include "estimators/preprocess.hpp"

#include <boost/random/normal_distribution.hpp>

#include "core/standardize.hpp"

namespace mib {

Sample preprocess(MatrixRef x, MatrixRef y, const CommonOptions& options, Rng& rng) {
  Sample s{x, y};
  if (options.standardize) {
    standardize_columns(s.x);
    standardize_columns(s.y);
  }
  if (options.noise > 0) {
    boost::random::normal_distribution<double> normal(0.0, options.noise);
    for (Eigen::Index i = 0; i < s.x.size(); ++i) s.x.data()[i] += normal(rng);
    for (Eigen::Index i = 0; i < s.y.size(); ++i) s.y.data()[i] += normal(rng);
  }
  return s;
}

Estimate PreprocessingEstimator::estimate(MatrixRef x, MatrixRef y, Rng& rng) const {
  Estimate e = estimate_core(preprocess(x, y, common_, rng), rng);
  if (common_.clip && e.mi < 0) e.mi = 0;
  return e;
}

}  // namespace mib
