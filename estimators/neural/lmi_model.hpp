#pragma once
// LMI's model (estimators/lmi.hpp): the paired autoencoders with cross decoders of latentmi's
// AECross, on the MLP kernels. Internal to the estimators library and its tests.

#include <algorithm>
#include <boost/random/uniform_real_distribution.hpp>
#include <cmath>
#include <vector>

#include "core/rng.hpp"
#include "estimators/lmi.hpp"
#include "estimators/neural/mlp.hpp"

namespace mib::neural {

// One network of linear layers with leaky ReLU after each (after the last only when
// `last_activation`) and, when training with dropout > 0, dropout before each: every input
// entry kept with probability 1 − p and then scaled by 1/(1 − p) (PyTorch's nn.Dropout).
template <class T>
class Chain {
 public:
  Chain(const std::vector<int>& widths, bool last_activation, double dropout, std::size_t& offset)
      : last_activation_(last_activation), dropout_(dropout) {
    for (std::size_t l = 0; l + 1 < widths.size(); ++l) {
      layers_.emplace_back(std::vector<int>{widths[l], widths[l + 1]}, Activation::kLeakyRelu,
                           offset);
      offset += layers_.back().size();
    }
    caches_.resize(layers_.size());
    masks_.resize(layers_.size());
    outputs_.resize(layers_.size());
  }
  int inputs() const { return layers_.front().width(0); }
  int outputs() const { return layers_.back().width(1); }

  // Xavier-uniform weights (±√(6 / (in + out)), in storage order) and zero biases.
  void initialise(T* params, Rng& rng) const {
    for (const MlpLayout& layer : layers_) {
      const int in = layer.width(0), out = layer.width(1);
      const T bound = static_cast<T>(std::sqrt(6.0 / (in + out)));
      boost::random::uniform_real_distribution<T> uniform(-bound, bound);
      const std::size_t count = static_cast<std::size_t>(in) * static_cast<std::size_t>(out);
      for (std::size_t i = 0; i < count; ++i) params[layer.weights(0) + i] = uniform(rng);
      std::fill(params + layer.biases(0), params + layer.biases(0) + out, T(0));
    }
  }

  // The output of n rows (n × outputs(), valid until the next forward); `rng` non-null:
  // training, so dropout applies.
  const T* forward(const T* params, const T* input, int n, Rng* rng) {
    for (std::size_t l = 0; l < layers_.size(); ++l) {
      const T* in = l == 0 ? input : outputs_[l - 1].data();
      const std::size_t size = static_cast<std::size_t>(n) * layers_[l].width(0);
      masks_[l].clear();
      if (rng && dropout_ > 0) {
        draw_mask(size, *rng, masks_[l]);
        dropped_.resize(size);
        for (std::size_t i = 0; i < size; ++i) dropped_[i] = in[i] * masks_[l][i];
        in = dropped_.data();
      }
      layers_[l].forward(params, in, n, caches_[l]);
      outputs_[l] = caches_[l].values[1];
      if (activated(l)) activate(Activation::kLeakyRelu, outputs_[l].data(), outputs_[l].size());
    }
    return outputs_.back().data();
  }

  // Adds ∂L/∂θ to grad given ∂L/∂output of the last forward; d_input (n × inputs()) receives
  // ∂L/∂input when not null.
  void backward(const T* params, const T* d_output, T* grad, T* d_input) {
    const int n = caches_.front().n;
    std::vector<T> d(d_output, d_output + static_cast<std::size_t>(n) * outputs()), previous;
    for (std::size_t l = layers_.size(); l-- > 0;) {
      if (activated(l))
        activation_backward(Activation::kLeakyRelu, outputs_[l].data(), d.data(), d.size());
      const bool below = l > 0 || d_input != nullptr;
      previous.resize(below ? static_cast<std::size_t>(n) * layers_[l].width(0) : 0);
      layers_[l].backward(params, caches_[l], d.data(), grad, below ? previous.data() : nullptr);
      if (!below) break;
      if (!masks_[l].empty())
        for (std::size_t i = 0; i < previous.size(); ++i) previous[i] *= masks_[l][i];
      if (l == 0) {
        std::copy(previous.begin(), previous.end(), d_input);
      } else {
        d.swap(previous);
      }
    }
  }

 private:
  bool activated(std::size_t l) const { return l + 1 < layers_.size() || last_activation_; }
  // Two 32-bit uniforms per engine draw: kept when u >= p · 2³².
  void draw_mask(std::size_t size, Rng& rng, std::vector<T>& mask) const {
    const auto threshold = static_cast<std::uint64_t>(std::ldexp(dropout_, 32));
    const T keep = static_cast<T>(1 / (1 - dropout_));
    mask.resize(size);
    for (std::size_t i = 0; i < size; i += 2) {
      const std::uint64_t bits = rng();
      mask[i] = (bits & 0xffffffffu) >= threshold ? keep : T(0);
      if (i + 1 < size) mask[i + 1] = (bits >> 32) >= threshold ? keep : T(0);
    }
  }

