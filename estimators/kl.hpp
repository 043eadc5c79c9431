#pragma once
// Three-entropy k-NN estimate: Î = Ĥ(X) + Ĥ(Y) − Ĥ(X, Y), each entropy by the
// Kozachenko–Leonenko estimator (Kozachenko & Leonenko 1987; Kraskov et al. 2004, eq. 20):
//   Ĥ = ψ(N) − ψ(k) + ln V_d + (d/N) Σ_i ln r_i,
// with r_i the distance from point i to its k-th nearest neighbour in that space and V_d the
// volume of the unit-radius ball of the norm. Convention used here, consistently in all three
// terms: max-norm, RADIUS r_i (not the diameter), V_d = 2^d. (Mixing radius with a unit-
// diameter volume is a known bug; see ComplexityMeasures.jl #66.) Unlike KSG, the three
// entropies use different k-th distances, so their biases do not cancel.
// Duplicate points give r_i = 0 and ln 0: the estimate is then −inf/NaN (a failed cell).

#include "estimators/estimator.hpp"
#include "estimators/preprocess.hpp"

namespace mib {

struct KlParams {
  int k = 3;
  CommonOptions common;
  template <class V>
  void visit(V& v) {
    v("k", k, "an integer >= 1", [](int value) { return value >= 1; });
    common.visit(v);
  }
};

/// Kozachenko–Leonenko entropy of the rows of `points` in nats (max-norm, radius convention).
double kozachenko_leonenko_entropy(MatrixRef points, int k, int threads = 1);

class KlEstimator final : public KnnEstimator {
 public:
  using Params = KlParams;
  explicit KlEstimator(Params params) : KnnEstimator(params.common, params.k), params_(params) {}

 private:
  Estimate estimate_core(const Sample& data, Rng& rng) const override;

  Params params_;
};

}  // namespace mib
