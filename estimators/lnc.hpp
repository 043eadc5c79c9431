#pragma once
// KSG with the local non-uniformity correction (S. Gao, G. Ver Steeg, A. Galstyan,
// "Efficient estimation of mutual information for strongly dependent variables",
// AISTATS 2015, eq. 9; as NPEET's mi(..., alpha > 0) computes it):
//   Î_LNC = Î_KSG1 − (1/N) Σ_{i ∈ S} ln(V̄_i / V_i),
// where, for the k-neighbourhood of point i in the joint space (its k nearest under the
// max-norm, and i itself, centred at i), V_i is the max-norm box volume Π_c max_j |Δ_jc| and
// V̄_i the volume of the PCA-aligned bounding box (principal axes of ΔᵀΔ/k), and S the points
// with ln V̄_i < ln V_i + ln α. Strongly dependent pairs lie near a lower-dimensional set,
// where KSG's boxes are mostly empty; LNC shrinks them. Defaults: k = 5; α from the authors'
// table (NPEET_LNC alpha.xlsx) for the joint dimension d ∈ {2, 3, 5, 10} and k up to 20
// (rows are d: PCA needs k > d); other (d, k) need an explicit alpha. The PCA box needs
// k > d: otherwise the estimate is an error (a failed cell), not a silent plain KSG.

#include "estimators/estimator.hpp"
#include "estimators/preprocess.hpp"

namespace mib {

struct LncParams {
  int k = 5;
  double alpha = 0;  ///< 0: the authors' table value for (d, k)
  CommonOptions common;
  template <class V>
  void visit(V& v) {
    v("k", k, "an integer >= 1", [](int value) { return value >= 1; });
    v("alpha", alpha, "in [0, 1) (0: the table value)", [](double a) { return a >= 0 && a < 1; });
    common.visit(v);
  }
};

/// The authors' α for joint dimension d and k, or 0 when not tabulated.
double lnc_alpha_table(int d, int k);

class LncEstimator final : public KnnEstimator {
 public:
  using Params = LncParams;
  explicit LncEstimator(Params params) : KnnEstimator(params.common, params.k), params_(params) {}

 private:
  /// Throws InvalidArgument when k <= dx + dy, or alpha is 0 and (dx + dy, k) is not in the
  /// table.
  Estimate estimate_core(const Sample& data, Rng& rng) const override;

  Params params_;
};

}  // namespace mib
