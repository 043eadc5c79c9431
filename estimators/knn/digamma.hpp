#pragma once
// ψ of neighbour counts, memoised.

#include <boost/math/special_functions/digamma.hpp>
#include <cmath>
#include <limits>
#include <vector>

namespace mib::knn {

/// boost::math::digamma at integers, each value computed once per object: a k-NN estimator
/// takes ψ of n counts drawn from a far smaller set of values, and Boost evaluates ψ in long
/// double (~0.1 µs a call). The same bits as calling boost::math::digamma(m), errors included.
class CountDigamma {
 public:
  double operator()(int m) {
    if (m < 0) return boost::math::digamma(m);
    const auto u = static_cast<std::size_t>(m);
    if (u >= values_.size()) values_.resize(u + 1, std::numeric_limits<double>::quiet_NaN());
    double& value = values_[u];
    if (std::isnan(value)) value = boost::math::digamma(m);
    return value;
  }

 private:
  std::vector<double> values_;  // NaN: not computed yet
};

}  // namespace mib::knn
