// The SSL-like families: multi-view content/style tasks and noisy linear-Gaussian encoders.
#include <boost/random/normal_distribution.hpp>

#include "core/rng.hpp"
#include "distributions/digits.hpp"
#include "distributions/family_helpers.hpp"
#include "distributions/images.hpp"
#include "distributions/ssl.hpp"
#include "distributions/transformed.hpp"

namespace mib::families {
namespace {

struct MultiViewParams {
  int dim = 16;        ///< ambient dimension D of each view
  int content = 4;     ///< kc
  int style = 4;       ///< ks per view
  int shared = 0;      ///< style coordinates the views share
  double rho = 0.9;    ///< content correlation of each view with c
  double sigma = 0.1;  ///< ambient noise
  int depth = 2;       ///< invertible layers per view (0: linear views)
  int seed = 0;        ///< fixes the lifts and the networks
  template <class V>
  void visit(V& v) {
    v("dim", dim, "in [content + style, 4096]", [](int d) { return d >= 1 && d <= 4096; });
    v("content", content, "in [1, 4096]", [](int c) { return c >= 1 && c <= 4096; });
    v("style", style, "in [0, 4096]", [](int s) { return s >= 0 && s <= 4096; });
    v("shared", shared, "in [0, style]", [](int s) { return s >= 0; });
    v("rho", rho, "in (-1, 1)", open_unit);
    v("sigma", sigma, "> 0", is_positive);
    v("depth", depth, "in [0, 16]", [](int d) { return d >= 0 && d <= 16; });
    v("seed", seed, ">= 0", [](int s) { return s >= 0; });
  }
};
Task multiview_task(const MultiViewParams& p, const std::string& id, const std::string& where) {
  auto views = std::make_shared<MultiView>(p.dim, p.content, p.style, p.shared, p.rho, p.sigma,
                                           static_cast<std::uint64_t>(p.seed), where);
  std::shared_ptr<const Distribution> law = views;
  if (p.depth > 0) {
    const auto seed = static_cast<std::uint64_t>(p.seed);
    law = std::make_shared<Transformed>(
        views, invertible_network(p.dim, p.depth, derive_seed(seed, "x")),
        invertible_network(p.dim, p.depth, derive_seed(seed, "y")), where);
  }
  return {id, "",
          "closed form: Gaussian MI of the projected latents (invariant under the networks)", law};
}

// X ~ N(0, I_d); Z_1 = W_1 X + σε_1, Z_l = W_l Z_{l−1} + σε_l (width w, W_l entries
// N(0, 1/fan-in) from the seed). Z_l = M X + noise of covariance N, so
// I(X; Z_l) = ½ ln det(I + M Mᵀ N⁻¹) (Σ_X = I) — the information plane of a stack of noisy
// linear layers as σ varies. With depth > 0 the observed representation is g(Z_l), g a random
// invertible network (asinh activations between invertible square layers, ssl.hpp): the MI is
// unchanged and the PMI comes through g⁻¹. The activations act on the layer's output only:
// fed into the next layer, Z_{l+1} = W f(Z_l) + σε would no longer be Gaussian given X, and
// I(X; Z_{l+1}) has no closed form (nor an exact PMI to average).
struct EncoderParams {
  int dim = 10;        ///< d, the dimension of X
  int width = 10;      ///< w, every layer's width
  int layer = 1;       ///< l: Y = Z_l
  double sigma = 0.5;  ///< noise added at every layer
  int depth = 0;       ///< invertible activation layers applied to Z_l (0: Y = Z_l)
  int seed = 0;
  template <class V>
  void visit(V& v) {
    v("dim", dim, "in [1, 4096]", [](int d) { return d >= 1 && d <= 4096; });
    v("width", width, "in [1, 4096]", [](int w) { return w >= 1 && w <= 4096; });
    v("layer", layer, "in [1, 32]", [](int l) { return l >= 1 && l <= 32; });
    v("sigma", sigma, "> 0", is_positive);
    v("depth", depth, "in [0, 16]", [](int d) { return d >= 0 && d <= 16; });
    v("seed", seed, ">= 0", [](int s) { return s >= 0; });
  }
};
Task encoder_task(const EncoderParams& p, const std::string& id, const std::string& where) {
  const auto seed = static_cast<std::uint64_t>(p.seed);
  Rng rng(derive_seed(seed, "noisy-encoder"));
  boost::random::normal_distribution<double> normal;
  Eigen::MatrixXd m = Eigen::MatrixXd::Identity(p.dim, p.dim);  // Z_l = M X + noise
  Eigen::MatrixXd noise = Eigen::MatrixXd::Zero(p.dim, p.dim);
  for (int l = 1; l <= p.layer; ++l) {
    const Eigen::Index in = m.rows();
    Eigen::MatrixXd w(p.width, in);
    for (Eigen::Index i = 0; i < w.rows(); ++i)
      for (Eigen::Index j = 0; j < in; ++j)
        w(i, j) = normal(rng) / std::sqrt(static_cast<double>(in));
    m = w * m;
    noise =
        w * noise * w.transpose() + p.sigma * p.sigma * Eigen::MatrixXd::Identity(p.width, p.width);
  }
  Eigen::MatrixXd c(p.dim + p.width, p.dim + p.width);
  c.topLeftCorner(p.dim, p.dim).setIdentity();
  c.topRightCorner(p.dim, p.width) = m.transpose();
  c.bottomLeftCorner(p.width, p.dim) = m;
  c.bottomRightCorner(p.width, p.width) = m * m.transpose() + noise;
  std::shared_ptr<const Distribution> law =
      std::make_shared<MultivariateNormal>(size(p.dim), size(p.width), c, where);
  if (p.depth > 0) {
    law = std::make_shared<Transformed>(
        law, nullptr, invertible_network(p.width, p.depth, derive_seed(seed, "activations")),
        where);
  }
  return {id, "",
          p.depth > 0 ? "closed form: 1/2 ln det(I + M M^T N^-1) (linear-Gaussian encoder; "
                        "invariant under the invertible output network)"
                      : "closed form: 1/2 ln det(I + M M^T N^-1) (linear-Gaussian encoder)",
          law};
}

struct DigitParams {
  int cells = 1;       ///< c: the image is a grid of c digits
  int classes = 10;    ///< K
  double p = 0.1;      ///< the label channel's error
  double sigma = 8.0;  ///< pixel noise (pixels are 0..16; MI falls from the labels' at σ <~ 4)
  template <class V>
  void visit(V& v) {
    v("cells", cells, "in [1, 64]", [](int c) { return c >= 1 && c <= 64; });
    v("classes", classes, "in [2, 10]", [](int k) { return k >= 2 && k <= 10; });
    v("p", p, "in [0, 1)", [](double q) { return q >= 0 && q < 1; });
    v("sigma", sigma, "> 0", is_positive);
  }
};
Task digit_task(const DigitParams& p, const std::string& id, const std::string& where) {
  return {id, "",
          "Monte Carlo mean of the exact PMI (Gaussian mixtures over the digit images, 20000 "
          "draws per cell)",
          std::make_shared<DigitPairs>(p.cells, p.classes, p.p, p.sigma, where)};
}

struct ImageParams {
  int size = 32;    ///< s: the images are s × s
  int latent = 2;   ///< k: latent dimensions per view
  double mi = 1.0;  ///< I(ξ; η) = I(X; Y), nats
  template <class V>
  void visit(V& v) {
    v("size", size, "in [8, 128]", [](int s) { return s >= 8 && s <= 128; });
    v("latent", latent, "in [2, 4]", [](int k) { return k >= 2 && k <= 4; });
    v("mi", mi, "> 0 (nats)", is_positive);
  }
};
template <Renderer R>
Task image_task(const ImageParams& p, const std::string& id, const std::string& where) {
  return {id, "", "closed form: -(k/2) ln(1 - rho^2) of the latents (the renderer is injective)",
          std::make_shared<LatentImages>(R, p.size, p.latent, p.mi, where)};
}

}  // namespace

void register_ssl_families(Adder& add) {
  add("multiview", "multiview-{dim}-{content}-{style}-{shared}-{rho}-{sigma}-{depth}-{seed}",
      "two views of a content latent (correlation rho^2 across views) plus per-view style, lifted "
      "to dim by a random full-rank map plus noise sigma, then a random invertible network of "
      "depth layers per view",
      multiview_task);
  add("noisy-encoder", "noisy-encoder-{dim}-{width}-{layer}-{sigma}-{depth}-{seed}",
      "X ~ N(0, I_dim) and Y the output of layer `layer` of a stack of noisy linear layers (width, "
      "noise sigma), through `depth` invertible activation layers",
      encoder_task);
  add("digit-pairs", "digit-pairs-{cells}-{classes}-{p}-{sigma}",
      "two views of c real 8x8 digits whose labels pass a symmetric channel with error p (UCI "
      "digits, disjoint image halves per view), pixel noise sigma",
      digit_task);
  add("image-blobs", "image-blobs-{size}-{latent}-{mi}",
      "size x size images of one Gaussian blob whose centre (and width) are drawn from a latent "
      "of `latent` dims; the two views' latents are Gaussian pairs with I = mi",
      image_task<Renderer::kBlobs>);
  add("image-rectangles", "image-rectangles-{size}-{latent}-{mi}",
      "size x size anti-aliased images of one rectangle (latent 4: its corners; latent 2: a "
      "square's position) drawn from a latent; the two views' latents are Gaussian pairs with "
      "I = mi",
      image_task<Renderer::kRectangles>);
}

}  // namespace mib::families
