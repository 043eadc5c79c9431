#pragma once
// Estimators of the conditional mutual information I(X; Y | Z) (conditional() is true; the
// harness calls estimate_conditional with a z of >= 1 column). ψ is the digamma function, N
// the sample size; counts exclude the point; all distances are max-norm over the named
// coordinates, so the searches are the exact ones of estimators/knn/.
//
// ksg-cmi — S. Frenzel & B. Pompe, "Partial mutual information for coupling analysis of
//   multivariate time series", Phys. Rev. Lett. 99, 204101 (2007), eq. 4 (also Vejmelka &
//   Paluš, Phys. Rev. E 77, 026214, 2008): ε_i the distance to the k-th neighbour in the joint
//   (X, Y, Z) space, n_xz(i) = #{j ≠ i : ‖(x, z)_j − (x, z)_i‖ < ε_i} (strict, as KSG's
//   algorithm 1), n_yz and n_z alike;
//     Î = ψ(k) − ⟨ψ(n_xz + 1) + ψ(n_yz + 1) − ψ(n_z + 1)⟩.
//   With a constant Z (n_z = N − 1) it is KSG's algorithm 1. Ties among the joint neighbours
//   are broken by row index, and the harness refuses more than k rows sharing one (x, y, z)
//   value, as for `ksg`.
//
// mixed-ksg-cmi — O. C. Mesner & C. R. Shalizi, "Conditional mutual information estimation
//   for mixed, discrete and continuous data", IEEE Trans. Inf. Theory 67(1), 2021, as the
//   authors' code computes it (omesner/knncmi): ρ_i the k-th joint distance,
//   k̃_i = #{j ≠ i : ‖Δ(x, y, z)‖ <= ρ_i} (k on continuous data, more on ties or atoms),
//   n_xz(i) = #{j ≠ i : ‖Δ(x, z)‖ <= ρ_i} (non-strict), n_yz, n_z alike;
//     Î = ⟨ψ(k̃_i) − ψ(n_xz) − ψ(n_yz) + ψ(n_z)⟩.
//   Made for discrete or mixed coordinates (a discrete Z coded as numbers): ties are allowed.
//   The authors' code clips the mean at 0 by default; here the raw value is returned (`clip`
//   does that).
//
// gaussian-cmi — the CMI of the Gaussian fitted to the sample:
//   Î = ½ ln(det Ŝ_xz · det Ŝ_yz / (det Ŝ_z · det Ŝ_xyz)), Ŝ the sample covariance blocks.
//   Exact for Gaussian data as N → ∞; needs N > dx + dy + dz.
//
// gcmi-cmi — the Gaussian-copula version (Ince et al. 2017, as `gcmi`): every column of x, y
//   and z replaced by its normal scores, then gaussian-cmi, with each of the four Gaussian
//   entropies' bias correction (Î_c = Î − b(dx + dz) − b(dy + dz) + b(dz) + b(dx + dy + dz),
//   b the bias of `gcmi`). Invariant under a strictly increasing map of each column.
//
// chain:<estimator> — any estimator of I(X; Y) made conditional by the chain rule,
//   I(X; Y | Z) = I(X; (Y, Z)) − I(X; Z): two calls of the wrapped estimator on the same rng,
//   the first on x and [y z], the second on x and z (0 exactly when z is constant, as the
//   harness would give). Its bias is the difference of two biases of different size, so it
//   is labelled as what it is: `chain:infonce`, `chain:ksg:k=5`.

#include <memory>
#include <string>
#include <vector>

#include "estimators/estimator.hpp"
#include "estimators/preprocess.hpp"

namespace mib {

struct KsgCmiParams {
  int k = 3;  ///< neighbours in the joint (X, Y, Z) space
  CommonOptions common;
  template <class V>
  void visit(V& v) {
    v("k", k, "an integer >= 1", [](int value) { return value >= 1; });
    common.visit(v);
  }
};

class KsgCmiEstimator final : public KnnEstimator {
 public:
  using Params = KsgCmiParams;
  enum class Variant { kFrenzelPompe, kMesnerShalizi };
  KsgCmiEstimator(Params params, Variant variant)
      : KnnEstimator(params.common, {params.k, params.k, variant == Variant::kMesnerShalizi}),
        params_(params),
        variant_(variant) {}
  bool conditional() const override { return true; }

 private:
  Estimate estimate_core(const Sample& data, Rng& rng) const override;

  Params params_;
  Variant variant_;
};

struct GaussianCmiParams {
  template <class V>
  void visit(V& /*v*/) {}
};

class GaussianCmiEstimator final : public Estimator {
 public:
  using Params = GaussianCmiParams;
  explicit GaussianCmiEstimator(Params) {}
  bool conditional() const override { return true; }
  Estimate estimate(MatrixRef x, MatrixRef y, Rng& rng) const override;
  /// Throws InvalidArgument when n <= dx + dy + dz or a covariance block is singular.
  Estimate estimate_conditional(MatrixRef x, MatrixRef y, MatrixRef z, Rng& rng) const override;
};

struct GcmiCmiParams {
  bool bias_correct = true;  ///< subtract the entropies' small-sample bias (Ince et al.)
  template <class V>
  void visit(V& v) {
    v("bias_correct", bias_correct, "", [](bool) { return true; });
  }
};

class GcmiCmiEstimator final : public Estimator {
 public:
  using Params = GcmiCmiParams;
  explicit GcmiCmiEstimator(Params params) : params_(params) {}
  bool conditional() const override { return true; }
  Estimate estimate(MatrixRef x, MatrixRef y, Rng& rng) const override;
  Estimate estimate_conditional(MatrixRef x, MatrixRef y, MatrixRef z, Rng& rng) const override;

 private:
  Params params_;
};

/// ½ ln(det Ŝ_xz det Ŝ_yz / (det Ŝ_z det Ŝ_xyz)) (nats); InvalidArgument naming `where` when
/// n <= dx + dy + dz or a block is singular.
double gaussian_cmi(MatrixRef x, MatrixRef y, MatrixRef z, const std::string& where);

class ChainRuleEstimator final : public Estimator {
 public:
  /// Wraps an estimator of I(X; Y) (InvalidArgument if `inner` is itself conditional).
  explicit ChainRuleEstimator(std::shared_ptr<const Estimator> inner);
  bool conditional() const override { return true; }
  Estimate estimate(MatrixRef x, MatrixRef y, Rng& rng) const override;
  Estimate estimate_conditional(MatrixRef x, MatrixRef y, MatrixRef z, Rng& rng) const override;
  std::size_t min_samples() const override { return inner_->min_samples(); }
  std::size_t tie_limit() const override { return inner_->tie_limit(); }

 private:
  std::shared_ptr<const Estimator> inner_;
};

/// The spec prefix of the chain-rule wrapper: "chain:" + an estimator of I(X; Y).
inline constexpr const char* kChainPrefix = "chain:";

}  // namespace mib
