#include "core/stats.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace mib::stats {
namespace {
constexpr double kNan = std::numeric_limits<double>::quiet_NaN();
}  // namespace

double mean(const std::vector<double>& v) {
  if (v.empty()) return kNan;
  double sum = 0;
  for (double x : v) sum += x;
  return sum / static_cast<double>(v.size());
}

double sample_sd(const std::vector<double>& v) {
  if (v.size() < 2) return kNan;
  const double m = mean(v);
  double ss = 0;
  for (double x : v) ss += (x - m) * (x - m);
  return std::sqrt(ss / static_cast<double>(v.size() - 1));
}

double standard_error(const std::vector<double>& v) {
  return sample_sd(v) / std::sqrt(static_cast<double>(v.size()));
}

double quantile(std::vector<double> v, double q) {
  if (v.empty()) return kNan;
  std::sort(v.begin(), v.end());
  const double at = q * static_cast<double>(v.size() - 1);
  const auto i = static_cast<std::size_t>(at);
  const double f = at - static_cast<double>(i);
  return i + 1 < v.size() ? v[i] * (1 - f) + v[i + 1] * f : v[i];
}

double median(std::vector<double> v) {
  if (v.empty()) return kNan;
  std::sort(v.begin(), v.end());
  const std::size_t m = v.size() / 2;
  return v.size() % 2 ? v[m] : 0.5 * (v[m - 1] + v[m]);
}

void Moments::add(const double* values, std::size_t count) {
  if (count == 0) return;
  double sum = 0;
  for (std::size_t i = 0; i < count; ++i) sum += values[i];
  const double block_mean = sum / static_cast<double>(count);
  double squares = 0;
  for (std::size_t i = 0; i < count; ++i)
    squares += (values[i] - block_mean) * (values[i] - block_mean);
  if (count_ > 0) {
    // Chan et al.: M2 = M2_a + M2_b + δ² · n_a n_b / (n_a + n_b), δ the difference of means.
    const double na = static_cast<double>(count_), nb = static_cast<double>(count);
    const double delta = block_mean - sum_ / na;
    squares += delta * delta * na * nb / (na + nb);
  }
  squares_ += squares;
  sum_ += sum;
  count_ += count;
}

double Moments::mean() const { return count_ ? sum_ / static_cast<double>(count_) : kNan; }

double Moments::sample_sd() const {
  return count_ > 1 ? std::sqrt(squares_ / static_cast<double>(count_ - 1)) : kNan;
}

double Moments::standard_error() const {
  return sample_sd() / std::sqrt(static_cast<double>(count_));
}

}  // namespace mib::stats
