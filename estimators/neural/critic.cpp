#include "estimators/neural/critic.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "core/parallel.hpp"
#include "core/params.hpp"
#include "estimators/neural/kernels.hpp"
#include "estimators/neural/pairs.hpp"

namespace mib::neural {
namespace {

using std::size_t;

// The pair kernel's rows are cut into this many fixed blocks, each with its own gradient
// accumulators summed in block order: the result is the same for every thread count.
constexpr int kBlocks = 8;

template <class T>
class ConcatCritic final : public Critic<T> {
 public:
  ConcatCritic(std::vector<int> hidden, Activation act, int dx, int dy, int threads, Rng& rng)
      : Critic<T>(dx, dy), threads_(threads) {
    std::vector<int> widths{dx + dy};
    widths.insert(widths.end(), hidden.begin(), hidden.end());
    widths.push_back(1);
    layout_ = MlpLayout(widths, act, 0);
    this->params_.resize(layout_.size());
    layout_.initialise(this->params_.data(), rng);
  }

  void all_pairs(const T* x, int kx, const T* y, int ky, std::vector<T>& s) override {
    s.resize(static_cast<size_t>(kx) * ky);
    score_each_row(x, kx, y, ky, [&](int i, const T* row) {
      std::copy(row, row + ky, s.begin() + static_cast<std::ptrdiff_t>(i) * ky);
    });
  }

  void score_rows(const T* x, const T* y, int n,
                  const typename Critic<T>::RowVisit& visit) override {
    score_each_row(x, n, y, n, visit);
  }

  void all_pairs_backward(const std::vector<T>& ds, T* grad) override {
    // The rows' activations are computed again (all_pairs keeps none).
    train_rows(grad, [&](int i, const T*, T* g) {
      std::copy(ds.begin() + static_cast<std::ptrdiff_t>(i) * ky_,
                ds.begin() + static_cast<std::ptrdiff_t>(i + 1) * ky_, g);
    });
  }

  void all_pairs_rowwise(const T* x, int kx, const T* y, int ky,
                         const typename Critic<T>::RowGradient& row_gradient, T* grad) override {
    prepare(x, kx, y, ky);
    train_rows(grad, row_gradient);
  }

  void paired(const T* x, const T* y, int k, std::vector<T>& s) override {
    std::vector<T> z(static_cast<size_t>(k) * (dx_ + dy_));
    for (int i = 0; i < k; ++i) {
      std::copy(x + static_cast<size_t>(i) * dx_, x + static_cast<size_t>(i + 1) * dx_,
                z.begin() + static_cast<std::ptrdiff_t>(i) * (dx_ + dy_));
      std::copy(y + static_cast<size_t>(i) * dy_, y + static_cast<size_t>(i + 1) * dy_,
                z.begin() + static_cast<std::ptrdiff_t>(i) * (dx_ + dy_) + dx_);
    }
    layout_.forward(this->params_.data(), z.data(), k, cache_);
    s.assign(cache_.output(), cache_.output() + k);
  }

  void paired_backward(const std::vector<T>& ds, T* grad) override {
    layout_.backward(this->params_.data(), cache_, ds.data(), grad);
  }

 private:
  // For each row: scores (activations kept), g = ∂L/∂scores from fill(i, scores, g), then
  // the backward pass; the rows run in kBlocks fixed blocks whose gradients add up in block
  // order. Then the first layer's gradient from ∂L/∂a and ∂L/∂ct.
  template <class Fill>
  void train_rows(T* grad, const Fill& fill) {
    const int h = h1();
    const T* p = this->params_.data();
    std::vector<T> da(static_cast<size_t>(kx_) * h, T(0));
    // Per block, kept between steps (allocating them every step cost ~4 % of it): the kernel's
    // scratch, its gradient zeroed here, and ∂L/∂ct.
    if (scratch_.size() != static_cast<size_t>(blocks())) {
      scratch_.clear();
      for (int b = 0; b < blocks(); ++b) scratch_.emplace_back(layout_);
    }
    for (auto& work : scratch_) work.grad.fill_zero();
    auto& scratch = scratch_;
    auto& dct = dct_;
    dct.resize(static_cast<size_t>(blocks()));
    parallel_for(blocks(), threads_, [&](std::ptrdiff_t b0, std::ptrdiff_t b1) {
      std::vector<T> s(static_cast<size_t>(kp_)), g(static_cast<size_t>(kp_), T(0));
      for (std::ptrdiff_t b = b0; b < b1; ++b) {
        auto& d = dct[static_cast<size_t>(b)];
        auto& work = scratch[static_cast<size_t>(b)];
        d.assign(static_cast<size_t>(h) * kp_, T(0));
        for (int i = row_begin(b); i < row_begin(b + 1); ++i) {
          const T* a = a_.data() + static_cast<size_t>(i) * h;
          pair_scores(layout_, p, a, ct_.data(), kp_, s.data(), work, true);
          fill(i, s.data(), g.data());  // g's padding stays 0
          pair_backward(layout_, p, kp_, g.data(), da.data() + static_cast<size_t>(i) * h, d.data(),
                        work);
        }
      }
    });
    std::vector<T> dc(static_cast<size_t>(ky_) * h, T(0));  // ∂L/∂(W₁ʸy_j + b₁), ky × h₁
    for (int b = 0; b < blocks(); ++b) {
      scratch[static_cast<size_t>(b)].add_grad_to(layout_, grad);
      for (int k = 0; k < h; ++k)
        for (int j = 0; j < ky_; ++j)
          dc[static_cast<size_t>(j) * h + k] +=
              dct[static_cast<size_t>(b)][static_cast<size_t>(k) * kp_ + j];
    }
    T* gw = grad + layout_.weights(0);
    gemm<T>(dx_, h, kx_, x_, 1, dx_, da.data(), h, gw, h, true);
    gemm<T>(dy_, h, ky_, y_, 1, dy_, dc.data(), h, gw + static_cast<size_t>(dx_) * h, h, true);
    add_column_sums(ky_, h, dc.data(), grad + layout_.biases(0));
  }

