#include "estimators/plugin.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <unordered_map>
#include <vector>

#include "core/error.hpp"
#include "core/log_sum_exp.hpp"
#include "estimators/knn/neighbors.hpp"

namespace mib {
namespace {

// ---- histogram ------------------------------------------------------------------------------

// Bin index of every value of one column.
std::vector<unsigned char> bin_column(const Eigen::Ref<const Eigen::VectorXd>& v, int bins,
                                      bool by_frequency) {
  const auto n = static_cast<std::size_t>(v.size());
  std::vector<unsigned char> out(n);
  if (by_frequency) {
    std::vector<double> sorted(v.data(), v.data() + n);
    std::sort(sorted.begin(), sorted.end());
    std::vector<double> edges;  // the value at each interior quantile
    for (int b = 1; b < bins; ++b)
      edges.push_back(sorted[static_cast<std::size_t>(b) * n / static_cast<std::size_t>(bins)]);
    for (std::size_t i = 0; i < n; ++i) {
      out[i] = static_cast<unsigned char>(
          std::upper_bound(edges.begin(), edges.end(), v(static_cast<Eigen::Index>(i))) -
          edges.begin());
    }
    return out;
  }
  const double lo = v.minCoeff(), hi = v.maxCoeff();
  for (std::size_t i = 0; i < n; ++i) {
    const double t = hi > lo ? (v(static_cast<Eigen::Index>(i)) - lo) / (hi - lo) * bins : 0.0;
    out[i] = static_cast<unsigned char>(std::min(bins - 1, static_cast<int>(t)));
  }
  return out;
}

// Cell keys (one byte per coordinate) of every row.
std::vector<std::string> cells(const Matrix& m, int bins, bool by_frequency) {
  std::vector<std::string> keys(static_cast<std::size_t>(m.rows()),
                                std::string(static_cast<std::size_t>(m.cols()), '\0'));
  for (Eigen::Index c = 0; c < m.cols(); ++c) {
    const Eigen::VectorXd column = m.col(c);
    const auto b = bin_column(column, bins, by_frequency);
    for (std::size_t i = 0; i < keys.size(); ++i)
      keys[i][static_cast<std::size_t>(c)] = static_cast<char>(b[i]);
  }
  return keys;
}

// Plug-in entropy of the cell labels, plus (m − 1)/(2N) with Miller–Madow.
double entropy(const std::vector<std::string>& keys, bool miller_madow, std::size_t* occupied) {
  std::unordered_map<std::string, std::size_t> counts;
  for (const auto& k : keys) ++counts[k];
  const double n = static_cast<double>(keys.size());
  double h = 0;
  for (const auto& [key, c] : counts) {
    const double p = static_cast<double>(c) / n;
    h -= p * std::log(p);
  }
  *occupied = counts.size();
  return miller_madow ? h + (static_cast<double>(counts.size()) - 1) / (2 * n) : h;
}

// ---- kde ------------------------------------------------------------------------------------

const double kLog2Pi = 1.837877066409345483560659472811235279;
const double kLogPi = 1.144729885849400174143427351353058712;

double bandwidth(const std::string& rule, double n, double d) {
  if (rule == "scott") return std::pow(n, -1.0 / (d + 4));
  if (rule == "silverman") return std::pow(n * (d + 2) / 4, -1.0 / (d + 4));
  return std::stod(rule);
}

}  // namespace

Estimate HistogramEstimator::estimate_core(const Sample& s, Rng&) const {
  const bool by_frequency = params_.binning == "frequency";
  const auto kx = cells(s.x, params_.bins, by_frequency);
  const auto ky = cells(s.y, params_.bins, by_frequency);
  std::vector<std::string> kxy(kx.size());
  for (std::size_t i = 0; i < kx.size(); ++i) kxy[i] = kx[i] + ky[i];
  std::size_t mx = 0, my = 0, mxy = 0;
  const double hx = entropy(kx, params_.miller_madow, &mx);
  const double hy = entropy(ky, params_.miller_madow, &my);
  const double hxy = entropy(kxy, params_.miller_madow, &mxy);
  // The plug-in MI is at most min(Ĥ(X), Ĥ(Y)) <= ln N: with every point in its own cell
  // (high dimension, many bins) it reports ln N whatever the true MI — flagged as saturated.
  const double mi = hx + hy - hxy, ceiling = std::log(static_cast<double>(kx.size()));
  return {mi,
          {{"occupied_x", mx}, {"occupied_y", my}, {"occupied_xy", mxy}},
          Diagnostics{Ceiling{ceiling, !params_.miller_madow && mi >= ceiling - 0.1}, {}}};
}

Estimate KdeEstimator::estimate_core(const Sample& s, Rng&) const {
  const Eigen::Index n = s.x.rows();
  const double dn = static_cast<double>(n);
  const double dx = static_cast<double>(s.x.cols()), dy = static_cast<double>(s.y.cols());
  const double hx = bandwidth(params_.bandwidth, dn, dx), hy = bandwidth(params_.bandwidth, dn, dy),
               hxy = bandwidth(params_.bandwidth, dn, dx + dy);
  const bool gaussian = params_.kernel == "gaussian";
  const bool loo = params_.estimate == "leave-one-out";
  const double others = loo ? dn - 1 : dn;
  // ln of the kernel's normalising constant for bandwidth h in d dimensions.
  auto log_norm = [&](double h, double d) {
    return gaussian ? -0.5 * d * (kLog2Pi + 2 * std::log(h))
                    : -(0.5 * d * kLogPi - std::lgamma(1 + 0.5 * d) + d * std::log(h));
  };
  // ln Σ_j K over the rows j (without i for leave-one-out), for squared distances sq[0 … n).
  // Gaussian: the log-sum-exp of −sq_j / 2h² (log_sum_exp: vectorised, in a fixed order; the
  // exponents in scratch, one row at a time per thread).
  auto log_sum = [&](Eigen::Index i, double h, const double* sq, std::vector<double>& exponents) {
    const int skip = loo ? static_cast<int>(i) : -1;
    if (gaussian) {
      exponents.resize(static_cast<std::size_t>(n));
      const double scale = -1 / (2 * h * h);  // a product per pair, not a division
      for (Eigen::Index j = 0; j < n; ++j) exponents[static_cast<std::size_t>(j)] = sq[j] * scale;
      const double inf = std::numeric_limits<double>::infinity();
      const LogSumExp lse = log_sum_exp(exponents.data(), static_cast<int>(n), skip, -inf, inf);
      return lse.max + std::log(lse.sum);
    }
    int count = 0;
    for (Eigen::Index j = 0; j < n; ++j) {
      if (j != skip && sq[j] < h * h) ++count;
    }
    return std::log(static_cast<double>(count));  // −inf when the ball holds no other point
  };
  // Each row's term on the threads, then their sum in row order (the same bits for any count).
  std::vector<double> term(static_cast<std::size_t>(n));
  knn::for_each_row_squared(
      s.x, s.y, threads(), [&](Eigen::Index i, const double* sx, const double* sy) {
        thread_local std::vector<double> sxy, exponents;
        sxy.resize(static_cast<std::size_t>(n));
        for (Eigen::Index j = 0; j < n; ++j) sxy[static_cast<std::size_t>(j)] = sx[j] + sy[j];
        term[static_cast<std::size_t>(i)] =
            (log_sum(i, hxy, sxy.data(), exponents) + log_norm(hxy, dx + dy)) -
            (log_sum(i, hx, sx, exponents) + log_norm(hx, dx)) -
            (log_sum(i, hy, sy, exponents) + log_norm(hy, dy)) + std::log(others);
      });
  double sum = 0;
  for (double t : term) sum += t;
  return {sum / dn, {{"bandwidth_x", hx}, {"bandwidth_y", hy}, {"bandwidth_xy", hxy}}};
}

}  // namespace mib
