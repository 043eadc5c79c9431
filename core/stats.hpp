#pragma once
// Summary statistics, defined once: the aggregates of a run, the consistency tests' null
// distribution, resampled intervals and Monte Carlo truths all use these. Sums run over the
// values in their given order (so results are reproducible bit for bit); spreads are two-pass.
// Every function returns NaN where the statistic is undefined (no values; fewer than two for
// a spread).

#include <cstddef>
#include <vector>

namespace mib::stats {

/// Σ v / n, summed in order.
double mean(const std::vector<double>& v);
/// The sample standard deviation √(Σ (v − mean)² / (n − 1)), two-pass.
double sample_sd(const std::vector<double>& v);
/// The standard error of the mean, sample_sd / √n.
double standard_error(const std::vector<double>& v);
/// The q-quantile (q in [0, 1]) by linear interpolation between order statistics (Hyndman &
/// Fan's type 7, NumPy's default): the median for q = ½.
double quantile(std::vector<double> v, double q);
/// quantile(v, ½).
double median(std::vector<double> v);

/// Mean and spread of a stream too long to hold (Monte Carlo draws), fed in blocks: each
/// block's deviations are summed two-pass around the block's own mean, and blocks are
/// combined as Chan, Golub & LeVeque (1979) do, so the spread does not lose its digits to
/// Σv² − n·mean² cancellation. mean() is the sum of the blocks' sums over n (one block: as
/// stats::mean).
class Moments {
 public:
  void add(const double* values, std::size_t count);
  std::size_t count() const { return count_; }
  double mean() const;
  double sample_sd() const;
  double standard_error() const;

 private:
  std::size_t count_ = 0;
  double sum_ = 0;
  double squares_ = 0;  ///< Σ (v − running mean)², combined over blocks
};

}  // namespace mib::stats
