#pragma once
// The estimator seam: estimate(x, y) -> MI in nats.

#include <cstddef>
#include <nlohmann/json.hpp>

#include "core/matrix.hpp"
#include "core/rng.hpp"

namespace mib {

struct Estimate {
  double mi = 0;        ///< the estimate, in nats (raw: never clipped at 0)
  nlohmann::json info;  ///< diagnostics (steps, converged, ...); an object or null
};

class Estimator {
 public:
  virtual ~Estimator() = default;
  /// MI between the rows of x (n × dx) and y (n × dy), in nats. The harness has checked that
  /// both have the same n >= min_samples() rows, >= 1 column and only finite values.
  /// Randomised estimators draw only from rng. Throws mib::Error on inputs it cannot handle.
  virtual Estimate estimate(MatrixRef x, MatrixRef y, Rng& rng) const = 0;
  /// The smallest n this estimator accepts (e.g. k + 1 for k-NN estimators).
  virtual std::size_t min_samples() const { return 2; }
};

}  // namespace mib
