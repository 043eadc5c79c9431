#pragma once
// Joint laws of (X, Y) with known mutual information, and of (X, Y, Z) with known conditional
// mutual information: a law whose dims().z >= 1 has a conditioning variable, and then its
// mutual_information() is I(X; Y | Z) and its pmi() the conditional PMI
// ln p(x, y | z) − ln p(x | z) − ln p(y | z) (distributions/conditional.hpp).

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
  /// {dx, dy, dz}: the number of columns of x, y and z (dz = 0: no conditioning variable).
  virtual Dims dims() const = 0;
  /// I(X; Y) in nats.
  virtual GroundTruth mutual_information() const = 0;
  /// n draws: x is n × dx, y is n × dy, z is n × dz (empty when dz = 0). Same rng state ⇒
  /// same bytes.
  virtual Sample sample(std::size_t n, Rng& rng) const = 0;
  /// Per-row pointwise MI, log p(x,y) − log p(x) − log p(y) in nats, where the density is
  /// known; its mean under the law is mutual_information().
  virtual std::optional<Eigen::VectorXd> pmi(const Sample& /*s*/) const { return std::nullopt; }
  /// Whether the rows of a sample are independent draws (false for the windows of one
  /// simulated time series, e.g. transfer-entropy tasks: a mean over them has a larger
  /// standard error than an i.i.d. one).
  virtual bool independent_rows() const { return true; }
};

}  // namespace mib
