#include "estimators/neural/kernels.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <type_traits>
#include <utility>

#include "estimators/neural/simd.hpp"

namespace mib::neural {
namespace {

// Rows [i0, i0 + R) × the vector columns [j, j + V·L) of C, accumulated in registers over k.
template <class T, int R, int V>
__attribute__((always_inline)) inline void gemm_block(int i0, int j, int kdim, const T* a,
                                                      std::ptrdiff_t rsa, std::ptrdiff_t csa,
                                                      const T* b, std::ptrdiff_t ldb, T* c,
                                                      std::ptrdiff_t ldc, bool accumulate) {
  constexpr int L = kLanes<T>;
  Vec<T> acc[R][V];
  for (int r = 0; r < R; ++r)
    for (int v = 0; v < V; ++v)
      acc[r][v] = accumulate ? load(c + (i0 + r) * ldc + j + v * L) : Vec<T>{};
  for (int k = 0; k < kdim; ++k) {
    Vec<T> bv[V];
    for (int v = 0; v < V; ++v) bv[v] = load(b + k * ldb + j + v * L);
    for (int r = 0; r < R; ++r) {
      const T s = a[(i0 + r) * rsa + k * csa];
      for (int v = 0; v < V; ++v) acc[r][v] = acc[r][v] + s * bv[v];
    }
  }
  for (int r = 0; r < R; ++r)
    for (int v = 0; v < V; ++v) store(c + (i0 + r) * ldc + j + v * L, acc[r][v]);
}

template <class T, int R>
__attribute__((always_inline)) inline void gemm_rows(int i0, int n, int kdim, const T* a,
                                                     std::ptrdiff_t rsa, std::ptrdiff_t csa,
                                                     const T* b, std::ptrdiff_t ldb, T* c,
                                                     std::ptrdiff_t ldc, bool accumulate) {
  constexpr int L = kLanes<T>;
  int j = 0;
  for (; j + 2 * L <= n; j += 2 * L)
    gemm_block<T, R, 2>(i0, j, kdim, a, rsa, csa, b, ldb, c, ldc, accumulate);
  for (; j + L <= n; j += L)
    gemm_block<T, R, 1>(i0, j, kdim, a, rsa, csa, b, ldb, c, ldc, accumulate);
  for (; j < n; ++j) {  // the scalar tail sums in the same order as the lanes
    for (int r = 0; r < R; ++r) {
      T s = accumulate ? c[(i0 + r) * ldc + j] : T(0);
      for (int k = 0; k < kdim; ++k) s = s + a[(i0 + r) * rsa + k * csa] * b[k * ldb + j];
      c[(i0 + r) * ldc + j] = s;
    }
  }
}

}  // namespace

template <class T>
MIB_CLONES void gemm(int m, int n, int kdim, const T* a, std::ptrdiff_t rsa, std::ptrdiff_t csa,
                     const T* b, std::ptrdiff_t ldb, T* c, std::ptrdiff_t ldc, bool accumulate) {
  int i = 0;
  for (; i + 8 <= m; i += 8) gemm_rows<T, 8>(i, n, kdim, a, rsa, csa, b, ldb, c, ldc, accumulate);
  for (; i + 4 <= m; i += 4) gemm_rows<T, 4>(i, n, kdim, a, rsa, csa, b, ldb, c, ldc, accumulate);
  for (; i < m; ++i) gemm_rows<T, 1>(i, n, kdim, a, rsa, csa, b, ldb, c, ldc, accumulate);
}

namespace {

// f applied lane-wise to [0, n): whole vectors, then the scalar tail (same arithmetic).
template <class T, class F>
__attribute__((always_inline)) inline void for_each_lane(std::size_t n, F f) {
  constexpr std::size_t L = kLanes<T>;
  std::size_t i = 0;
  for (; i + L <= n; i += L) f(i, std::integral_constant<bool, true>{});
  for (; i < n; ++i) f(i, std::integral_constant<bool, false>{});
}

}  // namespace

template <class T>
MIB_CLONES void activate(Activation act, T* v, std::size_t n) {
  switch (act) {
    case Activation::kRelu:
      for_each_lane<T>(n, [&](std::size_t i, auto vector) {
        if constexpr (decltype(vector)::value) {
          const Vec<T> z = load(v + i);
          store(v + i, z > 0 ? z : Vec<T>{});
        } else {
          v[i] = v[i] > 0 ? v[i] : T(0);
        }
      });
      break;
    case Activation::kElu:
      for (std::size_t i = 0; i < n; ++i) v[i] = v[i] > 0 ? v[i] : std::expm1(v[i]);
      break;
    case Activation::kTanh:
      for (std::size_t i = 0; i < n; ++i) v[i] = std::tanh(v[i]);
      break;
    case Activation::kLeakyRelu:
      for (std::size_t i = 0; i < n; ++i) v[i] = v[i] > 0 ? v[i] : T(0.2) * v[i];
      break;
  }
}

template <class T>
MIB_CLONES void activation_backward(Activation act, const T* a, T* d, std::size_t n) {
  for_each_lane<T>(n, [&](std::size_t i, auto vector) {
    if constexpr (decltype(vector)::value) {
      const Vec<T> av = load(a + i), dv = load(d + i);
      switch (act) {
        case Activation::kRelu:
          store(d + i, av > 0 ? dv : Vec<T>{});
          break;
        case Activation::kElu:
          store(d + i, av > 0 ? dv : dv * (av + 1));
          break;
        case Activation::kTanh:
          store(d + i, dv * (1 - av * av));
          break;
        case Activation::kLeakyRelu:  // the output has the input's sign
          store(d + i, av > 0 ? dv : dv * T(0.2));
          break;
      }
    } else {
      switch (act) {
        case Activation::kRelu:
          d[i] = a[i] > 0 ? d[i] : T(0);
          break;
        case Activation::kElu:
          d[i] = a[i] > 0 ? d[i] : d[i] * (a[i] + 1);
          break;
        case Activation::kTanh:
          d[i] = d[i] * (1 - a[i] * a[i]);
          break;
        case Activation::kLeakyRelu:
          d[i] = a[i] > 0 ? d[i] : d[i] * T(0.2);
          break;
      }
    }
  });
}

template <class T>
void transpose(int rows, int cols, const T* a, T* out, std::ptrdiff_t ldo) {
  constexpr int kTile = 16;  // tiles keep both the reads and the strided writes in cache
  for (int r0 = 0; r0 < rows; r0 += kTile)
    for (int c0 = 0; c0 < cols; c0 += kTile)
      for (int r = r0; r < std::min(rows, r0 + kTile); ++r)
        for (int c = c0; c < std::min(cols, c0 + kTile); ++c)
          out[c * ldo + r] = a[static_cast<std::ptrdiff_t>(r) * cols + c];
}

template <class T>
MIB_CLONES void add_column_sums(int rows, int cols, const T* a, T* out) {
  for (int r = 0; r < rows; ++r) {
    const T* row = a + static_cast<std::ptrdiff_t>(r) * cols;
    for_each_lane<T>(static_cast<std::size_t>(cols), [&](std::size_t i, auto vector) {
      if constexpr (decltype(vector)::value) {
        store(out + i, load(out + i) + load(row + i));
      } else {
        out[i] += row[i];
      }
    });
  }
}

template <class T>
MIB_CLONES void adam_update(std::size_t n, T* params, const T* grad, T* m, T* v, T lr, T c1, T c2,
                            T eps) {
  const T b1 = T(0.9), b2 = T(0.999);
  for_each_lane<T>(n, [&](std::size_t i, auto vector) {
    if constexpr (decltype(vector)::value) {
      const Vec<T> g = load(grad + i);
      const Vec<T> mi = b1 * load(m + i) + (1 - b1) * g;
      const Vec<T> vi = b2 * load(v + i) + (1 - b2) * g * g;
      store(m + i, mi);
      store(v + i, vi);
      const Vec<T> s = vi / c2;
      Vec<T> root;
      for (int l = 0; l < kLanes<T>; ++l) root[l] = std::sqrt(s[l]);
      store(params + i, load(params + i) - lr * (mi / c1) / (root + eps));
    } else {
      m[i] = b1 * m[i] + (1 - b1) * grad[i];
      v[i] = b2 * v[i] + (1 - b2) * grad[i] * grad[i];
      params[i] -= lr * (m[i] / c1) / (std::sqrt(v[i] / c2) + eps);
    }
  });
}

template <class T>
MIB_CLONES void exp_shifted(const T* s, double shift, double sign, int n, double* out) {
  if constexpr (std::is_same_v<T, float>) {  // float scores: the single-precision exp
    constexpr int L = kLanes<float>;
    const float f_shift = static_cast<float>(shift), f_sign = static_cast<float>(sign);
    int j = 0;
    for (; j + L <= n; j += L) {
      const Vec<float> e = exp_fixed_float(f_sign * (load(s + j) - f_shift));
      for (int l = 0; l < L; ++l) out[j + l] = e[l];
    }
    for (; j < n; ++j) {
      Vec<float> v{};
      v[0] = f_sign * (s[j] - f_shift);
      out[j] = exp_fixed_float(v)[0];
    }
    return;
  }
  constexpr int L = kLanes<double>;
  int j = 0;
  for (; j + L <= n; j += L) {
    Vec<double> v;
    for (int l = 0; l < L; ++l) v[l] = sign * (static_cast<double>(s[j + l]) - shift);
    store(out + j, exp_fixed(v));
  }
  for (; j < n; ++j) out[j] = exp_fixed(sign * (static_cast<double>(s[j]) - shift));
}

template <class T>
MIB_CLONES double infonce_row(const T* s, int k, int i, T* g, bool value, double* e) {
  constexpr int L = kLanes<T>;
  // The row's largest score: lane maxima, then across lanes (max is exact in any order).
  Vec<T> top = broadcast(s[0]);
  int j = 0;
  for (; j + L <= k; j += L) {
    const Vec<T> v = load(s + j);
    top = v > top ? v : top;
  }
  T m = top[0];
  for (int l = 1; l < L; ++l) m = std::max(m, top[l]);
  for (; j < k; ++j) m = std::max(m, s[j]);
  exp_shifted(s, m, 1.0, k, e);
  // Eight running sums, e[j] into sum j mod 8, then added in order.
  constexpr int kD = kLanes<double>;
  static_assert(kD == 8, "eight running sums, one per lane");
  Vec<double> part{};
  j = 0;
  for (; j + kD <= k; j += kD) part = part + load(e + j);
  for (; j < k; ++j) part[j % kD] += e[j];
  double z = 0;
  for (int l = 0; l < kD; ++l) z += part[l];
  const double kk = k, scale = -1 / (z * kk);
  for (j = 0; j < k; ++j) g[j] = static_cast<T>(e[j] * scale);
  g[i] = static_cast<T>(g[i] + 1 / kk);
  return value ? ((static_cast<double>(s[i]) - m) - std::log(z)) / kk : 0;
}

#define MIB_INSTANTIATE(T)                                                                 \
  template double infonce_row<T>(const T*, int, int, T*, bool, double*);                   \
  template void gemm<T>(int, int, int, const T*, std::ptrdiff_t, std::ptrdiff_t, const T*, \
                        std::ptrdiff_t, T*, std::ptrdiff_t, bool);                         \
  template void activate<T>(Activation, T*, std::size_t);                                  \
  template void activation_backward<T>(Activation, const T*, T*, std::size_t);             \
  template void add_column_sums<T>(int, int, const T*, T*);                                \
  template void transpose<T>(int, int, const T*, T*, std::ptrdiff_t);                      \
  template void exp_shifted<T>(const T*, double, double, int, double*);                    \
  template void adam_update<T>(std::size_t, T*, const T*, T*, T*, T, T, T, T);
MIB_INSTANTIATE(float)
MIB_INSTANTIATE(double)
#undef MIB_INSTANTIATE

}  // namespace mib::neural
