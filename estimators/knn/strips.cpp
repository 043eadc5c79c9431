#include "estimators/knn/strips.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "core/deadline.hpp"
#include "core/parallel.hpp"
#include "estimators/knn/avx512_ops.hpp"

namespace mib::knn::detail {
namespace {

// Strips of `width` consecutive positions in a's order; strip s holds a's positions
// [s · width, (s + 1) · width), its rows listed in b's order (slot s · width + t). A row's
// distance to a query is max(|Δa|, |Δb|); within a strip |Δb| grows away from the query's place
// (IEEE subtraction is monotone), and a strip's a-values lie between its first and last in a's
// order, which bound |Δa| for all its rows — so the scans below stop exactly where no row can
// fall below the current k-th distance, and the answer is the exhaustive one.
class Strips {
 public:
  Strips(const Sorted& a, const Sorted& b, std::size_t width)
      : n_(a.size()), width_(width), strips_((n_ + width - 1) / width) {
    av_.resize(n_);
    bv_.resize(n_);
    slot_of_.resize(n_);
    std::vector<std::size_t> fill(strips_);
    for (std::size_t s = 0; s < strips_; ++s) fill[s] = s * width_;
    for (std::size_t t = 0; t < n_; ++t) {
      const std::uint32_t r = b.order()[t];
      const std::size_t pa = a.position(r);
      const std::size_t slot = fill[pa / width_]++;
      av_[slot] = a.value(pa);
      bv_[slot] = b.value(t);
      slot_of_[r] = static_cast<std::uint32_t>(slot);
    }
    lo_.resize(strips_);
    hi_.resize(strips_);
    for (std::size_t s = 0; s < strips_; ++s) {
      lo_[s] = a.value(s * width_);
      hi_[s] = a.value(std::min(n_, (s + 1) * width_) - 1);
    }
  }

  std::size_t slot_of(std::size_t row) const { return slot_of_[row]; }

  /// Where a query's b-value falls in the strips beside its own, kept from one query to the
  /// next: queries of one strip taken in slot order have rising b-values, so each place only
  /// moves forward (first use in a strip: a binary search).
  struct Cursors {
    static constexpr std::size_t kSteps = 4;
    std::size_t strip = std::numeric_limits<std::size_t>::max();
    std::size_t at[2][kSteps];
    bool known[2][kSteps];
  };

  /// Rows and strips visited so far.
  struct Work {
    std::size_t rows = 0, strips = 0;
  };

  /// The k-th smallest distance from the row at `slot` to the others; best: scratch of k; what
  /// it visits is counted on in work.
  double kth(std::size_t slot, int k, double* best, Cursors& cursors, Work& work) const {
    std::fill(best, best + k, std::numeric_limits<double>::infinity());
    const double qa = av_[slot], qb = bv_[slot];
    const std::size_t own = slot / width_;
    if (cursors.strip != own) {
      cursors.strip = own;
      std::fill(&cursors.known[0][0], &cursors.known[0][0] + 2 * Cursors::kSteps, false);
    }
    const auto take = [&](std::size_t j) {  // false once |Δb| alone reaches the k-th
      const double db = std::abs(qb - bv_[j]);
      if (!(db < best[k - 1])) return false;
      ++work.rows;
      const double d = std::max(std::abs(qa - av_[j]), db);
      if (d < best[k - 1]) {
        int at = k - 1;
        for (; at > 0 && d < best[at - 1]; --at) best[at] = best[at - 1];
        best[at] = d;
      }
      return true;
    };
    // Outward from `from` in strip s: up through [from, end), down through [begin, from).
    const auto scan = [&](std::size_t s, std::size_t from, std::size_t skip) {
      const std::size_t begin = s * width_, end = std::min(n_, begin + width_);
      for (std::size_t j = from; j < end; ++j) {
        if (j != skip && !take(j)) break;
      }
      for (std::size_t j = from; j > begin; --j) {
        if (j - 1 != skip && !take(j - 1)) break;
      }
    };
    scan(own, slot, slot);
    bool left = own > 0, right = own + 1 < strips_;
    for (std::size_t step = 1; left || right; ++step) {
      left = left && step <= own && std::abs(qa - hi_[own - step]) < best[k - 1];
      right = right && own + step < strips_ && std::abs(lo_[own + step] - qa) < best[k - 1];
      for (const bool go_left : {true, false}) {
        if (go_left ? !left : !right) continue;
        const std::size_t s = go_left ? own - step : own + step;
        scan(s, place(s, go_left ? 0 : 1, step, qb, cursors), n_);
        ++work.strips;
      }
    }
    return best[k - 1];
  }

#if MIB_AVX512_KERNELS
  /// The first slot of each strip beside the query's own (left, right) whose b-value is >= the
  /// query's, kept from one query to the next of the same strip (it only moves forward).
  struct Beside {
    std::size_t strip = std::numeric_limits<std::size_t>::max();
    std::size_t at[2] = {0, 0};
  };

