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

/// x and y after the options' standardisation and jitter (copies; rows are samples).
Sample preprocess(MatrixRef x, MatrixRef y, const CommonOptions& options, Rng& rng);

/// tie_limit() of a k-NN estimator with neighbour count k: k unless noise breaks the ties.
inline std::size_t tie_limit_for(int k, const CommonOptions& options) {
  return options.noise > 0 ? 0 : static_cast<std::size_t>(k);
}

/// The estimate after the options' clipping.
inline double postprocess(double mi, const CommonOptions& options) {
  return options.clip && mi < 0 ? 0.0 : mi;
}

}  // namespace mib
