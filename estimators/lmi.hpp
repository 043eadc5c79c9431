#pragma once
// LMI, latent MI (G. Gowri, X.-K. Lun, A. M. Klein, P. Yin, "Approximating mutual information of
// high-dimensional variables using learned representations", NeurIPS 2024; the `latentmi`
// package, `lmi.estimate` with the AECross model). Each variable is standardised and clipped to
// ±10; a pair of autoencoders maps x and y to `latent`-dimensional codes z_x, z_y, trained on
//   α (‖D_xx(z_x) − x‖² + ‖D_yy(z_y) − y‖²) + λ (‖D_yx(z_y) − x‖² + ‖D_xy(z_x) − y‖²)
// (mean squared errors; the cross decoders D_yx, D_xy apply dropout before every layer), so each
// code keeps what predicts the other variable. Then KSG (algorithm 1, max-norm) on the codes of
// the held-out half; by data processing it estimates I(z_x; z_y) <= I(X; Y).
// Networks: encoders d → L → L/2 → L/4 → latent, decoders the reverse, leaky ReLU (slope 0.2)
// after every layer but the decoders' last (the encoders' codes pass through it too);
// L = 1024, or the largest power of two <= d when d > 2048; Xavier-uniform weights, zero
// biases; Adam (lr 1e-4, ε 1e-7), batches of 512 rows, up to 300 epochs, stopping when the
// validation loss has not improved for 30 epochs, keeping the best epoch's weights. (latentmi
// keeps PyTorch state_dict() references, which alias the live weights, so it in effect keeps the
// last epoch's; the intent, the best, is what runs here.) KSG uses k = 3, as the NPEET routine
// the paper's version calls (latentmi 0.1.3 passes k = 4). Results in nats (latentmi: bits).
// Diagnostics in info: epochs, stopped_early, best_epoch, validation_loss (per epoch),
// train_loss (per epoch); with `pointwise`, pmi and pmi_rows: the KSG terms of the held-out rows
// and their row numbers (their mean is the estimate).

#include <string>
#include <vector>

#include "estimators/estimator.hpp"
#include "estimators/preprocess.hpp"

namespace mib {

struct LmiParams {
  int latent = 8;           ///< code dimensions per variable
  std::vector<int> hidden;  ///< encoder widths, input side first; []: {L, L/2, L/4} (above)
  double alpha = 1;         ///< weight of the self-reconstruction losses
  double lambda = 1;        ///< weight of the cross-prediction losses
  double dropout = 0.5;     ///< dropout rate in the cross decoders
  int k = 3;                ///< KSG's neighbours on the codes
  double lr = 1e-4;
  int batch = 512;         ///< rows per step (the last batch of an epoch may be smaller)
  int epochs = 300;        ///< at most
  int patience = 30;       ///< epochs without a lower validation loss before stopping; 0: never
  double split = 0.5;      ///< fraction of rows that train; the rest validate and estimate
  double input_clip = 10;  ///< standardised inputs are clipped to ±input_clip; 0: off
  bool pointwise = false;  ///< also return the held-out rows' pointwise MI in info
  std::string precision = "float32";  ///< "float32" or "float64" in the networks
  CommonOptions common;
  template <class V>
  void visit(V& v) {
    v("latent", latent, "an integer in [1, 256]", [](int l) { return l >= 1 && l <= 256; });
    v("hidden", hidden, "a list of widths >= 1", [](const std::vector<int>& h) {
      for (int w : h)
        if (w < 1) return false;
      return true;
    });
    v("alpha", alpha, ">= 0 and finite", [](double a) { return a >= 0 && a < 1e300; });
    v("lambda", lambda, ">= 0 and finite", [](double l) { return l >= 0 && l < 1e300; });
    v("dropout", dropout, "in [0, 1)", [](double p) { return p >= 0 && p < 1; });
    v("k", k, "an integer >= 1", [](int value) { return value >= 1; });
    v("lr", lr, "> 0 and finite", [](double r) { return r > 0 && r < 1e300; });
    v("batch", batch, "an integer >= 1", [](int b) { return b >= 1; });
    v("epochs", epochs, "an integer >= 1", [](int e) { return e >= 1; });
    v("patience", patience, "an integer >= 0", [](int p) { return p >= 0; });
    v("split", split, "in [0.05, 0.95]", [](double s) { return s >= 0.05 && s <= 0.95; });
    v("input_clip", input_clip, ">= 0", [](double c) { return c >= 0; });
    v("pointwise", pointwise);
    v("precision", precision, "\"float32\" or \"float64\"",
      [](const std::string& p) { return p == "float32" || p == "float64"; });
    common.visit(v);
  }
};

class LmiEstimator final : public PreprocessingEstimator {
 public:
  using Params = LmiParams;
  explicit LmiEstimator(Params params)
      : PreprocessingEstimator(params.common), params_(std::move(params)) {}
  /// Enough rows that both parts are non-empty and the held-out codes have k + 1 rows.
  std::size_t min_samples() const override;

 private:
  Estimate estimate_core(const Sample& data, Rng& rng) const override;

  Params params_;
};

}  // namespace mib
