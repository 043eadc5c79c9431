#pragma once
// Synthetic images with exact MI (after Butakov et al., "Information bottleneck analysis of deep
// neural networks via lossy compression", ICLR 2024, and "Mutual information estimation via
// normalizing flows", NeurIPS 2024): a correlated Gaussian latent pair (ξ, η) with closed-form
// MI, each latent drawn into a grayscale image by a fixed, continuous, injective renderer, so
// I(X; Y) = I(ξ; η) exactly and the PMI of a pair of images is the latents' PMI, recovered by
// the renderer's exact inverse (decode).

#include "distributions/distribution.hpp"

namespace mib {

enum class Renderer {
  /// One Gaussian blob: centre (latents 1, 2), then a common width (3) or a width per axis
  /// (3, 4). Latent dimensions 2, 3 or 4.
  kBlobs,
  /// One axis-aligned rectangle, anti-aliased (a pixel's value is the area of it the rectangle
  /// covers): a square of side s/4 placed by latents 1, 2, or its four edges from latents 1–4
  /// (the low edges in (s/8, 3s/8), the high ones in (5s/8, 7s/8), so a fully covered row and
  /// column always exist). Latent dimensions 2 or 4.
  kRectangles
};

/// k latent pairs (ξ_i, η_i) ~ N(0, [[1, ρ], [ρ, 1]]) with ρ = √(1 − e^{−2·mi/k}), so
/// I(ξ; η) = −(k/2) ln(1 − ρ²) = mi; X = render(ξ), Y = render(η), s × s images flattened row by
/// row (dx = dy = s²). Every position and width is a fraction of s placed by Φ(latent); for
/// rectangles, whose pixels are areas, an image of size 2s pooled 2 × 2 is therefore exactly the
/// image of size s of the same latent. The latents are drawn before any pixel, in an order that
/// does not depend on s: one seed gives the same latents at every size.
class LatentImages final : public Distribution {
 public:
  /// InvalidArgument (naming `where`) unless 8 <= size <= 128, latent is one the renderer
  /// takes and 0 < mi <= 5 · latent.
  LatentImages(Renderer renderer, int size, int latent, double mi, const std::string& where);
  Dims dims() const override;
  GroundTruth mutual_information() const override { return {mi_, 0.0, "closed-form"}; }
  Sample sample(std::size_t n, Rng& rng) const override;
  /// The latents' PMI at decode(x), decode(y).
  std::optional<Eigen::VectorXd> pmi(const Sample& s) const override;

  /// n × latent latents → n × size² images.
  Matrix render(const Matrix& latents) const;
  /// The inverse of render: n × size² images of this renderer → n × latent latents.
  Matrix decode(const Matrix& images) const;
  /// The latent pairs' correlation ρ.
  double rho() const { return rho_; }

 private:
  Renderer renderer_;
  int size_, latent_;
  double mi_, rho_;
};

}  // namespace mib
