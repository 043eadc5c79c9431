#include "estimators/neural/bounds.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace mib::neural {
namespace {

double softplus(double v) { return v > 0 ? v + std::log1p(std::exp(-v)) : std::log1p(std::exp(v)); }
double sigmoid(double v) {
  return v >= 0 ? 1 / (1 + std::exp(-v)) : std::exp(v) / (1 + std::exp(v));
}

}  // namespace

template <class T>
double objective(Bound bound, const std::vector<T>& s, int k, std::vector<T>& ds) {
  const auto at = [k](int i, int j) { return static_cast<std::size_t>(i) * k + j; };
  const double kk = k, pairs = kk * (kk - 1);
  ds.assign(s.size(), T(0));
  double diagonal = 0;
  for (int i = 0; i < k; ++i) diagonal += s[at(i, i)];
  diagonal /= kk;
  switch (bound) {
    case Bound::kInfoNce: {
      double terms = 0;  // Σ_i (s_ii − LSE_i), each term <= 0 exactly, so Î <= ln K exactly
      std::vector<double> e(static_cast<std::size_t>(k));
      for (int i = 0; i < k; ++i) {
        double m = -std::numeric_limits<double>::infinity();
        for (int j = 0; j < k; ++j) m = std::max(m, static_cast<double>(s[at(i, j)]));
        double z = 0;
        for (int j = 0; j < k; ++j)
          z += (e[static_cast<std::size_t>(j)] = std::exp(s[at(i, j)] - m));
        terms += (s[at(i, i)] - m) - std::log(z);
        for (int j = 0; j < k; ++j)
          ds[at(i, j)] = static_cast<T>(-e[static_cast<std::size_t>(j)] / z / kk);
        ds[at(i, i)] = static_cast<T>(ds[at(i, i)] + 1 / kk);
      }
      return std::log(kk) + terms / kk;
    }
    case Bound::kNwj: {
      double off = 0;
      for (int i = 0; i < k; ++i)
        for (int j = 0; j < k; ++j) {
          if (i == j) continue;
          const double e = std::exp(s[at(i, j)] - 1.0);
          off += e;
          ds[at(i, j)] = static_cast<T>(-e / pairs);
        }
      for (int i = 0; i < k; ++i) ds[at(i, i)] = static_cast<T>(1 / kk);
      return diagonal - off / pairs;
    }
    case Bound::kDv: {
      double m = -std::numeric_limits<double>::infinity();
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
    case Bound::kJs:
    case Bound::kSmile: {
      double joint = 0, marginal = 0;
      for (int i = 0; i < k; ++i)
        for (int j = 0; j < k; ++j) {
          const double v = s[at(i, j)];
          if (i == j) {
            joint -= softplus(-v);
            ds[at(i, j)] = static_cast<T>(sigmoid(-v) / kk);
          } else {
            marginal += softplus(v);
            ds[at(i, j)] = static_cast<T>(-sigmoid(v) / pairs);
          }
        }
      return joint / kk - marginal / pairs;
    }
  }
  return 0;
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

template double objective<float>(Bound, const std::vector<float>&, int, std::vector<float>&);
template double objective<double>(Bound, const std::vector<double>&, int, std::vector<double>&);
template void BoundValue::add<float>(int, int, const float*);
template void BoundValue::add<double>(int, int, const double*);

}  // namespace mib::neural
