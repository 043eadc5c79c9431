#include "estimators/neural/bounds.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "estimators/neural/kernels.hpp"

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
  double z = 0;
  for (int i = 0; i < k; ++i)
    for (int j = 0; j < k; ++j)
      if (i != j) z += std::exp(s[at(i, j)] - m);
  for (int i = 0; i < k; ++i)
    for (int j = 0; j < k; ++j)
      ds[at(i, j)] = static_cast<T>(i == j ? 1 / kk : -std::exp(s[at(i, j)] - m) / z);
  return diagonal - (m + std::log(z) - std::log(pairs));
}

void BoundValue::LogSumExp::add(double v) {
  if (v <= max) {
    sum += std::exp(v - max);
  } else {
    sum = sum * std::exp(max - v) + 1;
    max = v;
  }
}

double BoundValue::LogSumExp::value() const { return max + std::log(sum); }

template <class T>
void BoundValue::add(int row0, int rows, const T* s) {
  for (int r = 0; r < rows; ++r) {
    const int i = row0 + r;
    const T* row = s + static_cast<std::size_t>(r) * n_;
    diagonal_ += row[i];
    if (bound_ == Bound::kInfoNce) {  // s_ii − LSE_j s_ij <= 0 exactly (max >= s_ii, sum >= 1)
      LogSumExp lse;
      for (int j = 0; j < n_; ++j) lse.add(row[j]);
      infonce_terms_ += (static_cast<double>(row[i]) - lse.max) - std::log(lse.sum);
      continue;
    }
    for (int j = 0; j < n_; ++j) {
      if (j == i) continue;
      const double v = row[j];
      off_.add(bound_ == Bound::kSmile ? std::clamp(v, -tau_, tau_) : v);
    }
  }
}

double BoundValue::value() const {
  const double n = n_, diagonal = diagonal_ / n, log_pairs = std::log(n * (n - 1));
  switch (bound_) {
    case Bound::kInfoNce:
      return std::log(n) + infonce_terms_ / n;
    case Bound::kNwj:
      return diagonal - std::exp(off_.value() - 1 - log_pairs);
    case Bound::kJs:
      return diagonal + 1 - std::exp(off_.value() - log_pairs);
    case Bound::kDv:
    case Bound::kSmile:
      return diagonal - (off_.value() - log_pairs);
  }
  return 0;
}

template double row_objective<float>(Bound, int, int, const float*, float*, bool);
template double row_objective<double>(Bound, int, int, const double*, double*, bool);
template double objective<float>(Bound, const std::vector<float>&, int, std::vector<float>&);
template double objective<double>(Bound, const std::vector<double>&, int, std::vector<double>&);
template void BoundValue::add<float>(int, int, const float*);
template void BoundValue::add<double>(int, int, const double*);

}  // namespace mib::neural
