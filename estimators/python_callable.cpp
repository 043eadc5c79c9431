#include "estimators/python_callable.hpp"

#include "core/error.hpp"

namespace mib {

Estimate PythonCallableEstimator::estimate(MatrixRef, MatrixRef, Rng&) const {
  fail<ConfigError>("python", "the estimator " + quoted(params_.callable),
                    "run from Python, by mibench.run(config, estimators={label: f}) (the CLI "
                    "cannot call a Python function; it reads the rows of such a run)",
                    "run by the CLI");
}

}  // namespace mib
