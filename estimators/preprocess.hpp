#pragma once
// Options shared by the non-parametric estimators, and the preprocessing they imply:
//   standardize (default on): each column of x and of y to mean 0, population sd 1 — k-NN
//     estimators are not invariant to rescaling one variable (NPEET #19), JIDT's NORMALISE
//     is on by default and scikit-learn always scales;
//   noise (default 0): after standardising, add noise · N(0, 1) to every value, drawn from
//     the estimator's seeded rng (JIDT adds 1e-8, scikit-learn 1e-10·max(1, mean|x|)) — it
//     breaks ties of discrete-valued data;
//   clip (default off): report max(0, Î). Off by default because clipping biases the bias
//     table near MI = 0; the raw value is what the harness stores;
//   threads (default 1): threads for the neighbour searches. Results do not depend on it;
//     1 keeps runtimes comparable in a sweep (which already runs cells in parallel).

#include "core/matrix.hpp"
#include "core/rng.hpp"
#include "estimators/estimator.hpp"

namespace mib {

struct CommonOptions {
  bool standardize = true;
  double noise = 0;
  bool clip = false;
  int threads = 1;
  template <class V>
  void visit(V& v) {
    v("standardize", standardize);
    v("noise", noise, ">= 0 and finite", [](double s) { return s >= 0 && s < 1e300; });
    v("clip", clip);
    v("threads", threads, "an integer in [1, 256]", [](int t) { return t >= 1 && t <= 256; });
  }
};

/// x, y and z after the options' standardisation and jitter (copies; rows are samples; z may
/// have no columns). The jitter is drawn for x, then y, then z.
Sample preprocess(MatrixRef x, MatrixRef y, MatrixRef z, const CommonOptions& options, Rng& rng);

/// An estimator with the common options. estimate() and estimate_conditional() are final and
/// apply them once for every such estimator: they standardise and jitter copies of x, y (and
/// z) (preprocess), call estimate_core on them with the same rng (after the jitter's draws),
/// and clip the result when `clip` asks. An estimator writes only its core, on data the
/// options have prepared (data.z has no columns unless the estimator is conditional()); its
/// diagnostics (ceiling, saturation) see the unclipped value.
class PreprocessingEstimator : public Estimator {
 public:
  Estimate estimate(MatrixRef x, MatrixRef y, Rng& rng) const final;
  Estimate estimate_conditional(MatrixRef x, MatrixRef y, MatrixRef z, Rng& rng) const final;

 protected:
  explicit PreprocessingEstimator(const CommonOptions& common) : common_(common) {}
  /// The raw estimate on the prepared sample (the preconditions of Estimator::estimate hold).
  virtual Estimate estimate_core(const Sample& data, Rng& rng) const = 0;
  const CommonOptions& common() const { return common_; }
  /// Threads for the neighbour searches and kernels (results do not depend on it).
  int threads() const { return common_.threads; }

 private:
  CommonOptions common_;
};

/// A k-NN estimator (neighbour counts k_min … k_max, usually one k). It needs k_max + 1 rows,
/// and it assumes continuous data: tie_limit() is k_min — more rows sharing one (x, y) value
/// make a k-th neighbour distance 0 — unless `noise` breaks the ties or the estimator is built
/// for them (`handles_ties`, e.g. mixed-ksg).
class KnnEstimator : public PreprocessingEstimator {
 public:
  std::size_t min_samples() const override { return static_cast<std::size_t>(k_max_) + 1; }
  std::size_t tie_limit() const override {
    return handles_ties_ || common().noise > 0 ? 0 : static_cast<std::size_t>(k_min_);
  }

 protected:
  struct Neighbours {
    int k_min, k_max;
    bool handles_ties = false;
  };
  KnnEstimator(const CommonOptions& common, int k) : KnnEstimator(common, Neighbours{k, k}) {}
  KnnEstimator(const CommonOptions& common, Neighbours k)
      : PreprocessingEstimator(common),
        k_min_(k.k_min),
        k_max_(k.k_max),
        handles_ties_(k.handles_ties) {}

 private:
  int k_min_, k_max_;
  bool handles_ties_;
};

}  // namespace mib
