#pragma once
// Critics f(x, y) of the variational bounds, with their backward passes.
//   concat    — f([x, y]): one MLP on the concatenated pair (bmi's default, hidden [16, 8]).
//               All K² pairs of a batch go through the pair kernel (pairs.hpp).
//   separable — f = g(x)ᵀh(y): two MLPs to an embedding (Poole et al. 2019: hidden [256, 256],
//               embedding 32); all pairs are one K × K product of the embeddings.
// All parameters sit in one flat array (params()), which is what Adam updates.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/rng.hpp"
#include "estimators/neural/mlp.hpp"

namespace mib::neural {

enum class CriticKind { kConcat, kSeparable };
/// The critics' names in parameters (core/params.hpp).
inline const std::vector<std::pair<std::string, CriticKind>>& names(CriticKind) {
  static const std::vector<std::pair<std::string, CriticKind>> table = {
      {"concat", CriticKind::kConcat}, {"separable", CriticKind::kSeparable}};
  return table;
}
/// bmi's default critic's hidden widths (the pair kernel has a fixed-shape path for them).
inline constexpr int kBmiHidden[2] = {16, 8};
/// The hidden widths of a critic kind when none are given: [16, 8] concat (bmi), [256, 256]
/// separable (Poole et al. 2019).
std::vector<int> default_hidden(CriticKind kind);
/// The rule of a `hidden` parameter, naming those defaults.
inline constexpr const char* kHiddenRule =
    "a list of widths >= 1 ([] = the critic's default: [16, 8] concat, [256, 256] separable)";

struct CriticSpec {
  CriticKind kind = CriticKind::kConcat;
  std::vector<int> hidden;  ///< hidden widths; empty: default_hidden(kind)
  int embed = 32;           ///< separable only: the embedding width
  Activation activation = Activation::kRelu;
  int threads = 1;  ///< concat only: threads of the pair kernel (results do not depend on it)
};

template <class T>
class Critic {
 public:
  virtual ~Critic() = default;
  std::vector<T>& params() { return params_; }
  const std::vector<T>& params() const { return params_; }

  /// s (kx × ky, row-major): s(i, j) = f(x_i, y_j); x is kx × dx, y is ky × dy (row-major).
  /// Keeps what all_pairs_backward needs.
  virtual void all_pairs(const T* x, int kx, const T* y, int ky, std::vector<T>& s) = 0;
  /// Adds ∂L/∂θ to grad given ds = ∂L/∂s of the last all_pairs call.
  virtual void all_pairs_backward(const std::vector<T>& ds, T* grad) = 0;
  /// ∂L/∂s for row i of the scores, from that row alone: (i, s_row, g_row), ky values each.
  using RowGradient = std::function<void(int, const T*, T*)>;
  /// One training pass over all pairs for a loss whose gradient is row-local: the same as
  /// all_pairs, row_gradient on each row, then all_pairs_backward — adds ∂L/∂θ to grad — but a
  /// critic may fuse the passes (the concat critic keeps each row's activations instead of
  /// computing them twice). row_gradient may be called from several threads at once.
  virtual void all_pairs_rowwise(const T* x, int kx, const T* y, int ky,
                                 const RowGradient& row_gradient, T* grad);
  /// s_i = f(x_i, y_i) for i < k. Keeps what paired_backward needs.
  virtual void paired(const T* x, const T* y, int k, std::vector<T>& s) = 0;
  virtual void paired_backward(const std::vector<T>& ds, T* grad) = 0;
  /// Calls visit(i, s_i) once for every row i < n of the n × n score matrix of (x, y), s_i
  /// being row i's n scores f(x_i, y_j); keeps no state. For evaluation on a whole test set:
  /// visit may be called from several threads at once and in any row order.
  using RowVisit = std::function<void(int, const T*)>;
  virtual void score_rows(const T* x, const T* y, int n, const RowVisit& visit) = 0;

 protected:
  Critic(int dx, int dy) : dx_(dx), dy_(dy) {}
  int dx_, dy_;
  std::vector<T> params_;
};

/// A critic for dx- and dy-dimensional inputs, initialised from rng. InvalidArgument (naming
/// `where`) for an unknown kind or bad widths.
template <class T>
std::unique_ptr<Critic<T>> make_critic(const CriticSpec& spec, int dx, int dy, Rng& rng,
                                       const std::string& where);

}  // namespace mib::neural
