// The critic-based estimators: infonce, nwj, dv, js, smile (all pairs of a batch) and mine
// (paired and shuffled pairs). Formulas: bounds.hpp and neural.hpp.
#include <cmath>

#include "core/error.hpp"
#include "estimators/neural.hpp"
#include "estimators/neural/critic.hpp"
#include "estimators/neural/protocol.hpp"

namespace mib {
namespace neural {

template <class T>
Split<T> split_rows(const Sample& s, const NeuralProtocol& p, Rng& rng, const std::string& where) {
  const int n = static_cast<int>(s.x.rows());
  Split<T> d;
  d.dx = static_cast<int>(s.x.cols()), d.dy = static_cast<int>(s.y.cols());
  d.n_train = static_cast<int>(std::floor(p.split * n));
  d.n_test = n - d.n_train;
  require(d.n_train >= p.batch, where, "batch",
          "<= the training rows (split · n = " + std::to_string(d.n_train) + ")", p.batch);
  require(d.n_test >= 2, where, "the test rows (n − ⌊split · n⌋)", ">= 2", d.n_test);
  BatchSampler order(n);
  const auto& perm = order.next(n - 1, rng);
  auto copy = [&](int from, int count, std::vector<T>& x, std::vector<T>& y) {
    x.resize(static_cast<std::size_t>(count) * d.dx);
    y.resize(static_cast<std::size_t>(count) * d.dy);
    for (int r = 0; r < count; ++r) {
      const Eigen::Index row = perm[static_cast<std::size_t>(from + r)];
      for (int c = 0; c < d.dx; ++c)
        x[static_cast<std::size_t>(r) * d.dx + c] = static_cast<T>(s.x(row, c));
      for (int c = 0; c < d.dy; ++c)
        y[static_cast<std::size_t>(r) * d.dy + c] = static_cast<T>(s.y(row, c));
    }
  };
  copy(0, d.n_train, d.x_train, d.y_train);
  copy(d.n_train, d.n_test, d.x_test, d.y_test);
  d.test_rows.assign(perm.begin() + d.n_train, perm.begin() + n);
  return d;
}
template Split<float> split_rows<float>(const Sample&, const NeuralProtocol&, Rng&,
                                        const std::string&);
template Split<double> split_rows<double>(const Sample&, const NeuralProtocol&, Rng&,
                                          const std::string&);

namespace {

double log_mean_exp(const std::vector<double>& v) {
  double m = -std::numeric_limits<double>::infinity();
  for (double e : v) m = std::max(m, e);
  double z = 0;
  for (double e : v) z += std::exp(e - m);
  return m + std::log(z) - std::log(static_cast<double>(v.size()));
}

template <class T>
std::unique_ptr<Critic<T>> critic_for(const VariationalParams& v, const Split<T>& d, Rng& rng,
                                      const std::string& where) {
  CriticSpec spec{v.critic, v.hidden, v.embed, v.activation, v.protocol.common.threads};
  return make_critic<T>(spec, d.dx, d.dy, rng, where);
}

// Bounds on all pairs of each batch (infonce, nwj, dv, js, smile).
template <class T>
Estimate all_pairs_estimate(Bound bound, const VariationalParams& v, double tau, const Sample& s,
                            Rng& rng, const std::string& where) {
  const NeuralProtocol& p = v.protocol;
  const Split<T> d = split_rows<T>(s, p, rng, where);
  auto critic = critic_for(v, d, rng, where);
  Adam<T> adam(critic->params().size(), p.lr);
  BatchSampler sampler(d.n_train);
  std::vector<T> xb, yb, scores, ds, grad;
  const auto step = [&](int) {
    const auto& rows = sampler.next(p.batch, rng);
    gather(d.x_train, d.dx, rows, p.batch, xb);
    gather(d.y_train, d.dy, rows, p.batch, yb);
    grad.assign(critic->params().size(), T(0));
    if (row_local(bound)) {
      critic->all_pairs_rowwise(
          xb.data(), p.batch, yb.data(), p.batch,
          [&](int i, const T* row, T* g) {
            row_objective(bound, i, p.batch, row, g, false);
            for (int j = 0; j < p.batch; ++j) g[j] = -g[j];  // descend −objective
          },
          grad.data());
    } else {
      critic->all_pairs(xb.data(), p.batch, yb.data(), p.batch, scores);
      objective(bound, scores, p.batch, ds);
      for (T& g : ds) g = -g;  // Adam descends the loss −objective
      critic->all_pairs_backward(ds, grad.data());
    }
    adam.step(critic->params(), grad);
  };
  const auto evaluate = [&] {
    BoundValue value(bound, d.n_test, tau);
    critic->score_rows(d.x_test.data(), d.y_test.data(), d.n_test,
                       [&](int i, const T* row) { value.add_row(i, row); });
    const double e = value.value();
    return Evaluation{e, e};
  };
  Estimate result = train_and_evaluate(p, step, evaluate);
  if (bound == Bound::kInfoNce) {
    // InfoNCE on the test half scores each x against n_test candidates: Î <= ln n_test.
    const double cap = std::log(static_cast<double>(d.n_test));
    result.diagnostics.ceiling = Ceiling{cap, result.mi >= cap - 0.1};
  }
  return result;
}

template <class T>
Estimate mine_estimate(const MineParams& params, const Sample& s, Rng& rng) {
  const std::string where = "mine";
  const VariationalParams& v = params.variational;
  const NeuralProtocol& p = v.protocol;
  const Split<T> d = split_rows<T>(s, p, rng, where);
  auto critic = critic_for(v, d, rng, where);
  Adam<T> adam(critic->params().size(), p.lr);
  BatchSampler paired(d.n_train), shuffled(d.n_train);
  const int b = p.batch;
  std::vector<T> xb, yb, yu, scores, ds, grad;
  std::vector<double> marginal(static_cast<std::size_t>(b));
  double log_denominator = -std::numeric_limits<double>::infinity();
  const double log_alpha = std::log(params.alpha), log_rest = std::log1p(-params.alpha);
  const auto step = [&](int) {
    const auto& rows = paired.next(b, rng);
    gather(d.x_train, d.dx, rows, b, xb);
    gather(d.y_train, d.dy, rows, b, yb);
    gather(d.y_train, d.dy, shuffled.next(b, rng), b, yu);
    xb.insert(xb.end(), xb.begin(), xb.end());  // x twice: paired with yb, then with yu
    yb.insert(yb.end(), yu.begin(), yu.end());
    critic->paired(xb.data(), yb.data(), 2 * b, scores);
    for (int i = 0; i < b; ++i)
      marginal[static_cast<std::size_t>(i)] = scores[static_cast<std::size_t>(b + i)];
    const double lme = log_mean_exp(marginal);
    // ln m̄_t = ln(α m̄_{t−1} + (1 − α) m_t), and the correction m_t / m̄_t.
    if (std::isinf(log_denominator)) {
      log_denominator = lme;  // the average starts at the first batch: correction 1
    } else {
      const double a = log_alpha + log_denominator, c = log_rest + lme;
      log_denominator = std::max(a, c) + std::log1p(std::exp(-std::abs(a - c)));
    }
    const double correction = std::exp(lme - log_denominator);
    ds.resize(static_cast<std::size_t>(2 * b));
    for (int i = 0; i < b; ++i) {
      ds[static_cast<std::size_t>(i)] = static_cast<T>(-1.0 / b);
      ds[static_cast<std::size_t>(b + i)] =
          static_cast<T>(correction * std::exp(marginal[static_cast<std::size_t>(i)] - lme) / b);
    }
    grad.assign(critic->params().size(), T(0));
    critic->paired_backward(ds, grad.data());
    adam.step(critic->params(), grad);
  };
  BatchSampler permutation(d.n_test);
  std::vector<T> y_shuffled;
  const auto evaluate = [&] {
    gather(d.y_test, d.dy, permutation.next(d.n_test - 1, rng), d.n_test, y_shuffled);
    critic->paired(d.x_test.data(), d.y_test.data(), d.n_test, scores);
    double joint = 0;
    for (T v_ : scores) joint += v_;
    critic->paired(d.x_test.data(), y_shuffled.data(), d.n_test, scores);
    const std::vector<double> u(scores.begin(), scores.end());
    const double e = joint / d.n_test - log_mean_exp(u);
    return Evaluation{e, e};
  };
  return train_and_evaluate(p, step, evaluate);
}

const char* name_of(Bound bound) {
  switch (bound) {
    case Bound::kInfoNce:
      return "infonce";
    case Bound::kNwj:
      return "nwj";
    case Bound::kDv:
      return "dv";
    case Bound::kJs:
      return "js";
    case Bound::kSmile:
      return "smile";
  }
  return "?";
}

template <class F>
Estimate with_precision(const NeuralProtocol& p, F run) {
  return p.precision == "float64" ? run(double{}) : run(float{});
}

}  // namespace
}  // namespace neural

std::size_t NeuralProtocol::min_samples() const {
  const auto n_train = [this](std::size_t n) {
    return static_cast<std::size_t>(std::floor(split * static_cast<double>(n)));
  };
  auto n = static_cast<std::size_t>(std::max(2.0, std::floor(batch / split) - 2));
  while (n_train(n) < static_cast<std::size_t>(batch) || n - n_train(n) < 2) ++n;
  return n;
}

Estimate VariationalEstimator::estimate_core(const Sample& s, Rng& rng) const {
  return neural::with_precision(params_.protocol, [&](auto t) {
    return neural::all_pairs_estimate<decltype(t)>(bound_, params_, 0, s, rng,
                                                   neural::name_of(bound_));
  });
}

Estimate SmileEstimator::estimate_core(const Sample& s, Rng& rng) const {
  return neural::with_precision(params_.variational.protocol, [&](auto t) {
    return neural::all_pairs_estimate<decltype(t)>(neural::Bound::kSmile, params_.variational,
                                                   params_.tau, s, rng, "smile");
  });
}

Estimate MineEstimator::estimate_core(const Sample& s, Rng& rng) const {
  return neural::with_precision(params_.variational.protocol, [&](auto t) {
    return neural::mine_estimate<decltype(t)>(params_, s, rng);
  });
}

}  // namespace mib
