#pragma once
// Image pairs from real digits with known MI (the SSL issue's label-channel recipe). A grid of
// c cells; in each, a label S uniform on {0, …, K−1} and its partner T = S with probability
// 1 − p, else uniform on the other K − 1 labels (a symmetric channel). View X shows per cell a
// random 8×8 image of class S from one half of that class's images (every other one, in file
// order), view Y one of class T from the other half, so X ⊥ Y given the labels; every pixel
// (0..16) gets N(0, σ²) noise, an "augmentation". Images: the UCI optical digits test set
// (data/digits.csv, CC BY 4.0, Alpaydin & Kaynak 1998).
//
// Ground truth: cells are independent, so I = c · I_cell. With σ > 0, X and Y given the labels
// are Gaussian mixtures over the image pools, so the PMI is exact (log-sum-exp over the pools)
// and I_cell is a Monte Carlo mean of it (20 000 draws, a fixed seed; its standard error is
// stated). The means of the settings that the catalogue and configs/ssl.json use are stored,
// bit for bit (3.7 s each to recompute had made `mibench list tasks` take 4–12 s); a test
// recomputes them. As σ → 0 it tends to ln K − H_b(p) − p ln(K − 1), the labels' MI.

#include <mutex>

#include "distributions/distribution.hpp"

namespace mib {

class DigitPairs final : public Distribution {
 public:
  /// InvalidArgument (naming `where`) unless c >= 1, 2 <= K <= 10, 0 <= p <= 1 − 1/K (up to
  /// independence) and σ > 0.
  DigitPairs(int cells, int classes, double p, double sigma, const std::string& where);
  Dims dims() const override;
  GroundTruth mutual_information() const override;
  Sample sample(std::size_t n, Rng& rng) const override;
  std::optional<Eigen::VectorXd> pmi(const Sample& s) const override;

  /// The labels' MI per cell, ln K − H_b(p) − p ln(K − 1): the σ → 0 limit of I_cell.
  double label_mi() const;

  /// I_cell by Monte Carlo of the exact PMI: 20 000 draws of one cell, a fixed seed.
  GroundTruth monte_carlo_cell_truth() const;
  /// The stored I_cell of (K, p, σ) — the value monte_carlo_cell_truth() gives — if stored.
  static std::optional<GroundTruth> stored_cell_truth(int classes, double p, double sigma);

 private:
  // Per-cell log p(x_cell | s) for every class s, for rows of x (n × 64·c) at cell `cell`,
  // against pool 0 (X's half) or 1 (Y's half): n × K.
  Eigen::MatrixXd class_log_densities(MatrixRef x, int cell, int pool) const;
  Eigen::VectorXd cell_pmi(MatrixRef x, MatrixRef y, int cell) const;

  int cells_, classes_;
  double p_, sigma_;
  std::vector<Eigen::MatrixXd> pools_[2];  // [pool][class]: images (rows, 64 pixels)
  mutable std::once_flag truth_once_;
  mutable GroundTruth cell_truth_;
};

}  // namespace mib
