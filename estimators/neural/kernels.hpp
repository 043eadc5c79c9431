#pragma once
// Dense kernels of the neural estimators. Each output element is one sum over a fixed index
// order (the order a scalar loop would use), with one output element per vector lane: no
// result depends on the instruction set, the vector width or the thread count.

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace mib::neural {

/// kLeakyRelu: v for v > 0, 0.2 v otherwise (the slope latentmi's autoencoders use).
enum class Activation { kRelu, kElu, kTanh, kLeakyRelu };
/// The activations' names in parameters (core/params.hpp): ELU has α = 1.
inline const std::vector<std::pair<std::string, Activation>>& names(Activation) {
  static const std::vector<std::pair<std::string, Activation>> table = {
      {"relu", Activation::kRelu},
      {"elu", Activation::kElu},
      {"tanh", Activation::kTanh},
      {"leaky_relu", Activation::kLeakyRelu}};
  return table;
}

/// C (m × n) = (accumulate ? C : 0) + A·B, summed over k = 0 … kdim − 1 in order.
/// A is read as A(i, k) = a[i·rsa + k·csa] (so Aᵀ is a stride swap), B and C are row-major
/// with row strides ldb and ldc.
template <class T>
void gemm(int m, int n, int kdim, const T* a, std::ptrdiff_t rsa, std::ptrdiff_t csa, const T* b,
          std::ptrdiff_t ldb, T* c, std::ptrdiff_t ldc, bool accumulate);

/// v ← act(v) for n values.
template <class T>
void activate(Activation act, T* v, std::size_t n);

/// d ← d · act′ for n values, the derivative read from the activation values a = act(z):
/// ReLU 1[a > 0] (0 at 0, as PyTorch), ELU 1 if a > 0 else a + 1, tanh 1 − a².
template <class T>
void activation_backward(Activation act, const T* a, T* d, std::size_t n);

/// out (cols × rows, row stride ldo) = aᵀ for a (rows × cols, row-major).
template <class T>
void transpose(int rows, int cols, const T* a, T* out, std::ptrdiff_t ldo);

/// out[c] += Σ_r a(r, c) over the rows of a (rows × cols, row-major), in row order.
template <class T>
void add_column_sums(int rows, int cols, const T* a, T* out);

/// One Adam step on n parameters (see protocol.hpp): m, v the moment estimates, c1 = 1 − β₁ᵗ,
/// c2 = 1 − β₂ᵗ, eps the denominator's ε.
template <class T>
void adam_update(std::size_t n, T* params, const T* grad, T* m, T* v, T lr, T c1, T c2, T eps);

/// out[j] = e^{sign · (s[j] − shift)} for j < n, by exp_fixed (simd.hpp): the same bits on
/// every machine. Float scores use the single-precision exp (the argument in float too).
template <class T>
void exp_shifted(const T* s, double shift, double sign, int n, double* out);

/// InfoNCE's row term and its score gradient (bounds.cpp): with m = max_j s[j] and
/// z = Σ_j e^{s[j] − m} (exp_shifted into e, summed in eight running sums j mod 8, then in
/// order), g[j] = −e^{s[j] − m} / (z k) plus 1/k at j = i, and the value (s[i] − m − ln z) / k when
/// asked (<= 0 exactly: z >= 1). e: k values of scratch.
template <class T>
double infonce_row(const T* s, int k, int i, T* g, bool value, double* e);

}  // namespace mib::neural
