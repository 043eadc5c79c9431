#include "estimators/neural/mlp.hpp"

#include <boost/random/uniform_real_distribution.hpp>
#include <cmath>

#include "core/error.hpp"
#include "core/text.hpp"

namespace mib::neural {

MlpLayout::MlpLayout(std::vector<int> widths, Activation activation, std::size_t offset)
    : widths_(std::move(widths)), activation_(activation), offset_(offset) {
  std::size_t at = offset;
  for (int l = 0; l < layers(); ++l) {
    starts_.push_back(at);
    at += static_cast<std::size_t>(width(l) + 1) * static_cast<std::size_t>(width(l + 1));
  }
  size_ = at - offset;
}

template <class T>
void MlpLayout::initialise(T* params, Rng& rng) const {
  for (int l = 0; l < layers(); ++l) {
    const T bound = T(1) / std::sqrt(static_cast<T>(width(l)));
    boost::random::uniform_real_distribution<T> uniform(-bound, bound);
    const std::size_t count = static_cast<std::size_t>(width(l) + 1) * width(l + 1);
    for (std::size_t i = 0; i < count; ++i) params[weights(l) + i] = uniform(rng);
  }
}

template <class T>
void MlpLayout::forward(const T* params, const T* input, int n, Cache<T>& cache) const {
  cache.n = n;
  cache.values.resize(static_cast<std::size_t>(layers()) + 1);
  cache.values[0].assign(input, input + static_cast<std::size_t>(n) * width(0));
  for (int l = 0; l < layers(); ++l) {
    const int in = width(l), out = width(l + 1);
    auto& z = cache.values[static_cast<std::size_t>(l) + 1];
    z.resize(static_cast<std::size_t>(n) * out);
    const T* bias = params + biases(l);
    for (int i = 0; i < n; ++i)
      for (int m = 0; m < out; ++m) z[static_cast<std::size_t>(i) * out + m] = bias[m];
    gemm<T>(n, out, in, cache.values[static_cast<std::size_t>(l)].data(), in, 1,
            params + weights(l), out, z.data(), out, true);
    if (l + 1 < layers()) activate(activation_, z.data(), z.size());
  }
}

template <class T>
void MlpLayout::backward(const T* params, const Cache<T>& cache, const T* d_output, T* grad,
                         T* d_input) const {
  const int n = cache.n;
  std::vector<T> d(d_output, d_output + static_cast<std::size_t>(n) * width(layers()));
  std::vector<T> previous, w;
  for (int l = layers() - 1; l >= 0; --l) {
    const int in = width(l), out = width(l + 1);
    const T* a = cache.values[static_cast<std::size_t>(l)].data();
    // ∂L/∂Wᵀ (in × out) += aᵀ d, each element summed over the rows in order.
    gemm<T>(in, out, n, a, 1, in, d.data(), out, grad + weights(l), out, true);
    add_column_sums(n, out, d.data(), grad + biases(l));
    if (l == 0 && d_input == nullptr) break;
    // ∂L/∂a (n × in) = d W, with W (out × in) the transpose of the stored weights.
    const T* wt = params + weights(l);
    w.resize(static_cast<std::size_t>(in) * out);
    transpose(in, out, wt, w.data(), in);
    previous.resize(static_cast<std::size_t>(n) * in);
    gemm<T>(n, in, out, d.data(), out, 1, w.data(), in, previous.data(), in, false);
    if (l == 0) {
      std::copy(previous.begin(), previous.end(), d_input);
    } else {
      activation_backward(activation_, a, previous.data(), previous.size());
      d.swap(previous);
    }
  }
}

#define MIB_INSTANTIATE(T)                                                       \
  template void MlpLayout::initialise<T>(T*, Rng&) const;                        \
  template void MlpLayout::forward<T>(const T*, const T*, int, Cache<T>&) const; \
  template void MlpLayout::backward<T>(const T*, const Cache<T>&, const T*, T*, T*) const;
MIB_INSTANTIATE(float)
MIB_INSTANTIATE(double)
#undef MIB_INSTANTIATE

}  // namespace mib::neural
