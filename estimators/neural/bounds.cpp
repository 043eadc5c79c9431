#include "estimators/neural/bounds.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/log_sum_exp.hpp"
#include "estimators/neural/kernels.hpp"
#include "estimators/neural/simd.hpp"

namespace mib::neural {
namespace {

double softplus(double v) { return v > 0 ? v + std::log1p(std::exp(-v)) : std::log1p(std::exp(v)); }

}  // namespace

bool row_local(Bound bound) { return bound != Bound::kDv; }

template <class T>
double row_objective(Bound bound, int i, int k, const T* s, T* g, bool value) {
  const double kk = k, pairs = kk * (kk - 1);
  thread_local std::vector<double> e;  // e^{…} of the row; reused, rows are many
  e.resize(static_cast<std::size_t>(k));
  switch (bound) {
    case Bound::kInfoNce:
      // s_ii − LSE_j s_ij: <= 0 exactly (the max is >= s_ii, the sum >= 1), so Î <= ln K.
      return infonce_row(s, k, i, g, value, e.data());
    case Bound::kNwj: {
      exp_shifted(s, 1.0, 1.0, k, e.data());
      double off = 0;
      for (int j = 0; j < k; ++j) {
        if (j == i) continue;
        off += e[static_cast<std::size_t>(j)];
        g[j] = static_cast<T>(e[static_cast<std::size_t>(j)] * (-1 / pairs));
      }
      g[i] = static_cast<T>(1 / kk);
      return s[i] / kk - off / pairs;
    }
    case Bound::kJs:
    case Bound::kSmile: {
      // σ(v) = 1 / (1 + e^{−v}); the JS value needs softplus, only when asked.
      exp_shifted(s, 0.0, -1.0, k, e.data());
      double marginal = 0;
      for (int j = 0; j < k; ++j) {
        if (j == i) continue;
        if (value) marginal += softplus(s[j]);
        g[j] = static_cast<T>(-1 / (1 + e[static_cast<std::size_t>(j)]) / pairs);
      }
      g[i] = static_cast<T>(e[static_cast<std::size_t>(i)] / (1 + e[static_cast<std::size_t>(i)]) /
                            kk);
      return value ? -softplus(-s[i]) / kk - marginal / pairs : 0;
    }
    case Bound::kDv:
      break;
  }
  return 0;
}

template <class T>
double objective(Bound bound, const std::vector<T>& s, int k, std::vector<T>& ds) {
  const auto at = [k](int i, int j) { return static_cast<std::size_t>(i) * k + j; };
  const double kk = k, pairs = kk * (kk - 1);
  ds.assign(s.size(), T(0));
  if (row_local(bound)) {
    double value = bound == Bound::kInfoNce ? std::log(kk) : 0;
    double rows = 0;
    for (int i = 0; i < k; ++i)
      rows += row_objective(bound, i, k, s.data() + at(i, 0), ds.data() + at(i, 0), true);
    return value + rows;
  }
  // dv: the off-diagonal log-mean-exp couples every row.
  double diagonal = 0, m = -std::numeric_limits<double>::infinity();
  for (int i = 0; i < k; ++i) diagonal += s[at(i, i)] / kk;
  for (int i = 0; i < k; ++i)
    for (int j = 0; j < k; ++j)
      if (i != j) m = std::max(m, static_cast<double>(s[at(i, j)]));
  // e^{s_ij − m} by exp_shifted, as the row-local bounds (the diagonal's too, unused; clamped,
  // so finite), summed over i != j in row order.
  thread_local std::vector<double> e;
  e.resize(s.size());
  exp_shifted(s.data(), m, 1.0, static_cast<int>(s.size()), e.data());
  double z = 0;
  for (int i = 0; i < k; ++i)
    for (int j = 0; j < k; ++j)
      if (i != j) z += e[at(i, j)];
  for (int i = 0; i < k; ++i)
    for (int j = 0; j < k; ++j) ds[at(i, j)] = static_cast<T>(i == j ? 1 / kk : -e[at(i, j)] / z);
  return diagonal - (m + std::log(z) - std::log(pairs));
}

template <class T>
void BoundValue::add_row(int i, const T* s) {
  // infonce: LSE over the whole row (s_ii − LSE_j s_ij <= 0 exactly); the others: over the
  // off-diagonal, smile's clipped to [−τ, τ].
  const double clip = bound_ == Bound::kSmile ? tau_ : std::numeric_limits<double>::infinity();
  const auto lse = log_sum_exp(s, n_, bound_ == Bound::kInfoNce ? -1 : i, -clip, clip);
  rows_[static_cast<std::size_t>(i)] = {static_cast<double>(s[i]), lse.max, lse.sum};
}

double BoundValue::value() const {
  const double n = n_;
  double diagonal = 0;
  for (const Row& r : rows_) diagonal += r.diagonal;
  diagonal /= n;
  if (bound_ == Bound::kInfoNce) {
    // Each row's term s_ii − max − ln sum is <= 0 (max >= s_ii, sum >= e⁰ = 1): Î <= ln n.
    double terms = 0;
    for (const Row& r : rows_) terms += (r.diagonal - r.max) - std::log(r.sum);
    return std::log(n) + terms / n;
  }
  // The off-diagonal log-sum-exp over all rows: the rows' parts rescaled to the largest max.
  double top = -std::numeric_limits<double>::infinity();
  for (const Row& r : rows_) top = std::max(top, r.max);
  double sum = 0;
  for (const Row& r : rows_) sum += r.sum * exp_fixed(r.max - top);
  const double off = top + std::log(sum), log_pairs = std::log(n * (n - 1));
  switch (bound_) {
    case Bound::kNwj:
      return diagonal - std::exp(off - 1 - log_pairs);
    case Bound::kJs:
      return diagonal + 1 - std::exp(off - log_pairs);
    case Bound::kDv:
    case Bound::kSmile:
      return diagonal - (off - log_pairs);
    case Bound::kInfoNce:
      break;
  }
  return 0;
}

template double row_objective<float>(Bound, int, int, const float*, float*, bool);
template double row_objective<double>(Bound, int, int, const double*, double*, bool);
template double objective<float>(Bound, const std::vector<float>&, int, std::vector<float>&);
template double objective<double>(Bound, const std::vector<double>&, int, std::vector<double>&);
template void BoundValue::add_row<float>(int, const float*);
template void BoundValue::add_row<double>(int, const double*);

}  // namespace mib::neural