  /// kth() for k <= 8 from fixed windows, branch-light (AVX-512): the 8 rows either side of the
  /// query's place in its own strip and in the two beside it. Their k-th smallest distance T is
  /// the answer when nothing outside can be closer: past each window that does not reach its
  /// strip's end, the first row left out has |Δb| >= T (so all beyond it do: |Δb| grows away
  /// from the place), and the strips two away have |Δa| >= T at their near edge (so all further
  /// do). Otherwise NaN, and the caller scans (about 7 % of queries on a 2-D Gaussian).
  MIB_AVX512 double kth_window(std::size_t slot, int k, Beside& beside) const {
    constexpr double kInf = std::numeric_limits<double>::infinity();
    const std::size_t own = slot / width_;
    const double qa = av_[slot], qb = bv_[slot];
    // The own (0), left (1) and right (2) strips' slots [lo, hi) and the query's place in each;
    // a strip past the ends is empty.
    std::size_t lo[3] = {own * width_, 0, 0}, hi[3] = {std::min(n_, lo[0] + width_), 0, 0},
                at[3] = {slot, 0, 0};
    for (int side = 1; side <= 2; ++side) {
      if (side == 1 ? own == 0 : own + 1 == strips_) continue;
      lo[side] = (side == 1 ? own - 1 : own + 1) * width_;
      hi[side] = std::min(n_, lo[side] + width_);
      std::size_t& c = beside.at[side - 1];
      if (beside.strip != own) {
        c = static_cast<std::size_t>(
            std::lower_bound(bv_.data() + lo[side], bv_.data() + hi[side], qb) - bv_.data());
      }
      while (c < hi[side] && bv_[c] < qb) ++c;
      at[side] = c;
    }
    beside.strip = own;
    const __m512d inf = _mm512_set1_pd(kInf), vqa = _mm512_set1_pd(qa), vqb = _mm512_set1_pd(qb);
    __m512d d[6];      // the windows' distances, ∞ in lanes past their rows
    double beyond[6];  // |Δb| of the first row left out past each window (∞: none)
    for (int w = 0; w < 6; ++w) {
      const int s = w / 2;
      const bool up = w % 2 == 1;
      std::size_t from, to;  // below the place: [from, at); above: [at, to), the query left out
      if (up) {
        from = std::min(hi[s], at[s] + (s == 0 ? 1 : 0));
        to = from + std::min<std::size_t>(8, hi[s] - from);
      } else {
        to = at[s];
        from = to - std::min<std::size_t>(8, to - lo[s]);
      }
      const auto lanes = static_cast<__mmask8>((1u << (to - from)) - 1);
      const __m512d db =
          _mm512_abs_pd(_mm512_sub_pd(vqb, _mm512_maskz_loadu_pd(lanes, bv_.data() + from)));
      const __m512d da =
          _mm512_abs_pd(_mm512_sub_pd(vqa, _mm512_maskz_loadu_pd(lanes, av_.data() + from)));
      d[w] = _mm512_mask_blend_pd(lanes, inf, avx512::max_pd(da, db));
      const bool more = up ? to < hi[s] : from > lo[s];
      beyond[w] = more ? std::abs(qb - bv_[up ? to : from - 1]) : kInf;
    }
    const double kth = select(d, k);
    bool sure = true;
    for (const double b : beyond) sure &= b >= kth;
    if (own >= 2) sure &= std::abs(qa - hi_[own - 2]) >= kth;
    if (own + 2 < strips_) sure &= std::abs(lo_[own + 2] - qa) >= kth;
    return sure ? kth : std::numeric_limits<double>::quiet_NaN();
  }
#endif

 private:
#if MIB_AVX512_KERNELS
  // The k-th smallest (k <= 8) of the 48 values in d, equal values counted each (NaN if fewer
  // than k are finite: the caller scans). Each lane's k smallest are kept sorted (a vertical
  // insertion, no step across lanes), then rounds take the smallest head across lanes and
  // shift the lanes that hold it.
  template <int K>
  MIB_AVX512 static double select(const __m512d* d) {
    const __m512d inf = _mm512_set1_pd(std::numeric_limits<double>::infinity());
    __m512d m[K];
    for (auto& v : m) v = inf;
    for (int w = 0; w < 6; ++w) {
      __m512d x = d[w];
      for (auto& v : m) {
        const __m512d smaller = avx512::min_pd(v, x);
        x = avx512::max_pd(v, x);
        v = smaller;
      }
    }
    for (int left = K;;) {
      const __m512d h = avx512::broadcast_min_pd(m[0]);  // the smallest head, in every lane
      const double smallest = _mm512_cvtsd_f64(h);
      if (!(smallest < std::numeric_limits<double>::infinity())) {
        return std::numeric_limits<double>::quiet_NaN();
      }
      const __mmask8 at = _mm512_cmp_pd_mask(m[0], h, _CMP_EQ_OQ);
      const int taken = static_cast<int>(_mm_popcnt_u32(at));
      if (taken >= left) return smallest;
      left -= taken;
      for (int i = 0; i + 1 < K; ++i) m[i] = _mm512_mask_mov_pd(m[i], at, m[i + 1]);
      m[K - 1] = _mm512_mask_mov_pd(m[K - 1], at, inf);
    }
  }
  // select<K> for the run-time k <= 8 (each K's loops unrolled; larger k takes K = 8).
  template <int K = 8>
  MIB_AVX512 static double select(const __m512d* d, int k) {
    if constexpr (K == 1) {
      return select<1>(d);
    } else {
      return k >= K ? select<K>(d) : select<K - 1>(d, k);
    }
  }
#endif

