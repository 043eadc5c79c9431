#pragma once
// The one-dimensional back-end of knn/neighbors.hpp (internal to the knn module): the values
// sorted once by (value, row); counts by binary search, neighbours by a two-sided scan.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "core/matrix.hpp"
#include "core/uninit.hpp"
#include "estimators/knn/kernels_avx512.hpp"
#include "estimators/knn/metric.hpp"
#include "estimators/knn/neighbors.hpp"

namespace mib::knn::detail {

/// The rows ordered by (value in `column`, row) — std::sort's order of (value, row) pairs. The
/// values' bits map to unsigned 64-bit keys in the same order (−0 as +0, equal to it); a stable
/// least-significant-digit radix sort from row order orders the rows by the keys' upper 32 bits,
/// 11 bits per pass (3 · 2048 counters stay in L1), skipping digits on which every key agrees;
/// then each run of equal upper halves (rare for continuous data) is ordered by (key, row). At
/// n = 1e6 in one process, four passes of 8 bits were 1.8–1.95× faster than a sort on whole keys
/// (itself 1.5–1.9× std::sort's speed); three of 11 bits are 1.11–1.17× faster again. Values are
/// finite (the harness checks).
inline UninitVector<std::uint32_t> sort_rows(MatrixRef points, Eigen::Index column) {
  require(points.rows() <= std::numeric_limits<std::uint32_t>::max(), "knn", "the row count",
          "below 2^32", points.rows());
  const auto n = static_cast<std::size_t>(points.rows());
  UninitVector<std::uint64_t> key(n);  // every buffer is written before it is read
  UninitVector<std::uint32_t> upper(n), upper_out(n), row(n), row_out(n);
  constexpr int kBits = 11, kDigits = 3;  // bits 0–10, 11–21, 22–31
  constexpr std::size_t kBuckets = std::size_t{1} << kBits;
  std::vector<std::uint32_t> count(kDigits * kBuckets, 0);
  const auto digit = [](std::uint32_t k, int d) {
    return static_cast<std::size_t>(k >> (kBits * d)) & (kBuckets - 1);
  };
  for (std::size_t i = 0; i < n; ++i) {
    const double v = points(static_cast<Eigen::Index>(i), column);
    std::uint64_t bits;
    const double plus = v == 0 ? 0.0 : v;
    std::memcpy(&bits, &plus, sizeof bits);
    key[i] = bits >> 63 ? ~bits : bits | (std::uint64_t{1} << 63);
    upper[i] = static_cast<std::uint32_t>(key[i] >> 32);
    row[i] = static_cast<std::uint32_t>(i);
    for (int d = 0; d < kDigits; ++d)
      ++count[static_cast<std::size_t>(d) * kBuckets + digit(upper[i], d)];
  }
  for (int d = 0; d < kDigits && n > 0; ++d) {
    std::uint32_t* c = count.data() + static_cast<std::size_t>(d) * kBuckets;
    if (c[digit(upper[0], d)] == n) continue;  // every key has this digit
    std::uint32_t start = 0;
    for (std::size_t b = 0; b < kBuckets; ++b) start += std::exchange(c[b], start);
    for (std::size_t i = 0; i < n; ++i) {
      const std::uint32_t to = c[digit(upper[i], d)]++;
      upper_out[to] = upper[i];
      row_out[to] = row[i];
    }
    upper.swap(upper_out);
    row.swap(row_out);
  }
  // Runs of equal upper halves hold their rows ascending (the sort is stable): order each by
  // (key, row) unless it already is.
  const auto by_key = [&](std::uint32_t r, std::uint32_t t) {
    return key[r] < key[t] || (key[r] == key[t] && r < t);
  };
  for (std::size_t first = 0; first < n;) {
    std::size_t last = first + 1;
    while (last < n && upper[last] == upper[first]) ++last;
    if (last - first > 1 &&
        !std::is_sorted(row.begin() + static_cast<std::ptrdiff_t>(first),
                        row.begin() + static_cast<std::ptrdiff_t>(last), by_key))
      std::sort(row.begin() + static_cast<std::ptrdiff_t>(first),
                row.begin() + static_cast<std::ptrdiff_t>(last), by_key);
    first = last;
  }
  return row;
}

/// A row's sorted positions [first, last] (Sorted::ranges; trivial, so buffers of them start
/// unwritten).
struct Range {
  std::uint32_t first, last;
};

class Sorted {
 public:
  // Rows and positions are 32-bit (sort_rows requires fewer than 2^32 rows): fewer fresh pages
  // and cache lines than 64-bit ones.
  Sorted(MatrixRef points, Metric metric) : metric_(metric), order_(sort_rows(points, 0)) {
    const std::size_t n = order_.size();
    values_.resize(n);
    position_.resize(n);
    constexpr std::size_t kAhead = 16;  // rows at random places: fetched 16 positions ahead
    for (std::size_t s = 0; s < n; ++s) {
      if (s + kAhead < n) {
        __builtin_prefetch(points.data() + order_[s + kAhead] * points.outerStride());
        __builtin_prefetch(&position_[order_[s + kAhead]], 1);
      }
      values_[s] = points(order_[s], 0);
      position_[order_[s]] = static_cast<std::uint32_t>(s);
    }
  }

