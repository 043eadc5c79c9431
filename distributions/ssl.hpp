#pragma once
// SSL-like laws with exact MI: two views of a shared latent, lifted to a high ambient
// dimension, and the invertible networks that make them nonlinear.

#include <cstdint>

#include "distributions/distribution.hpp"
#include "distributions/transforms.hpp"

namespace mib {

/// Content/style views (after von Kügelgen et al., NeurIPS 2021). Content c ~ N(0, I_kc); each
/// view v ∈ {1, 2} sees c_v = ρc + √(1 − ρ²)ε_v and its own style s_v ~ N(0, I_ks), of which the
/// first `shared` coordinates are the same in both views; z_v = (c_v, s_v) is lifted to
/// u_v = A_v z_v + σ η_v ∈ R^D with A_v a fixed full-rank D × k Gaussian matrix (k = kc + ks,
/// entries N(0, 1/k), drawn from `seed`). MI: u_v's part outside range(A_v) is noise independent
/// of everything, so I(U₁; U₂) = I(W₁; W₂) with W_v = A_v⁺U_v = z_v + e_v,
/// e_v ~ N(0, σ²(A_vᵀA_v)⁻¹) — a closed-form Gaussian MI in k + k dimensions, and the PMI of
/// (u₁, u₂) is that of (w₁, w₂).
class MultiView final : public Distribution {
 public:
  /// InvalidArgument (naming `where`) unless D >= kc + ks, kc >= 1, 0 <= shared <= ks,
  /// |ρ| < 1 and σ > 0.
  MultiView(int ambient, int content, int style, int shared, double rho, double sigma,
            std::uint64_t seed, const std::string& where);
  Dims dims() const override;
  GroundTruth mutual_information() const override { return {mi_, 0.0, "closed-form"}; }
  Sample sample(std::size_t n, Rng& rng) const override;
  std::optional<Eigen::VectorXd> pmi(const Sample& s) const override;

 private:
  int ambient_, content_, style_, shared_;
  double rho_, sigma_;
  Eigen::MatrixXd a_[2], pinv_[2];  // A_v and its pseudo-inverse (AᵀA)⁻¹Aᵀ
  Eigen::MatrixXd w_covariance_;    // Cov(w₁, w₂), 2k × 2k
  double mi_ = 0;
};

/// A random invertible network on `dim` columns: `depth` layers h ↦ asinh(W h + b) with
/// W = Q diag(s) (Q orthogonal from the QR factorisation of a Gaussian matrix, s uniform on
/// [0.5, 1.5]) and b ~ N(0, 0.1²), all drawn from `seed`. The inverse applies
/// h ↦ W⁻¹(sinh h − b) = diag(1/s) Qᵀ(sinh h − b) in reverse order.
TransformPtr invertible_network(int dim, int depth, std::uint64_t seed);

}  // namespace mib