  // The first slot of strip s whose b-value is >= qb (side 0: left of the query's strip, 1:
  // right; `step` strips away).
  std::size_t place(std::size_t s, int side, std::size_t step, double qb, Cursors& cursors) const {
    const std::size_t begin = s * width_, end = std::min(n_, begin + width_);
    if (step > Cursors::kSteps) {
      return static_cast<std::size_t>(std::lower_bound(bv_.data() + begin, bv_.data() + end, qb) -
                                      bv_.data());
    }
    std::size_t& at = cursors.at[side][step - 1];
    if (!cursors.known[side][step - 1]) {
      cursors.known[side][step - 1] = true;
      at = static_cast<std::size_t>(std::lower_bound(bv_.data() + begin, bv_.data() + end, qb) -
                                    bv_.data());
    }
    while (at < end && bv_[at] < qb) ++at;
    return at;
  }

  std::size_t n_, width_, strips_;
  UninitVector<double> av_, bv_;         // the rows' a- and b-values by slot
  UninitVector<std::uint32_t> slot_of_;  // each row's slot
  std::vector<double> lo_, hi_;          // each strip's smallest and largest a-value
};

}  // namespace

std::optional<Eigen::VectorXd> strip_kth_distance(const Sorted& a, const Sorted& b, int k,
                                                  int threads) {
  const std::size_t n = a.size();
  // Strips about as wide as a query's k nearest in a uniform square: ~√(n k) positions.
  const auto width =
      static_cast<std::size_t>(std::max(16.0, std::round(std::sqrt(static_cast<double>(n) * k))));
  const Strips strips(a, b, width);
  std::vector<double> best(static_cast<std::size_t>(k));
  // 256 rows spread over the slots. Continuous data visit 1–3 strips and a few k rows per query;
  // many more strips mean a column of heavy ties or of much smaller scale than the other (the
  // strips then lie within a query's k-th distance), where a tree, which splits along the
  // other column, does far less: it takes over.
  Strips::Work work;
  const std::size_t probes = std::min<std::size_t>(n, 256);
  for (std::size_t p = 0; p < probes; ++p) {
    Strips::Cursors fresh;
    strips.kth(p * n / probes, k, best.data(), fresh, work);
  }
  if (work.strips > 6 * probes || work.rows > (16 * static_cast<std::size_t>(k) + 64) * probes)
    return std::nullopt;
  // Fixed windows where the CPU has AVX-512 (1.4–1.8× the scans alone at k = 3, n = 10⁴ … 10⁶ in
  // one process; little at k = 8, where more queries need more than the windows hold).
  [[maybe_unused]] const bool windows = k <= 8 && avx512_kernels();
  // Answers by slot (each thread writes its own stretch), then gathered by row: a scatter by row
  // from two threads would pass cache lines back and forth between the cores.
  UninitVector<double> by_slot(n);
  parallel_for(static_cast<std::ptrdiff_t>(n), threads,
               [&](std::ptrdiff_t begin, std::ptrdiff_t end) {
                 std::vector<double> scratch(static_cast<std::size_t>(k));
                 Strips::Cursors cursors;
                 Strips::Work unused;
#if MIB_AVX512_KERNELS
                 Strips::Beside beside;
#endif
                 for (std::ptrdiff_t p = begin; p < end; ++p) {
                   if ((p & 4095) == 0) check_deadline();
                   const auto slot = static_cast<std::size_t>(p);
                   double kth = std::numeric_limits<double>::quiet_NaN();
#if MIB_AVX512_KERNELS
                   if (windows) kth = strips.kth_window(slot, k, beside);
#endif
                   by_slot[slot] =
                       std::isnan(kth) ? strips.kth(slot, k, scratch.data(), cursors, unused) : kth;
                 }
               });
  Eigen::VectorXd kth(static_cast<Eigen::Index>(n));
  parallel_for(static_cast<std::ptrdiff_t>(n), threads,
               [&](std::ptrdiff_t begin, std::ptrdiff_t end) {
                 for (std::ptrdiff_t r = begin; r < end; ++r)
                   kth(r) = by_slot[strips.slot_of(static_cast<std::size_t>(r))];
               });
  return kth;
}

}  // namespace mib::knn::detail
