#pragma once
// Kraskov–Stögbauer–Grassberger k-NN estimators (A. Kraskov, H. Stögbauer, P. Grassberger,
// "Estimating mutual information", Phys. Rev. E 69, 066138, 2004). Joint space under the
// max-norm, marginals under the max-norm; the point itself is never counted.
//
// Algorithm 1 (eq. 8):  Î = ψ(k) + ψ(N) − ⟨ψ(n_x + 1) + ψ(n_y + 1)⟩, with r_i the distance
//   to the k-th joint neighbour and n_x(i) = #{j ≠ i : ‖x_j − x_i‖ < r_i} (strict), n_y alike.
// Algorithm 2 (eq. 9):  Î = ψ(k) − 1/k + ψ(N) − ⟨ψ(n_x) + ψ(n_y)⟩, with ε_x(i) the largest
//   x-distance among the k joint neighbours and n_x(i) = #{j ≠ i : ‖x_j − x_i‖ ≤ ε_x(i)}.
// Ties among joint neighbours at the k-th distance are broken by row index.
// Common options (standardize, noise, clip): estimators/preprocess.hpp.

#include <vector>

#include "estimators/estimator.hpp"
#include "estimators/preprocess.hpp"

namespace mib {

struct KsgParams {
  int k = 3;  ///< neighbours in the joint space
  CommonOptions common;
  template <class V>
  void visit(V& v) {
    v("k", k, "an integer >= 1", [](int value) { return value >= 1; });
    common.visit(v);
  }
};

class KsgEstimator final : public KnnEstimator {
 public:
  using Params = KsgParams;
  enum class Algorithm { kFirst = 1, kSecond = 2 };
  KsgEstimator(Params params, Algorithm algorithm)
      : KnnEstimator(params.common, params.k), params_(params), algorithm_(algorithm) {}

 private:
  Estimate estimate_core(const Sample& data, Rng& rng) const override;

  Params params_;
  Algorithm algorithm_;
};

/// The KSG estimate from the marginal counts of its neighbour search (knn::ksg_counts over N
/// rows), with its ceiling ψ(N) − ψ(k) (algorithm 2: − 1/k) and the saturation flag `ksg`
/// reports; `terms`, when not null, receives each row's term (their mean is the estimate).
struct KsgValue {
  double mi;
  Ceiling ceiling;
};
KsgValue ksg_value(const Eigen::VectorXi& nx, const Eigen::VectorXi& ny, int k,
                   KsgEstimator::Algorithm algorithm, std::vector<double>* terms = nullptr);

}  // namespace mib