  /// The k-th smallest distance from the row at sorted position p to the others (the two-sided
  /// scan of nearest()).
  double kth(std::size_t p, int k) const {
    std::size_t left = p, right = p + 1;
    return scan(p, k, left, right);
  }

  /// Original rows in sorted order: querying in this order keeps memory access local.
  const UninitVector<std::uint32_t>& order() const { return order_; }

  double dist(std::size_t a, std::size_t b) const {
    return pair_distance(&values_[a], &values_[b], 1, metric_);
  }

  // Distances grow monotonically away from p on either side (IEEE subtraction is monotone),
  // so the k-th distance comes from a two-sided scan, and the k nearest by (distance, index)
  // from the candidates within it.
  void nearest(Eigen::Index query, int k, double* distance, Eigen::Index* index,
               std::vector<std::pair<double, Eigen::Index>>& candidates) const {
    const std::size_t p = position_[static_cast<std::size_t>(query)], n = values_.size();
    std::size_t left = p, right = p + 1;  // next candidates: left - 1, right
    const double kth = scan(p, k, left, right);
    while (left > 0 && dist(p, left - 1) <= kth) --left;
    while (right < n && dist(p, right) <= kth) ++right;
    candidates.clear();
    for (std::size_t s = left; s < right; ++s) {
      if (s != p) candidates.emplace_back(dist(p, s), order_[s]);
    }
    std::partial_sort(candidates.begin(), candidates.begin() + k, candidates.end());
    for (int m = 0; m < k; ++m) {
      distance[m] = candidates[static_cast<std::size_t>(m)].first;
      index[m] = candidates[static_cast<std::size_t>(m)].second;
    }
  }

  /// For the rows at sorted positions [begin, end): out[row] = the sorted positions [first,
  /// last] of the points within radius(row) of it (strict: <, else <=), its own included — they
  /// are contiguous, as distance grows away from it on either side (IEEE subtraction is
  /// monotone). Branch-free binary searches, kLockstep queries in lockstep, in sorted order:
  /// their outcomes are unpredictable and each search is a chain of dependent loads, so
  /// interleaving independent chains is what makes them fast. Each search spans 2^bits − 1
  /// offsets, bits from the widest answer of the previous group, and a query whose answer may
  /// lie further is searched again over the whole column. (The share of a ksg-cmi 1 + 1 + 1
  /// call, n = 10⁵, perf: 22 % as galloping searches one query at a time, 16 % as lockstep
  /// searches over the whole column whose selects the compiler had turned into branches, 10 %
  /// so; a vector version with lane-by-lane gathers — GCC emitted no gather — took 19 %.)
  template <class Radius>
  void ranges(const Radius& radius, bool strict, std::size_t begin, std::size_t end,
              Range* out) const {
    if (metric_ == Metric::kMax) {
      strict ? ranges<Metric::kMax, true>(radius, begin, end, out)
             : ranges<Metric::kMax, false>(radius, begin, end, out);
    } else {
      strict ? ranges<Metric::kEuclidean, true>(radius, begin, end, out)
             : ranges<Metric::kEuclidean, false>(radius, begin, end, out);
    }
  }

  /// The sorted position of row i.
  std::size_t position(Eigen::Index i) const { return position_[static_cast<std::size_t>(i)]; }
  /// The value at sorted position s.
  double value(std::size_t s) const { return values_[s]; }
  std::size_t size() const { return values_.size(); }

 private:
  // Takes the k nearest positions around p, the smaller distance first, moving left and right
  // (the next candidates are left − 1 and right); returns the k-th distance.
  double scan(std::size_t p, int k, std::size_t& left, std::size_t& right) const {
    const std::size_t n = values_.size();
    double kth = 0;
    for (int taken = 0; taken < k; ++taken) {
      const bool has_left = left > 0, has_right = right < n;
      if (has_left && (!has_right || dist(p, left - 1) <= dist(p, right))) {
        kth = dist(p, --left);
      } else {
        kth = dist(p, right++);
      }
    }
    return kth;
  }

