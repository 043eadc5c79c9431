// DoE, the difference of entropies (McAllester & Stratos 2020); see neural.hpp.
#include <cmath>

#include "estimators/neural.hpp"
#include "estimators/neural/mlp.hpp"
#include "estimators/neural/protocol.hpp"

namespace mib {
namespace {

using neural::MlpLayout;

// The model: an MLP x ↦ (μ(x), log σ²(x)) for p(y|x), then μ_q and log σ²_q of q(y), all in
// one parameter array. Cross-entropies per row: ½ Σ_d [ln 2π + v_d + (y_d − μ_d)² e^{−v_d}].
template <class T>
class DoeModel {
 public:
  DoeModel(const DoeParams& p, int dx, int dy, Rng& rng) : dy_(dy) {
    // Filled by push_back: GCC 12 at -O3 warned (-Wfree-nonheap-object, a false positive) on
    // an insert into a vector built from an initializer list.
    std::vector<int> widths;
    widths.reserve(p.hidden.size() + 2);
    widths.push_back(dx);
    for (int w : p.hidden) widths.push_back(w);
    widths.push_back(2 * dy);
    net_ = MlpLayout(widths, p.activation, 0);
    params_.assign(net_.size() + 2 * static_cast<std::size_t>(dy), T(0));
    net_.initialise(params_.data(), rng);
  }
  std::vector<T>& params() { return params_; }

  // Mean cross-entropies (H_q, H_{p|x}) over n rows; with grad, adds ∂(H_q + H_p)/∂θ.
  std::pair<double, double> loss(const T* x, const T* y, int n, T* grad) {
    net_.forward(params_.data(), x, n, cache_);
    const T* out = cache_.output();
    const T* q = params_.data() + net_.size();
    std::vector<T> d_out(grad ? static_cast<std::size_t>(n) * 2 * dy_ : 0);
    double hq = 0, hp = 0;
    const double log_2pi = std::log(2 * M_PI);
    for (int i = 0; i < n; ++i) {
      for (int c = 0; c < dy_; ++c) {
        const std::size_t at = static_cast<std::size_t>(i) * dy_ + c;
        const std::size_t o = static_cast<std::size_t>(i) * 2 * dy_;
        const double yv = y[at];
        const double mp = out[o + c], vp = out[o + dy_ + c], mq = q[c], vq = q[dy_ + c];
        const double rp = (yv - mp) * (yv - mp) * std::exp(-vp);
        const double rq = (yv - mq) * (yv - mq) * std::exp(-vq);
        hp += 0.5 * (log_2pi + vp + rp);
        hq += 0.5 * (log_2pi + vq + rq);
        if (!grad) continue;
        d_out[o + c] = static_cast<T>(-(yv - mp) * std::exp(-vp) / n);
        d_out[o + dy_ + c] = static_cast<T>(0.5 * (1 - rp) / n);
        T* gq = grad + net_.size();
        gq[c] += static_cast<T>(-(yv - mq) * std::exp(-vq) / n);
        gq[dy_ + c] += static_cast<T>(0.5 * (1 - rq) / n);
      }
    }
    if (grad) net_.backward(params_.data(), cache_, d_out.data(), grad);
    return {hq / n, hp / n};
  }

 private:
  int dy_;
  MlpLayout net_;
  MlpLayout::Cache<T> cache_;
  std::vector<T> params_;
};

template <class T>
Estimate doe_estimate(const DoeParams& params, const Sample& s, Rng& rng) {
  const NeuralProtocol& p = params.protocol;
  const auto d = neural::split_rows<T>(s, p, rng, "doe");
  DoeModel<T> model(params, d.dx, d.dy, rng);
  neural::Adam<T> adam(model.params().size(), p.lr);
  neural::BatchSampler sampler(d.n_train);
  std::vector<T> xb, yb, grad;
  const auto step = [&](int) {
    const auto& rows = sampler.next(p.batch, rng);
    neural::gather(d.x_train, d.dx, rows, p.batch, xb);
    neural::gather(d.y_train, d.dy, rows, p.batch, yb);
    grad.assign(model.params().size(), T(0));
    model.loss(xb.data(), yb.data(), p.batch, grad.data());
    adam.step(model.params(), grad);
  };
  const auto evaluate = [&] {
    const auto [hq, hp] = model.loss(d.x_test.data(), d.y_test.data(), d.n_test, nullptr);
    return neural::Evaluation{hq - hp, -(hq + hp)};
  };
  return neural::train_and_evaluate(p, step, evaluate);
}

}  // namespace

Estimate DoeEstimator::estimate_core(const Sample& s, Rng& rng) const {
  if (params_.protocol.precision == "float64") return doe_estimate<double>(params_, s, rng);
  return doe_estimate<float>(params_, s, rng);
}

}  // namespace mib