  // visit(i, row) with row i's scores (kp_ values, the first ky real) for every i < kx, the rows
  // split over threads_, each visited by the thread that computed it.
  template <class Visit>
  void score_each_row(const T* x, int kx, const T* y, int ky, const Visit& visit) {
    prepare(x, kx, y, ky);
    const T* p = this->params_.data();
    parallel_for(kx, threads_, [&](std::ptrdiff_t i0, std::ptrdiff_t i1) {
      PairScratch<T> scratch(layout_);
      std::vector<T> row(static_cast<size_t>(kp_));
      for (auto i = static_cast<int>(i0); i < i1; ++i) {
        pair_scores(layout_, p, a_.data() + static_cast<size_t>(i) * h1(), ct_.data(), kp_,
                    row.data(), scratch, false);
        visit(i, row.data());
      }
    });
  }

  int h1() const { return layout_.width(1); }
  int blocks() const { return std::min(kBlocks, kx_); }
  int row_begin(std::ptrdiff_t b) const { return static_cast<int>(kx_ * b / blocks()); }

  // a = X W₁ˣ (kx × h₁) and ct = (Y W₁ʸ + b₁)ᵀ (h₁ × kp, zero padding to a lane multiple).
  void prepare(const T* x, int kx, const T* y, int ky) {
    x_ = x, y_ = y, kx_ = kx, ky_ = ky;
    const int h = h1();
    const T* w = this->params_.data() + layout_.weights(0);
    a_.resize(static_cast<size_t>(kx) * h);
    gemm<T>(kx, h, dx_, x, dx_, 1, w, h, a_.data(), h, false);
    std::vector<T> c(static_cast<size_t>(ky) * h);
    const T* b1 = this->params_.data() + layout_.biases(0);
    for (int j = 0; j < ky; ++j)
      std::copy(b1, b1 + h, c.begin() + static_cast<std::ptrdiff_t>(j) * h);
    gemm<T>(ky, h, dy_, y, dy_, 1, w + static_cast<size_t>(dx_) * h, h, c.data(), h, true);
    kp_ = (ky + kLanes<T> - 1) / kLanes<T> * kLanes<T>;
    ct_.assign(static_cast<size_t>(h) * kp_, T(0));
    transpose(ky, h, c.data(), ct_.data(), kp_);
  }

  using Critic<T>::dx_;
  using Critic<T>::dy_;
  int threads_;
  MlpLayout layout_;
  MlpLayout::Cache<T> cache_;
  const T* x_ = nullptr;
  const T* y_ = nullptr;
  int kx_ = 0, ky_ = 0, kp_ = 0;
  std::vector<T> a_, ct_;
  std::vector<PairScratch<T>> scratch_;  // train_rows' per-block buffers
  std::vector<std::vector<T>> dct_;
};

template <class T>
class SeparableCritic final : public Critic<T> {
 public:
  SeparableCritic(const std::vector<int>& hidden, int embed, Activation act, int dx, int dy,
                  Rng& rng)
      : Critic<T>(dx, dy), embed_(embed) {
    auto widths = [&](int d) {
      std::vector<int> w{d};
      w.insert(w.end(), hidden.begin(), hidden.end());
      w.push_back(embed);
      return w;
    };
    g_ = MlpLayout(widths(dx), act, 0);
    h_ = MlpLayout(widths(dy), act, g_.size());
    this->params_.resize(g_.size() + h_.size());
    g_.initialise(this->params_.data(), rng);
    h_.initialise(this->params_.data(), rng);
  }

  void all_pairs(const T* x, int kx, const T* y, int ky, std::vector<T>& s) override {
    embed(x, kx, y, ky);
    s.resize(static_cast<size_t>(kx) * ky);
    product(gx_.output(), kx, hy_.output(), ky, s.data());
  }

  void all_pairs_backward(const std::vector<T>& ds, T* grad) override {
    const int kx = gx_.n, ky = hy_.n, e = embed_;
    std::vector<T> dg(static_cast<size_t>(kx) * e), dh(static_cast<size_t>(ky) * e);
    gemm<T>(kx, e, ky, ds.data(), ky, 1, hy_.output(), e, dg.data(), e, false);  // dS H
    gemm<T>(ky, e, kx, ds.data(), 1, ky, gx_.output(), e, dh.data(), e, false);  // dSᵀ G
    backward(dg, dh, grad);
  }

