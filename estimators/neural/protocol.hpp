#pragma once
// The pieces of the training protocol shared by the neural estimators (neural.hpp): the
// train/test split, batches without replacement, Adam, and the evaluate-and-stop loop.

#include <boost/random/uniform_int_distribution.hpp>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/deadline.hpp"
#include "core/matrix.hpp"
#include "core/rng.hpp"
#include "estimators/neural.hpp"
#include "estimators/neural/kernels.hpp"

namespace mib::neural {

/// Rows of x and y split into a training and a test part, converted to T (row-major).
template <class T>
struct Split {
  int n_train = 0, n_test = 0, dx = 0, dy = 0;
  std::vector<T> x_train, y_train, x_test, y_test;
  std::vector<int> test_rows;  ///< the sample's row of each test row
};

/// A uniformly random split: the first ⌊split·n⌋ rows of a random permutation train.
/// InvalidArgument (naming `where`) when the training part is smaller than a batch.
template <class T>
Split<T> split_rows(const Sample& s, const NeuralProtocol& p, Rng& rng, const std::string& where);

/// Draws batches of distinct training rows (a partial Fisher–Yates shuffle per batch).
class BatchSampler {
 public:
  explicit BatchSampler(int n) : order_(static_cast<std::size_t>(n)) {
    for (int i = 0; i < n; ++i) order_[static_cast<std::size_t>(i)] = i;
  }
  /// The first `size` entries of the returned list are the batch's rows.
  const std::vector<int>& next(int size, Rng& rng) {
    const int n = static_cast<int>(order_.size());
    for (int i = 0; i < size; ++i) {
      boost::random::uniform_int_distribution<int> pick(i, n - 1);
      std::swap(order_[static_cast<std::size_t>(i)], order_[static_cast<std::size_t>(pick(rng))]);
    }
    return order_;
  }

 private:
  std::vector<int> order_;
};

/// rows `index[0 … count)` of a (rows × d) into out (count × d).
template <class T>
void gather(const std::vector<T>& a, int d, const std::vector<int>& index, int count,
            std::vector<T>& out) {
  out.resize(static_cast<std::size_t>(count) * d);
  for (int r = 0; r < count; ++r)
    std::copy(a.begin() + static_cast<std::ptrdiff_t>(index[static_cast<std::size_t>(r)]) * d,
              a.begin() + static_cast<std::ptrdiff_t>(index[static_cast<std::size_t>(r)] + 1) * d,
              out.begin() + static_cast<std::ptrdiff_t>(r) * d);
}

/// Adam (Kingma & Ba 2015) descending a loss: θ ← θ − lr · m̂ / (√v̂ + ε), β = (0.9, 0.999),
/// ε = 1e-8 by default, as optax.adam and torch.optim.Adam.
template <class T>
class Adam {
 public:
  Adam(std::size_t size, double lr, double eps = 1e-8)
      : lr_(lr), eps_(eps), m_(size, T(0)), v_(size, T(0)) {}
  void step(std::vector<T>& params, const std::vector<T>& grad) {
    ++t_;
    adam_update(params.size(), params.data(), grad.data(), m_.data(), v_.data(),
                static_cast<T>(lr_), static_cast<T>(1 - std::pow(0.9, t_)),
                static_cast<T>(1 - std::pow(0.999, t_)), static_cast<T>(eps_));
  }

 private:
  double lr_, eps_;
  int t_ = 0;
  std::vector<T> m_, v_;
};

/// A test evaluation: the estimate and the score early stopping maximises (for the bounds
/// the estimate itself; for doe minus the test loss).
struct Evaluation {
  double value, score;
};

/// Runs step(n) for n = 1 … steps; every eval_every steps calls evaluate() and stops when the
/// score has not improved for `patience` evaluations. Returns the estimate at the best score
/// and the diagnostics. A non-finite evaluation counts as no improvement.
template <class Step, class Evaluate>
Estimate train_and_evaluate(const NeuralProtocol& p, Step step, Evaluate evaluate) {
  std::vector<CurvePoint> curve;
  double best_score = -std::numeric_limits<double>::infinity();
  double best_value = std::numeric_limits<double>::quiet_NaN();
  int best_step = 0, since_best = 0, n = 0;
  bool stopped_early = false;
  for (n = 1; n <= p.steps; ++n) {
    check_deadline();
    step(n);
    if (n % p.eval_every != 0) continue;
    const Evaluation e = evaluate();
    curve.push_back({n, e.value});
    if (e.score > best_score) {
      best_score = e.score, best_value = e.value, best_step = n, since_best = 0;
    } else if (p.patience > 0 && ++since_best >= p.patience) {
      stopped_early = true;
      break;
    }
  }
  const int steps_run = std::min(n, p.steps);
  if (curve.empty()) {  // fewer steps than one evaluation period: evaluate once at the end
    const Evaluation e = evaluate();
    curve.push_back({steps_run, e.value});
    best_value = e.value, best_step = steps_run;
  }
  Estimate result{
      best_value,
      {{"steps", steps_run}, {"stopped_early", stopped_early}, {"best_step", best_step}}};
  result.diagnostics.test_curve = std::move(curve);
  return result;
}

}  // namespace mib::neural
