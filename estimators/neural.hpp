#pragma once
// The neural (variational) MI estimators: infonce, nwj, dv, mine, js, smile (a trained critic
// and a bound, bounds.hpp) and doe (difference of entropies, doe.cpp). Training follows bmi's
// protocol (Czyż et al., "Beyond Normal", NeurIPS 2023), so the defaults compare with theirs:
// standardise; split train/test ½; batches of 256 drawn without replacement; Adam (lr 0.1);
// up to 10 000 steps; the bound on the whole test half every 250 steps; stop when the test
// value has not improved for 2 evaluations; the estimate is the best test value.
// Diagnostics in Estimate::info: steps, stopped_early, best_step, test_curve ([[step, value],
// ...]), and for infonce the ceiling ln K with a `saturated` flag (within 0.1 nats of it).
// The network runs in float32 by default (precision: "float64" for checks); the same data and
// rng give the same bits on every machine and thread count.

#include <string>
#include <vector>

#include "estimators/estimator.hpp"
#include "estimators/neural/bounds.hpp"
#include "estimators/neural/critic.hpp"
#include "estimators/preprocess.hpp"

namespace mib {

/// The training protocol shared by every neural estimator.
struct NeuralProtocol {
  double lr = 0.1;       ///< Adam's learning rate (β = 0.9, 0.999; ε = 1e-8)
  int batch = 256;       ///< rows per training step; at most the training half
  int steps = 10000;     ///< training steps at most
  double split = 0.5;    ///< fraction of rows used for training; the rest is the test set
  int eval_every = 250;  ///< steps between test evaluations
  int patience = 2;      ///< stop after this many evaluations without improvement; 0: never
  std::string precision = "float32";  ///< "float32" or "float64" arithmetic in the network
  CommonOptions common;               ///< standardize (default on), noise, clip, threads
  template <class V>
  void visit(V& v) {
    v("lr", lr, "> 0 and finite", [](double r) { return r > 0 && r < 1e300; });
    v("batch", batch, "an integer >= 2", [](int b) { return b >= 2; });
    v("steps", steps, "an integer >= 1", [](int s) { return s >= 1; });
    v("split", split, "in [0.05, 0.95]", [](double s) { return s >= 0.05 && s <= 0.95; });
    v("eval_every", eval_every, "an integer >= 1", [](int e) { return e >= 1; });
    v("patience", patience, "an integer >= 0", [](int p) { return p >= 0; });
    v("precision", precision, "\"float32\" or \"float64\"",
      [](const std::string& p) { return p == "float32" || p == "float64"; });
    common.visit(v);
  }
  /// The smallest n whose training part holds a batch and whose test part has 2 rows.
  std::size_t min_samples() const;
};

/// A neural estimator: its protocol's common options (PreprocessingEstimator) and the rows the
/// protocol needs.
class NeuralEstimator : public PreprocessingEstimator {
 public:
  std::size_t min_samples() const override { return min_samples_; }

 protected:
  explicit NeuralEstimator(const NeuralProtocol& protocol)
      : PreprocessingEstimator(protocol.common), min_samples_(protocol.min_samples()) {}

 private:
  std::size_t min_samples_;
};

/// The critic and protocol of the critic-based bounds.
struct VariationalParams {
  neural::CriticKind critic = neural::CriticKind::kConcat;  ///< f([x, y]) or g(x)ᵀh(y)
  std::vector<int> hidden;  ///< hidden widths; []: neural::default_hidden(critic)
  int embed = 32;           ///< separable: embedding width
  neural::Activation activation = neural::Activation::kRelu;
  NeuralProtocol protocol;
  template <class V>
  void visit(V& v) {
    v("critic", critic);
    v("hidden", hidden, neural::kHiddenRule, [](const std::vector<int>& h) {
      for (int w : h)
        if (w < 1) return false;
      return true;
    });
    v("embed", embed, "an integer >= 1", [](int e) { return e >= 1; });
    v("activation", activation);
    protocol.visit(v);
  }
};

struct MineParams {
  VariationalParams variational;
  double alpha = 0.9;  ///< weight of the past in the moving average of the denominator
  template <class V>
  void visit(V& v) {
    variational.visit(v);
    v("alpha", alpha, "in (0, 1)", [](double a) { return a > 0 && a < 1; });
  }
};

struct SmileParams {
  VariationalParams variational;
  double tau = 5;  ///< clip of the off-diagonal scores, [−τ, τ]
  template <class V>
  void visit(V& v) {
    variational.visit(v);
    v("tau", tau, "> 0", [](double t) { return t > 0; });
  }
};

/// infonce, nwj, dv, js: a critic trained on the bound's objective (bounds.hpp).
class VariationalEstimator final : public NeuralEstimator {
 public:
  using Params = VariationalParams;
  VariationalEstimator(Params params, neural::Bound bound)
      : NeuralEstimator(params.protocol), params_(std::move(params)), bound_(bound) {}

 private:
  Estimate estimate_core(const Sample& data, Rng& rng) const override;

  Params params_;
  neural::Bound bound_;
};

/// smile: trained as js, evaluated as dv with scores clipped to [−τ, τ].
class SmileEstimator final : public NeuralEstimator {
 public:
  using Params = SmileParams;
  explicit SmileEstimator(Params params)
      : NeuralEstimator(params.variational.protocol), params_(std::move(params)) {}

 private:
  Estimate estimate_core(const Sample& data, Rng& rng) const override;

  Params params_;
};

/// MINE (Belghazi et al., ICML 2018, §3.2): the dv bound on K paired and K shuffled pairs,
/// trained with the bias-corrected gradient ∇E_p[T] − ∇E_q[e^T] / m̄, where m̄ is a moving
/// average (weight α on the past) of the batch means E_q[e^T], kept in log space. The average
/// starts at the first batch's mean (bmi starts it at 0, which makes the first step's
/// correction 1/(1 − α) = 10). Test value: dv on the test half against one shuffle of its y.
class MineEstimator final : public NeuralEstimator {
 public:
  using Params = MineParams;
  explicit MineEstimator(Params params)
      : NeuralEstimator(params.variational.protocol), params_(std::move(params)) {}

 private:
  Estimate estimate_core(const Sample& data, Rng& rng) const override;

  Params params_;
};

/// DoE, the difference of entropies (McAllester & Stratos, AISTATS 2020, §8):
/// Î = H_q(Y) − H_p(Y|X), each a cross-entropy on the test half: q(y) a diagonal Gaussian
/// with learnt mean and log-variance, p(y|x) a diagonal Gaussian whose mean and log-variance
/// an MLP computes from x. Both are trained on the sum of the two cross-entropies. Not a bound
/// (it can exceed ln N). Early stopping watches the test loss (the model choice), and the
/// estimate is the test value at the smallest test loss.
struct DoeParams {
  std::vector<int> hidden{64, 64};
  neural::Activation activation = neural::Activation::kRelu;
  NeuralProtocol protocol = [] {
    NeuralProtocol p;
    p.lr = 0.01;
    return p;
  }();
  template <class V>
  void visit(V& v) {
    v("hidden", hidden, "a list of widths >= 1", [](const std::vector<int>& h) {
      for (int w : h)
        if (w < 1) return false;
      return true;
    });
    v("activation", activation);
    protocol.visit(v);
  }
};

class DoeEstimator final : public NeuralEstimator {
 public:
  using Params = DoeParams;
  explicit DoeEstimator(Params params)
      : NeuralEstimator(params.protocol), params_(std::move(params)) {}

 private:
  Estimate estimate_core(const Sample& data, Rng& rng) const override;

  Params params_;
};

}  // namespace mib