  void paired(const T* x, const T* y, int k, std::vector<T>& s) override {
    embed(x, k, y, k);
    s.resize(static_cast<size_t>(k));
    for (int i = 0; i < k; ++i) s[static_cast<size_t>(i)] = dot(i, i);
  }

  void paired_backward(const std::vector<T>& ds, T* grad) override {
    const int k = gx_.n, e = embed_;
    std::vector<T> dg(static_cast<size_t>(k) * e), dh(static_cast<size_t>(k) * e);
    for (int i = 0; i < k; ++i)
      for (int c = 0; c < e; ++c) {
        const size_t at = static_cast<size_t>(i) * e + c;
        dg[at] = ds[static_cast<size_t>(i)] * hy_.output()[at];
        dh[at] = ds[static_cast<size_t>(i)] * gx_.output()[at];
      }
    backward(dg, dh, grad);
  }

  void score_rows(const T* x, const T* y, int n,
                  const typename Critic<T>::RowVisit& visit) override {
    embed(x, n, y, n);  // once; then the n × n product one block of rows at a time
    constexpr int kRows = 64;
    std::vector<T> s;
    for (int r0 = 0; r0 < n; r0 += kRows) {
      const int rows = std::min(kRows, n - r0);
      s.resize(static_cast<size_t>(rows) * n);
      product(gx_.output() + static_cast<size_t>(r0) * embed_, rows, hy_.output(), n, s.data());
      for (int r = 0; r < rows; ++r) visit(r0 + r, s.data() + static_cast<size_t>(r) * n);
    }
  }

 private:
  void embed(const T* x, int kx, const T* y, int ky) {
    g_.forward(this->params_.data(), x, kx, gx_);
    h_.forward(this->params_.data(), y, ky, hy_);
  }
  // s (rows × cols) = G Hᵀ for G (rows × e) and H (cols × e).
  void product(const T* g, int rows, const T* h, int cols, T* s) {
    ht_.resize(static_cast<size_t>(embed_) * cols);
    transpose(cols, embed_, h, ht_.data(), cols);
    gemm<T>(rows, cols, embed_, g, embed_, 1, ht_.data(), cols, s, cols, false);
  }
  T dot(int i, int j) const {
    T s = 0;
    for (int c = 0; c < embed_; ++c)
      s = s + gx_.output()[static_cast<size_t>(i) * embed_ + c] *
                  hy_.output()[static_cast<size_t>(j) * embed_ + c];
    return s;
  }
  void backward(const std::vector<T>& dg, const std::vector<T>& dh, T* grad) {
    g_.backward(this->params_.data(), gx_, dg.data(), grad);
    h_.backward(this->params_.data(), hy_, dh.data(), grad);
  }

  int embed_;
  MlpLayout g_, h_;
  MlpLayout::Cache<T> gx_, hy_;
  std::vector<T> ht_;
};

}  // namespace

template <class T>
void Critic<T>::all_pairs_rowwise(const T* x, int kx, const T* y, int ky,
                                  const RowGradient& row_gradient, T* grad) {
  std::vector<T> s, ds;
  all_pairs(x, kx, y, ky, s);
  ds.resize(s.size());
  for (int i = 0; i < kx; ++i)
    row_gradient(i, s.data() + static_cast<size_t>(i) * ky,
                 ds.data() + static_cast<size_t>(i) * ky);
  all_pairs_backward(ds, grad);
}

template <class T>
std::unique_ptr<Critic<T>> make_critic(const CriticSpec& spec, int dx, int dy, Rng& rng,
                                       const std::string& where) {
  for (int w : spec.hidden) require(w >= 1, where, "every hidden width", ">= 1", w);
  const auto hidden = spec.hidden.empty() ? default_hidden(spec.kind) : spec.hidden;
  switch (spec.kind) {
    case CriticKind::kConcat:
      return std::make_unique<ConcatCritic<T>>(hidden, spec.activation, dx, dy, spec.threads, rng);
    case CriticKind::kSeparable:
      require(spec.embed >= 1, where, "embed", ">= 1", spec.embed);
      return std::make_unique<SeparableCritic<T>>(hidden, spec.embed, spec.activation, dx, dy, rng);
  }
  fail(where, "critic", one_of<CriticKind>(), static_cast<int>(spec.kind));
}

std::vector<int> default_hidden(CriticKind kind) {
  return kind == CriticKind::kConcat ? std::vector<int>{kBmiHidden[0], kBmiHidden[1]}
                                     : std::vector<int>{256, 256};
}

template class Critic<float>;
template class Critic<double>;
template std::unique_ptr<Critic<float>> make_critic<float>(const CriticSpec&, int, int, Rng&,
                                                           const std::string&);
template std::unique_ptr<Critic<double>> make_critic<double>(const CriticSpec&, int, int, Rng&,
                                                             const std::string&);

}  // namespace mib::neural
