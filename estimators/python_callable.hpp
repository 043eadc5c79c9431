#pragma once
// The registry's stand-in for a Python callable f(x, y, seed) that the Python package's
// mibench.run(config, estimators={label: f}) puts into a sweep (python/). The package replaces
// this entry's factory with one that calls the function; in the registry of the CLI the entry
// exists so that `mibench report`, `check` and `merge` read such a run folder (its config names
// the estimator {"name": "python", "params": {"callable": label, "function": qualname}}), and
// running it fails each cell with a message saying where it runs.

#include <string>

#include "estimators/estimator.hpp"

namespace mib {

struct PythonCallableParams {
  std::string callable;  ///< its key in mibench.run's `estimators` (the label)
  std::string function;  ///< the function's module.qualname, for the record
  template <class V>
  void visit(V& v) {
    v("callable", callable, "a string: the key of the function in mibench.run's estimators",
      [](const std::string&) { return true; });
    v("function", function, "a string: the function's module.qualname (a record)",
      [](const std::string&) { return true; });
  }
};

class PythonCallableEstimator final : public Estimator {
 public:
  using Params = PythonCallableParams;
  explicit PythonCallableEstimator(Params params) : params_(std::move(params)) {}
  /// Always throws ConfigError: the function lives in a Python process.
  Estimate estimate(MatrixRef x, MatrixRef y, Rng& rng) const override;

 private:
  Params params_;
};

}  // namespace mib
