#pragma once
// The estimator seam: estimate(x, y) -> MI in nats.

#include <cstddef>
#include <nlohmann/json.hpp>

#include "core/cell_result.hpp"
#include "core/matrix.hpp"
#include "core/rng.hpp"

namespace mib {

struct Estimate {
  Estimate() = default;
  Estimate(double mi_, nlohmann::json info_ = nlohmann::json(), Diagnostics diagnostics_ = {})
      : mi(mi_), info(std::move(info_)), diagnostics(std::move(diagnostics_)) {}
  double mi = 0;            ///< the estimate, in nats (raw: never clipped at 0)
  nlohmann::json info;      ///< other diagnostics (steps, converged, ...); an object or null
  Diagnostics diagnostics;  ///< the ones other layers read: ceiling/saturation, test curve
};

class Estimator {
 public:
  virtual ~Estimator() = default;
  /// MI between the rows of x (n × dx) and y (n × dy), in nats. The harness has checked that
  /// both have the same n >= min_samples() rows, >= 1 column and only finite values.
  /// Randomised estimators draw only from rng. Throws mib::Error on inputs it cannot handle.
  virtual Estimate estimate(MatrixRef x, MatrixRef y, Rng& rng) const = 0;
  /// Whether this estimator estimates the conditional MI I(X; Y | Z) (estimate_conditional)
  /// instead of I(X; Y) (estimate). The harness calls the one that matches and refuses a
  /// conditioning variable given to an MI estimator, or none given to a conditional one.
  virtual bool conditional() const { return false; }
  /// I(X; Y | Z) between the rows of x and y given the rows of z (n × dz, dz >= 1), in nats,
  /// under the preconditions of estimate() for x, y and z. Only conditional estimators
  /// override it; the default throws InvalidArgument.
  virtual Estimate estimate_conditional(MatrixRef x, MatrixRef y, MatrixRef z, Rng& rng) const;
  /// The smallest n this estimator accepts (e.g. k + 1 for k-NN estimators).
  virtual std::size_t min_samples() const { return 2; }
  /// For estimators that assume continuous data (the k-NN ones): the k of the joint
  /// neighbour search while their input can keep its ties (no `noise`); 0 otherwise. The
  /// harness refuses data in which more than this many rows share one (x, y) value: the k-th
  /// neighbour distance is 0 there and the estimate is undefined (KSG on 2000 identical rows
  /// returned 9.68 nats, above its own ceiling of 6.68).
  virtual std::size_t tie_limit() const { return 0; }
};

}  // namespace mib
