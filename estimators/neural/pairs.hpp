#pragma once
// The all-pairs kernel of the concatenated critic f([x, y]) (bmi's default critic). Its first
// layer's pre-activation splits as W₁[x, y] + b₁ = (W₁ˣx) + (W₁ʸy + b₁), so each part is
// computed once per row of the batch (two K × h₁ products) and a pair only adds them; the
// later layers run on 16 (float) or 8 (double) pairs at once, one pair per vector lane.

#include "estimators/neural/mlp.hpp"
#include "estimators/neural/simd.hpp"

namespace mib::neural {

/// Scratch for one thread of the kernel; sized for a layout.
template <class T>
struct PairScratch {
  explicit PairScratch(const MlpLayout& layout);
  std::size_t per_chunk;  ///< values of layers 1 … L for one chunk of lanes
  VecBuffer<T> values;    ///< one chunk's values, or a whole row's (pair_scores with keep)
  int widest = 0;         ///< the widest layer
  VecBuffer<T> row_delta, row_next;  ///< pair_backward's δ for every chunk of a row
  VecBuffer<T> grad;  ///< per-lane ∂/∂θ of layers 1 … L−1, laid out as the parameters
  void add_grad_to(const MlpLayout& layout, T* grad_out) const;  ///< lane sums, in lane order
};

/// s[j] = f(x_i, y_j) for j < kp, where a = W₁ˣx_i (h₁ values), ct = (W₁ʸY + b₁)ᵀ (h₁ × kp,
/// row-major) and kp is a multiple of kLanes<T> (pad Y with zero columns). With keep, the
/// row's activations stay in scratch for pair_backward.
template <class T>
void pair_scores(const MlpLayout& layout, const T* params, const T* a, const T* ct, int kp, T* s,
                 PairScratch<T>& scratch, bool keep);

/// Backward pass of the row last scored with keep, given g[j] = ∂L/∂f(x_i, y_j) (0 on the
/// padding): adds the per-lane gradient of layers 1 … L−1 to scratch.grad, ∂L/∂a to da
/// (h₁ values) and ∂L/∂ct to dct (h₁ × kp).
template <class T>
void pair_backward(const MlpLayout& layout, const T* params, int kp, const T* g, T* da, T* dct,
                   PairScratch<T>& scratch);

/// The instruction set of the pair kernels: 4 (x86-64-v4, AVX-512), 3 (x86-64-v3, AVX2 + FMA)
/// or 0 (portable C++, std::fma per lane). They give the same bits (fused multiply-adds
/// everywhere); best_pair_isa() is the best this CPU and build run, the one used by default.
int best_pair_isa();
/// For tests: run the kernels on `level` (InvalidArgument above best_pair_isa()) until
/// unforce_pair_isa(). Process-wide.
void force_pair_isa(int level);
void unforce_pair_isa();

}  // namespace mib::neural
