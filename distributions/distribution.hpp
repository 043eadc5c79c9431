#pragma once
// Joint laws of (X, Y) with known mutual information.

#include <Eigen/Dense>
#include <cstddef>
#include <optional>
#include <string>

#include "core/matrix.hpp"
#include "core/rng.hpp"

namespace mib {

/// True MI of a law, in nats. std_error is 0 and method "closed-form" for exact values;
/// for Monte Carlo truths it is the standard error of the mean PMI.
struct GroundTruth {
  double mi = 0;
  double std_error = 0;
  std::string method = "closed-form";
};

class Distribution {
 public:
  virtual ~Distribution() = default;
  /// {dx, dy}: the number of columns of x and y.
  virtual Dims dims() const = 0;
  /// I(X; Y) in nats.
  virtual GroundTruth mutual_information() const = 0;
  /// n i.i.d. draws: x is n × dx, y is n × dy. Same rng state ⇒ same bytes.
  virtual Sample sample(std::size_t n, Rng& rng) const = 0;
  /// Per-row pointwise MI, log p(x,y) − log p(x) − log p(y) in nats, where the density is
  /// known; its mean under the law is mutual_information().
  virtual std::optional<Eigen::VectorXd> pmi(const Sample& /*s*/) const { return std::nullopt; }
};

}  // namespace mib
