#include "estimators/neural/pairs.hpp"

#include <algorithm>
#include <cmath>

namespace mib::neural {
namespace {

template <class V>
__attribute__((always_inline)) inline V activate_lanes(Activation act, V z) {
  using T = ElementOf<V>;
  switch (act) {
    case Activation::kRelu:
      return z > 0 ? z : V{};
    case Activation::kElu:
      for (int l = 0; l < kLanes<T>; ++l) z[l] = z[l] > 0 ? z[l] : std::expm1(z[l]);
      return z;
    case Activation::kTanh:
      for (int l = 0; l < kLanes<T>; ++l) z[l] = std::tanh(z[l]);
      return z;
  }
  return z;
}

// d · act′ read from the activation values a (as activation_backward in kernels.hpp).
template <class V>
__attribute__((always_inline)) inline V derivative(Activation act, V a, V d) {
  switch (act) {
    case Activation::kRelu:
      return a > 0 ? d : V{};
    case Activation::kElu:
      return a > 0 ? d : d * (a + 1);
    case Activation::kTanh:
      return d * (1 - a * a);
  }
  return d;
}

// The forward pass of lanes [j, j + L) of row i; layer l's values start at values + start[l].
template <class T>
__attribute__((always_inline)) inline void forward_chunk(const MlpLayout& layout, const T* params,
                                                         const T* a, const T* ct, int kp, int j,
                                                         Vec<T>* values) {
  const int h1 = layout.width(1);
  for (int k = 0; k < h1; ++k)
    values[k] = activate_lanes(layout.activation(), a[k] + load(ct + k * kp + j));
  Vec<T>* in = values;
  for (int l = 1; l < layout.layers(); ++l) {
    const int n_in = layout.width(l), n_out = layout.width(l + 1);
    const T* wt = params + layout.weights(l);
    const T* b = params + layout.biases(l);
    Vec<T>* out = in + n_in;
    for (int m = 0; m < n_out; ++m) {
      Vec<T> z = broadcast(b[m]);
      for (int k = 0; k < n_in; ++k) z = z + wt[k * n_out + m] * in[k];
      out[m] = l + 1 < layout.layers() ? activate_lanes(layout.activation(), z) : z;
    }
    in = out;
  }
}

template <class T>
std::size_t value_count(const MlpLayout& layout) {
  std::size_t c = 0;
  for (int l = 1; l <= layout.layers(); ++l) c += static_cast<std::size_t>(layout.width(l));
  return c;
}

}  // namespace

template <class T>
PairScratch<T>::PairScratch(const MlpLayout& layout) : per_chunk(value_count<T>(layout)) {
  int widest = 0;
  for (int l = 1; l <= layout.layers(); ++l) widest = std::max(widest, layout.width(l));
  values.assign_zero(per_chunk);
  delta.assign_zero(static_cast<std::size_t>(widest));
  next.assign_zero(static_cast<std::size_t>(widest));
  da.assign_zero(static_cast<std::size_t>(layout.width(1)));
  grad.assign_zero(layout.offset() + layout.size() - layout.weights(1));
}

template <class T>
void PairScratch<T>::add_grad_to(const MlpLayout& layout, T* grad_out) const {
  for (std::size_t i = 0; i < grad.size(); ++i)
    grad_out[layout.weights(1) + i] += lane_sum(grad[i]);
}

template <class T>
MIB_CLONES void pair_scores(const MlpLayout& layout, const T* params, const T* a,
                                   const T* ct, int kp, T* s, PairScratch<T>& scratch, bool keep) {
  const std::size_t chunks = static_cast<std::size_t>(kp / kLanes<T>);
  if (keep && scratch.values.size() < chunks * scratch.per_chunk)
    scratch.values.assign_zero(chunks * scratch.per_chunk);
  for (int j = 0; j < kp; j += kLanes<T>) {
    Vec<T>* values = scratch.values.data() +
                     (keep ? static_cast<std::size_t>(j / kLanes<T>) * scratch.per_chunk : 0);
    forward_chunk(layout, params, a, ct, kp, j, values);
    store(s + j, values[scratch.per_chunk - 1]);
  }
}

template <class T>
MIB_CLONES void pair_backward(const MlpLayout& layout, const T* params, int kp, const T* g,
                                     T* da, T* dct, PairScratch<T>& scratch) {
  const int h1 = layout.width(1);
  const std::size_t base = layout.weights(1);
  for (int k = 0; k < h1; ++k) scratch.da[static_cast<std::size_t>(k)] = Vec<T>{};
  for (int j = 0; j < kp; j += kLanes<T>) {
    const Vec<T>* values =
        scratch.values.data() + static_cast<std::size_t>(j / kLanes<T>) * scratch.per_chunk;
    // Start at the output layer: δ = ∂L/∂f for these lanes.
    std::size_t at = scratch.per_chunk - 1;  // start of the current layer's values
    Vec<T>* delta = scratch.delta.data();
    Vec<T>* next = scratch.next.data();
    delta[0] = load(g + j);
    for (int l = layout.layers() - 1; l >= 1; --l) {
      const int n_in = layout.width(l), n_out = layout.width(l + 1);
      const std::size_t in_at = at - static_cast<std::size_t>(n_in);
      const Vec<T>* in = values + in_at;
      const T* wt = params + layout.weights(l);
      Vec<T>* gw = scratch.grad.data() + (layout.weights(l) - base);
      Vec<T>* gb = scratch.grad.data() + (layout.biases(l) - base);
      for (int m = 0; m < n_out; ++m) gb[m] = gb[m] + delta[m];
      for (int k = 0; k < n_in; ++k) {
        Vec<T> back{};
        for (int m = 0; m < n_out; ++m) {
          gw[k * n_out + m] = gw[k * n_out + m] + delta[m] * in[k];
          back = back + wt[k * n_out + m] * delta[m];
        }
        next[k] = derivative(layout.activation(), in[k], back);
      }
      std::swap(delta, next);
      at = in_at;
    }
    for (int k = 0; k < h1; ++k) {
      scratch.da[static_cast<std::size_t>(k)] = scratch.da[static_cast<std::size_t>(k)] + delta[k];
      store(dct + k * kp + j, load(dct + k * kp + j) + delta[k]);
    }
  }
  for (int k = 0; k < h1; ++k) da[k] += lane_sum(scratch.da[static_cast<std::size_t>(k)]);
}

#define MIB_INSTANTIATE(T)                                                              \
  template struct PairScratch<T>;                                                       \
  template void pair_scores<T>(const MlpLayout&, const T*, const T*, const T*, int, T*, \
                               PairScratch<T>&, bool);                                  \
  template void pair_backward<T>(const MlpLayout&, const T*, int, const T*, T*, T*,     \
                                 PairScratch<T>&);
MIB_INSTANTIATE(float)
MIB_INSTANTIATE(double)
#undef MIB_INSTANTIATE

}  // namespace mib::neural