  std::vector<MlpLayout> layers_;
  bool last_activation_;
  double dropout_;
  std::vector<MlpLayout::Cache<T>> caches_;
  std::vector<std::vector<T>> masks_, outputs_;
  std::vector<T> dropped_;
};

// The paper's widths: L, L/2, L/4 with L = 1024, or the largest power of two <= d above 2048.
inline std::vector<int> encoder_widths(const LmiParams& p, int d) {
  std::vector<int> widths{d};
  if (p.hidden.empty()) {
    const int l = d > 2048 ? 1 << static_cast<int>(std::floor(std::log2(d))) : 1024;
    widths.insert(widths.end(), {l, l / 2, l / 4});
  } else {
    widths.insert(widths.end(), p.hidden.begin(), p.hidden.end());
  }
  widths.push_back(p.latent);
  return widths;
}
inline std::vector<int> reversed(std::vector<int> w) {
  std::reverse(w.begin(), w.end());
  return w;
}

// The paired autoencoders with cross decoders (latentmi's AECross), all in one parameter array.
template <class T>
class AeCross {
 public:
  AeCross(const LmiParams& p, int dx, int dy, Rng& rng)
      : p_(p),
        dx_(dx),
        dy_(dy),
        ex_(encoder_widths(p, dx), true, 0, size_),
        ey_(encoder_widths(p, dy), true, 0, size_),
        dxx_(reversed(encoder_widths(p, dx)), false, 0, size_),
        dyy_(reversed(encoder_widths(p, dy)), false, 0, size_),
        dyx_(reversed(encoder_widths(p, dx)), false, p.dropout, size_),
        dxy_(reversed(encoder_widths(p, dy)), false, p.dropout, size_) {
    params_.assign(size_, T(0));
    for (Chain<T>* c : {&ex_, &ey_, &dxx_, &dyy_, &dyx_, &dxy_}) c->initialise(params_.data(), rng);
  }
  std::vector<T>& params() { return params_; }

  // The loss on n rows, α (mse(D_xx z_x, x) + mse(D_yy z_y, y)) + λ (mse(D_yx z_y, x) +
  // mse(D_xy z_x, y)); training when `rng` is not null (dropout on), and then ∂loss/∂θ is added
  // to grad.
  double loss(const T* x, const T* y, int n, Rng* rng, T* grad) {
    const T* theta = params_.data();
    const std::size_t codes = static_cast<std::size_t>(n) * static_cast<std::size_t>(p_.latent);
    const T* zx = ex_.forward(theta, x, n, rng);
    zx_.assign(zx, zx + codes);
    const T* zy = ey_.forward(theta, y, n, rng);
    zy_.assign(zy, zy + codes);
    if (grad) dzx_.assign(codes, T(0)), dzy_.assign(codes, T(0));
    struct Head {
      Chain<T>* net;
      const std::vector<T>* code;
      std::vector<T>* d_code;
      const T* target;
      int d;
      double weight;
    };
    const Head heads[] = {{&dxx_, &zx_, &dzx_, x, dx_, p_.alpha},
                          {&dyy_, &zy_, &dzy_, y, dy_, p_.alpha},
                          {&dyx_, &zy_, &dzy_, x, dx_, p_.lambda},
                          {&dxy_, &zx_, &dzx_, y, dy_, p_.lambda}};
    double total = 0;
    for (const Head& h : heads) {
      if (h.weight == 0) continue;
      const T* out = h.net->forward(theta, h.code->data(), n, rng);
      const std::size_t m = static_cast<std::size_t>(n) * static_cast<std::size_t>(h.d);
      const double scale = 2 * h.weight / static_cast<double>(m);
      if (grad) d_out_.resize(m);
      double sse = 0;
      for (std::size_t i = 0; i < m; ++i) {
        const double diff = static_cast<double>(out[i]) - static_cast<double>(h.target[i]);
        sse += diff * diff;
        if (grad) d_out_[i] = static_cast<T>(scale * diff);
      }
      total += h.weight * sse / static_cast<double>(m);
      if (!grad) continue;
      d_in_.resize(codes);
      h.net->backward(theta, d_out_.data(), grad, d_in_.data());
      for (std::size_t i = 0; i < codes; ++i) (*h.d_code)[i] += d_in_[i];
    }
    if (grad) {
      ex_.backward(theta, dzx_.data(), grad, nullptr);
      ey_.backward(theta, dzy_.data(), grad, nullptr);
    }
    return total;
  }

  // The codes of n rows of one variable (no dropout), appended to out row by row.
  void encode(bool of_x, const T* v, int n, std::vector<double>& out) {
    const T* z = (of_x ? ex_ : ey_).forward(params_.data(), v, n, nullptr);
    out.insert(out.end(), z, z + static_cast<std::size_t>(n) * p_.latent);
  }

 private:
  LmiParams p_;
  int dx_, dy_;
  std::size_t size_ = 0;
  Chain<T> ex_, ey_, dxx_, dyy_, dyx_, dxy_;
  std::vector<T> params_, zx_, zy_, dzx_, dzy_, d_out_, d_in_;
};

}  // namespace mib::neural
