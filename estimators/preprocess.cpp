#include "estimators/preprocess.hpp"

#include <boost/random/normal_distribution.hpp>

#include "core/parallel.hpp"
#include "core/standardize.hpp"

namespace mib {

Sample preprocess(MatrixRef x, MatrixRef y, MatrixRef z, const CommonOptions& options, Rng& rng) {
  // Each variable copied and standardised on its own (x beside y and z with two threads or
  // more: the same arithmetic on each, so the same bits).
  Sample s;
  const auto prepare = [&](Matrix& out, MatrixRef in) {
    out = in;
    if (options.standardize) standardize_columns(out);
  };
  side_by_side(
      options.threads, [&](int) { prepare(s.x, x); },
      [&](int) {
        prepare(s.y, y);
        prepare(s.z, z);
      });
  if (options.noise > 0) {
    boost::random::normal_distribution<double> normal(0.0, options.noise);
    for (Matrix* m : {&s.x, &s.y, &s.z}) {
      for (Eigen::Index i = 0; i < m->size(); ++i) m->data()[i] += normal(rng);
    }
  }
  return s;
}

Estimate PreprocessingEstimator::estimate(MatrixRef x, MatrixRef y, Rng& rng) const {
  return estimate_conditional(x, y, Matrix(x.rows(), 0), rng);
}

Estimate PreprocessingEstimator::estimate_conditional(MatrixRef x, MatrixRef y, MatrixRef z,
                                                      Rng& rng) const {
  Estimate e = estimate_core(preprocess(x, y, z, common_, rng), rng);
  if (common_.clip && e.mi < 0) e.mi = 0;
  return e;
}

}  // namespace mib