  template <Metric M, bool Strict, class Radius>
  void ranges(const Radius& radius, std::size_t begin, std::size_t end, Range* out) const {
    // Eight scalar searches in lockstep, or sixteen as two vectors of gathers (AVX-512).
    const bool vector = avx512_kernels();
    constexpr int kMost = 16;
    const int lockstep = vector ? 16 : 8;
    const auto n = static_cast<std::ptrdiff_t>(values_.size());
    const double* v = values_.data();
    // pair_distance's value in one column (max(0, |Δ|) is |Δ|; 0 + Δ² is Δ²), kept branch-free.
    const auto pass = [](double from, double to, double r) {
      const double d =
          M == Metric::kMax ? std::abs(from - to) : std::sqrt((from - to) * (from - to));
      return Strict ? d < r : d <= r;
    };
    int all = 1;  // offsets up to 2^all − 1 reach every position
    while ((std::ptrdiff_t{1} << all) <= n) ++all;
    int bits = all;
    for (auto first = static_cast<std::ptrdiff_t>(begin); first < static_cast<std::ptrdiff_t>(end);
         first += lockstep) {
      const int g = static_cast<int>(std::min<std::ptrdiff_t>(lockstep, end - first));
      std::ptrdiff_t up[kMost], down[kMost];  // the furthest positions known to pass
      double r[kMost];
      // The radii and answers are by row, at random places: fetched two groups ahead.
      const std::ptrdiff_t ahead = first + 2 * lockstep;
      for (std::ptrdiff_t j = ahead;
           j < std::min(ahead + lockstep, static_cast<std::ptrdiff_t>(end)); ++j) {
        const std::uint32_t row = order_[static_cast<std::size_t>(j)];
        __builtin_prefetch(&radius(row));
        __builtin_prefetch(out + row, 1);
      }
      for (int j = 0; j < g; ++j) r[j] = radius(order_[static_cast<std::size_t>(first + j)]);
      for (bool again = true; again;) {
#if MIB_AVX512_KERNELS
        if (vector) {
          avx512::range_steps(v, n, first, g, r, bits, M == Metric::kEuclidean, Strict, up, down);
        }
#endif
        for (int j = 0; j < g && !vector; ++j) up[j] = down[j] = first + j;
        for (std::ptrdiff_t step = std::ptrdiff_t{1} << (bits - 1); step > 0 && !vector;
             step /= 2) {
          for (int j = 0; j < g; ++j) {
            const double at = v[first + j];
            const std::ptrdiff_t u = std::min(up[j] + step, n - 1);
            const std::ptrdiff_t d = std::max(down[j] - step, std::ptrdiff_t{0});
            // Selects by mask: the compiler would branch on a ternary.
            up[j] += (u - up[j]) & -static_cast<std::ptrdiff_t>(pass(at, v[u], r[j]));
            down[j] += (d - down[j]) & -static_cast<std::ptrdiff_t>(pass(at, v[d], r[j]));
          }
        }
        // An answer 2^bits − 1 away may reach further: search the whole column then.
        const std::ptrdiff_t reach = (std::ptrdiff_t{1} << bits) - 1;
        std::ptrdiff_t widest = 0;
        again = false;
        for (int j = 0; j < g; ++j) {
          const std::ptrdiff_t p = first + j;
          again |=
              (up[j] - p == reach && p + reach + 1 < n && pass(v[p], v[p + reach + 1], r[j])) ||
              (p - down[j] == reach && p - reach - 1 >= 0 && pass(v[p], v[p - reach - 1], r[j]));
          widest = std::max({widest, up[j] - p, p - down[j]});
        }
        if (again) {
          bits = all;
        } else {  // the next group's guess: twice this one's widest answer
          bits = 1;
          while ((std::ptrdiff_t{1} << bits) <= 2 * widest + 1 && bits < all) ++bits;
        }
      }
      for (int j = 0; j < g; ++j) {
        out[order_[static_cast<std::size_t>(first + j)]] = {static_cast<std::uint32_t>(down[j]),
                                                            static_cast<std::uint32_t>(up[j])};
      }
    }
  }

  Metric metric_;
  UninitVector<std::uint32_t> order_;
  UninitVector<double> values_;
  UninitVector<std::uint32_t> position_;
};

}  // namespace mib::knn::detail
