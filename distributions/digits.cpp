#include "distributions/digits.hpp"

#include <boost/random/normal_distribution.hpp>
#include <boost/random/uniform_01.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <cmath>

#include "core/error.hpp"
#include "core/rng.hpp"
#include "core/stats.hpp"

namespace mib {

extern const unsigned char kDigits[];
extern const std::size_t kDigitsSize;

namespace {

constexpr int kPixels = 64;

// Row-wise log Σ_j exp(m(i, j)).
Eigen::VectorXd log_sum_exp_rows(const Eigen::MatrixXd& m) {
  const Eigen::VectorXd top = m.rowwise().maxCoeff();
  return top.array() + (m.colwise() - top).array().exp().rowwise().sum().log();
}

}  // namespace

DigitPairs::DigitPairs(int cells, int classes, double p, double sigma, const std::string& where)
    : cells_(cells), classes_(classes), p_(p), sigma_(sigma) {
  require(cells >= 1, where, "cells", ">= 1", cells);
  require(classes >= 2 && classes <= 10, where, "classes", "in [2, 10]", classes);
  require(p >= 0 && p <= 1 - 1.0 / classes, where, "p", "in [0, 1 − 1/K]", p);
  require(sigma > 0 && std::isfinite(sigma), where, "sigma", "> 0", sigma);
  std::vector<std::vector<int>> rows_of(10);
  const std::size_t count = kDigitsSize / (kPixels + 1);
  for (std::size_t r = 0; r < count; ++r)
    rows_of[kDigits[r * (kPixels + 1) + kPixels]].push_back(static_cast<int>(r));
  for (int pool = 0; pool < 2; ++pool) {
    for (int c = 0; c < classes; ++c) {
      const auto& rows = rows_of[static_cast<std::size_t>(c)];
      Eigen::MatrixXd images((static_cast<Eigen::Index>(rows.size()) + 1 - pool) / 2, kPixels);
      Eigen::Index at = 0;
      for (std::size_t i = static_cast<std::size_t>(pool); i < rows.size(); i += 2, ++at)
        for (int j = 0; j < kPixels; ++j)
          images(at, j) = kDigits[static_cast<std::size_t>(rows[i]) * (kPixels + 1) +
                                  static_cast<std::size_t>(j)];
      pools_[pool].push_back(std::move(images));
    }
  }
}

Dims DigitPairs::dims() const {
  const auto d = static_cast<std::size_t>(kPixels * cells_);
  return {d, d};
}

double DigitPairs::label_mi() const {
  const double k = classes_;
  const double hb = (p_ > 0 ? -p_ * std::log(p_) : 0) + (p_ < 1 ? -(1 - p_) * std::log1p(-p_) : 0);
  return std::log(k) - hb - (p_ > 0 ? p_ * std::log(k - 1) : 0);
}

Sample DigitPairs::sample(std::size_t n, Rng& rng) const {
  const auto rows = static_cast<Eigen::Index>(n);
  Sample s{Matrix(rows, kPixels * cells_), Matrix(rows, kPixels * cells_)};
  boost::random::uniform_int_distribution<int> label(0, classes_ - 1), other(0, classes_ - 2);
  boost::random::uniform_01<double> u;
  boost::random::normal_distribution<double> noise(0.0, sigma_);
  for (Eigen::Index i = 0; i < rows; ++i) {
    for (int c = 0; c < cells_; ++c) {
      const int a = label(rng);
      int b = a;
      if (u(rng) < p_) {
        const int o = other(rng);
        b = o < a ? o : o + 1;
      }
      const Eigen::MatrixXd& pa = pools_[0][static_cast<std::size_t>(a)];
      const Eigen::MatrixXd& pb = pools_[1][static_cast<std::size_t>(b)];
      boost::random::uniform_int_distribution<Eigen::Index> pick_a(0, pa.rows() - 1),
          pick_b(0, pb.rows() - 1);
      const Eigen::Index ia = pick_a(rng), ib = pick_b(rng);
      for (int j = 0; j < kPixels; ++j) s.x(i, c * kPixels + j) = pa(ia, j) + noise(rng);
      for (int j = 0; j < kPixels; ++j) s.y(i, c * kPixels + j) = pb(ib, j) + noise(rng);
    }
  }
  return s;
}

Eigen::MatrixXd DigitPairs::class_log_densities(MatrixRef x, int cell, int pool) const {
  const Eigen::MatrixXd v = x.middleCols(cell * kPixels, kPixels);
  const Eigen::VectorXd vv = v.rowwise().squaredNorm();
  const double s2 = sigma_ * sigma_;
  const double constant = -0.5 * kPixels * std::log(2 * M_PI * s2);
  Eigen::MatrixXd out(v.rows(), classes_);
  for (int c = 0; c < classes_; ++c) {
    const Eigen::MatrixXd& images = pools_[pool][static_cast<std::size_t>(c)];
    // ‖v − a‖² = ‖v‖² + ‖a‖² − 2 v·a for every (row, image).
    Eigen::MatrixXd d2 = (-2.0 * v * images.transpose()).colwise() + vv;
    d2.rowwise() += images.rowwise().squaredNorm().transpose();
    out.col(c) = log_sum_exp_rows(-d2 / (2 * s2)).array() + constant -
                 std::log(static_cast<double>(images.rows()));
  }
  return out;
}

Eigen::VectorXd DigitPairs::cell_pmi(MatrixRef x, MatrixRef y, int cell) const {
  const Eigen::MatrixXd lx = class_log_densities(x, cell, 0), ly = class_log_densities(y, cell, 1);
  const double k = classes_, log_k = std::log(k);
  const double same = std::log1p(-p_) - log_k;  // ln P(S = s, T = s)
  const double differ = p_ > 0 ? std::log(p_ / (k - 1)) - log_k : -INFINITY;
  const Eigen::Index n = x.rows();
  Eigen::MatrixXd joint(n, classes_ * classes_);
  for (int s = 0; s < classes_; ++s)
    for (int t = 0; t < classes_; ++t)
      joint.col(s * classes_ + t) =
          lx.col(s) + ly.col(t) + Eigen::VectorXd::Constant(n, s == t ? same : differ);
  return log_sum_exp_rows(joint) - (log_sum_exp_rows(lx).array() - log_k).matrix() -
         (log_sum_exp_rows(ly).array() - log_k).matrix();
}

std::optional<Eigen::VectorXd> DigitPairs::pmi(const Sample& s) const {
  Eigen::VectorXd total = Eigen::VectorXd::Zero(s.x.rows());
  for (int c = 0; c < cells_; ++c) total += cell_pmi(s.x, s.y, c);
  return total;
}

GroundTruth DigitPairs::monte_carlo_cell_truth() const {
  DigitPairs one(1, classes_, p_, sigma_, "digit-pairs");
  Rng rng(derive_seed(20261128, "digit-pairs-truth"));
  const std::size_t draws = 20000;
  const Eigen::VectorXd v = *one.pmi(one.sample(draws, rng));
  stats::Moments moments;
  moments.add(v.data(), draws);
  return {moments.mean(), moments.standard_error(), "monte-carlo"};
}

std::optional<GroundTruth> DigitPairs::stored_cell_truth(int classes, double p, double sigma) {
  // (K, p, σ) -> (mean, standard error), from monte_carlo_cell_truth() (17 digits: the same
  // doubles).
  struct Stored {
    int classes;
    double p, sigma, mi, std_error;
  };
  static const Stored table[] = {
      {10, 0.1, 4.0, 1.7469840472776466, 0.00940181081644509},
      {10, 0.1, 8.0, 1.2900637630418639, 0.009229182971201429},
      {10, 0.1, 16.0, 0.2358034991037463, 0.004829243584372406},
  };
  for (const Stored& s : table)
    if (s.classes == classes && s.p == p && s.sigma == sigma)
      return GroundTruth{s.mi, s.std_error, "monte-carlo"};
  return std::nullopt;
}

GroundTruth DigitPairs::mutual_information() const {
  std::call_once(truth_once_, [this] {
    const auto stored = stored_cell_truth(classes_, p_, sigma_);
    cell_truth_ = stored ? *stored : monte_carlo_cell_truth();
  });
  return {cells_ * cell_truth_.mi, cells_ * cell_truth_.std_error, cell_truth_.method};
}

}  // namespace mib
