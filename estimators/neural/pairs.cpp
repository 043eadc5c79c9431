#include "estimators/neural/pairs.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <string>

#include "core/error.hpp"
#include "estimators/neural/critic.hpp"

// Runtime dispatch between instruction sets: GCC on x86-64 (clang and others take the portable
// path, which gives the same bits).
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define MIB_PAIRS_DISPATCH 1
#include <immintrin.h>
#else
#define MIB_PAIRS_DISPATCH 0
#endif

// The multiply-adds of the kernels are fused (one rounding, IEEE fma): with AVX-512 or AVX2+FMA
// one instruction per vector, elsewhere std::fma per lane (exact, but slow without hardware
// FMA). All paths give the same bits, tested by running each on the same inputs
// (force_pair_isa). The kernels are compiled once per path, each copy in its own namespace and,
// for AVX-512 / AVX2, inside a `#pragma GCC target` region, so no function compiled for one
// instruction set can stand in for another's (no shared inline definitions between them).

namespace mib::neural {

namespace isa_portable {
template <class V>
__attribute__((always_inline)) inline V fmadd(V a, V b, V c) {
  for (int l = 0; l < kLanes<ElementOf<V>>; ++l) a[l] = std::fma(a[l], b[l], c[l]);
  return a;
}
template <class T>
__attribute__((always_inline)) inline Vec<T> splat(T a) {
  Vec<T> v;
  for (int l = 0; l < kLanes<T>; ++l) v[l] = a;
  return v;
}
constexpr int kChunks = 1;  // chunks of lanes per forward pass (pairs_kernels.inc)
#include "estimators/neural/pairs_kernels.inc"
}  // namespace isa_portable

#if MIB_PAIRS_DISPATCH
#pragma GCC push_options
#pragma GCC target("arch=x86-64-v3")
namespace isa_v3 {  // AVX2 + FMA: a 64-byte vector is two 32-byte registers
__attribute__((always_inline)) inline Vec<float> splat(float a) {
  const __m256 h[2] = {_mm256_set1_ps(a), _mm256_set1_ps(a)};
  Vec<float> v;
  std::memcpy(&v, h, sizeof v);
  return v;
}
__attribute__((always_inline)) inline Vec<double> splat(double a) {
  const __m256d h[2] = {_mm256_set1_pd(a), _mm256_set1_pd(a)};
  Vec<double> v;
  std::memcpy(&v, h, sizeof v);
  return v;
}
__attribute__((always_inline)) inline Vec<float> fmadd(Vec<float> a, Vec<float> b, Vec<float> c) {
  __m256 h[3][2];
  std::memcpy(h[0], &a, sizeof a);
  std::memcpy(h[1], &b, sizeof b);
  std::memcpy(h[2], &c, sizeof c);
  const __m256 r[2] = {_mm256_fmadd_ps(h[0][0], h[1][0], h[2][0]),
                       _mm256_fmadd_ps(h[0][1], h[1][1], h[2][1])};
  std::memcpy(&a, r, sizeof a);
  return a;
}
__attribute__((always_inline)) inline Vec<double> fmadd(Vec<double> a, Vec<double> b,
                                                        Vec<double> c) {
  __m256d h[3][2];
  std::memcpy(h[0], &a, sizeof a);
  std::memcpy(h[1], &b, sizeof b);
  std::memcpy(h[2], &c, sizeof c);
  const __m256d r[2] = {_mm256_fmadd_pd(h[0][0], h[1][0], h[2][0]),
                        _mm256_fmadd_pd(h[0][1], h[1][1], h[2][1])};
  std::memcpy(&a, r, sizeof a);
  return a;
}
constexpr int kChunks = 1;  // a vector is two of AVX2's 16 registers: no room for two chunks
#include "estimators/neural/pairs_kernels.inc"
}  // namespace isa_v3
#pragma GCC pop_options

#pragma GCC push_options
#pragma GCC target("arch=x86-64-v4")
namespace isa_v4 {  // AVX-512: one register per vector
__attribute__((always_inline)) inline Vec<float> splat(float a) {
  return reinterpret_cast<Vec<float>>(_mm512_set1_ps(a));
}
__attribute__((always_inline)) inline Vec<double> splat(double a) {
  return reinterpret_cast<Vec<double>>(_mm512_set1_pd(a));
}
__attribute__((always_inline)) inline Vec<float> fmadd(Vec<float> a, Vec<float> b, Vec<float> c) {
  return reinterpret_cast<Vec<float>>(_mm512_fmadd_ps(
      reinterpret_cast<__m512>(a), reinterpret_cast<__m512>(b), reinterpret_cast<__m512>(c)));
}
__attribute__((always_inline)) inline Vec<double> fmadd(Vec<double> a, Vec<double> b,
                                                        Vec<double> c) {
  return reinterpret_cast<Vec<double>>(_mm512_fmadd_pd(
      reinterpret_cast<__m512d>(a), reinterpret_cast<__m512d>(b), reinterpret_cast<__m512d>(c)));
}
constexpr int kChunks = 2;  // two chunks' 8 + 8 chains of layer 2 fit AVX-512's 32 registers
#include "estimators/neural/pairs_kernels.inc"
}  // namespace isa_v4
#pragma GCC pop_options
#endif

int best_pair_isa() {
#if MIB_PAIRS_DISPATCH
  return __builtin_cpu_supports("x86-64-v4") ? 4 : __builtin_cpu_supports("x86-64-v3") ? 3 : 0;
#else
  return 0;
#endif
}

namespace {

std::atomic<int> forced_isa{0};

// 4 (x86-64-v4), 3 (x86-64-v3) or 0 (portable): the best the CPU runs, or the forced one.
int active_isa() {
  if (const int forced = forced_isa.load(std::memory_order_relaxed)) return forced < 0 ? 0 : forced;
#if MIB_PAIRS_DISPATCH
  static const int best = best_pair_isa();
  return best;
#else
  return 0;
#endif
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
  for (int l = 1; l <= layout.layers(); ++l) widest = std::max(widest, layout.width(l));
  values.assign_zero(2 * per_chunk);  // up to two chunks at once (pairs_kernels.inc's kChunks)
  grad.assign_zero(layout.offset() + layout.size() - layout.weights(1));
}

template <class T>
void PairScratch<T>::add_grad_to(const MlpLayout& layout, T* grad_out) const {
  for (std::size_t i = 0; i < grad.size(); ++i)
    grad_out[layout.weights(1) + i] += lane_sum(grad[i]);
}

void force_pair_isa(int level) {
  require(level == 0 || level == 3 || level == 4, "force_pair_isa", "the level", "0, 3 or 4",
          level);
  require(level <= best_pair_isa(), "force_pair_isa", "the level",
          "at most the CPU's (" + std::to_string(best_pair_isa()) + ")", level);
  forced_isa.store(level == 0 ? -1 : level, std::memory_order_relaxed);
}

void unforce_pair_isa() { forced_isa.store(0, std::memory_order_relaxed); }

template <class T>
void pair_scores(const MlpLayout& layout, const T* params, const T* a, const T* ct, int kp, T* s,
                 PairScratch<T>& scratch, bool keep) {
  switch (active_isa()) {
#if MIB_PAIRS_DISPATCH
    case 4:
      return isa_v4::pair_scores(layout, params, a, ct, kp, s, scratch, keep);
    case 3:
      return isa_v3::pair_scores(layout, params, a, ct, kp, s, scratch, keep);
#endif
    default:
      return isa_portable::pair_scores(layout, params, a, ct, kp, s, scratch, keep);
  }
}

template <class T>
void pair_backward(const MlpLayout& layout, const T* params, int kp, const T* g, T* da, T* dct,
                   PairScratch<T>& scratch) {
  switch (active_isa()) {
#if MIB_PAIRS_DISPATCH
    case 4:
      return isa_v4::pair_backward(layout, params, kp, g, da, dct, scratch);
    case 3:
      return isa_v3::pair_backward(layout, params, kp, g, da, dct, scratch);
#endif
    default:
      return isa_portable::pair_backward(layout, params, kp, g, da, dct, scratch);
  }
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
