#include "core/stats.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

namespace stats = mib::stats;

TEST_CASE("stats: hand-computed mean, sample sd, standard error, quantiles", "[core][stats]") {
  const std::vector<double> v{2, 4, 4, 4, 5, 5, 7, 9};  // mean 5, Σ(v − 5)² = 32
  CHECK(stats::mean(v) == 5);
  CHECK(stats::sample_sd(v) == Approx(std::sqrt(32.0 / 7)).epsilon(1e-15));
  CHECK(stats::standard_error(v) == Approx(std::sqrt(32.0 / 7 / 8)).epsilon(1e-15));
  CHECK(stats::median(v) == 4.5);
  CHECK(stats::median({3, 1, 2}) == 2);
  // Type 7: position q (n − 1) in the sorted values, linear between neighbours.
  CHECK(stats::quantile({4, 1, 3, 2}, 0) == 1);
  CHECK(stats::quantile({4, 1, 3, 2}, 1) == 4);
  CHECK(stats::quantile({4, 1, 3, 2}, 0.5) == 2.5);
  CHECK(stats::quantile({4, 1, 3, 2}, 0.25) == Approx(1.75).epsilon(1e-15));
}

TEST_CASE("stats: NaN where a statistic is undefined", "[core][stats]") {
  CHECK(std::isnan(stats::mean({})));
  CHECK(std::isnan(stats::median({})));
  CHECK(std::isnan(stats::quantile({}, 0.5)));
  CHECK(std::isnan(stats::sample_sd({1.0})));
  CHECK(std::isnan(stats::standard_error({1.0})));
  const stats::Moments empty;
  CHECK(std::isnan(empty.mean()));
  CHECK(std::isnan(empty.sample_sd()));
}

TEST_CASE("stats::Moments: blocks combine to the two-pass values, without cancellation",
          "[core][stats]") {
  // Values far from 0 with a small spread: Σv² − n·mean² loses every digit of the spread
  // (1e9² = 1e18 against a spread of 1), the combined two-pass does not.
  std::vector<double> v;
  for (int i = 0; i < 1000; ++i) v.push_back(1e9 + (i % 7) - 3 + 0.25 * (i % 3));
  stats::Moments m;
  for (std::size_t begin = 0; begin < v.size(); begin += 300)
    m.add(v.data() + begin, std::min<std::size_t>(300, v.size() - begin));
  CHECK(m.count() == 1000);
  CHECK(m.mean() == stats::mean(v));
  CHECK(m.sample_sd() == Approx(stats::sample_sd(v)).epsilon(1e-9));
  CHECK(m.standard_error() == Approx(stats::standard_error(v)).epsilon(1e-9));
  // One block is exactly the two-pass value.
  stats::Moments one;
  one.add(v.data(), v.size());
  CHECK(one.sample_sd() == stats::sample_sd(v));
}
