#pragma once
// Vectorised distance kernels of the neighbour searches, compiled for AVX-512, AVX2 and
// baseline x86-64 (core/simd.hpp). Per pair they perform pair_distance's operations
// (knn/metric.hpp) in the same coordinate order — max-norm: max of |Δ| from 0; Euclidean: the
// sum of Δ² in coordinate order, then sqrt — so every value equals pair_distance's bits on
// every machine, and a radius from one back-end compares exactly with another's distances.

#include <Eigen/Core>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "estimators/knn/neighbors.hpp"

namespace mib::knn::detail {

/// The row kernels below read whole vector groups: the rows [begin + m, begin + m rounded up to
/// kRowPad) of every column are read too (and ignored), so a caller pads its columns by kRowPad
/// rows, and buffers written per row (distance, candidate, ambiguous) hold m + kRowPad entries.
inline constexpr Eigen::Index kRowPad = 32;

/// #{j < m : d(q, p_{begin + j}) passes the radius test (strict: <, else <=)}, where coordinate c
/// of point p_r is cols[c * ld + r] (a column-major matrix with leading dimension ld).
int count_rows_within(const double* q, const double* cols, Eigen::Index ld, Eigen::Index begin,
                      Eigen::Index m, Eigen::Index dims, Metric metric, double radius, bool strict);

/// distance[j] = d(q, p_{begin + j}) for j < m (points as for count_rows_within), and the offsets j
/// with distance[j] <= threshold into candidate[0 .. returned count), ascending.
int rows_at_most(const double* q, const double* cols, Eigen::Index ld, Eigen::Index begin,
                 Eigen::Index m, Eigen::Index dims, Metric metric, double threshold,
                 double* distance, int* candidate);

/// The set bits of `words` at bit positions [lo, end), lo <= end (position p is bit p % 64 of
/// words[p / 64]; words[end / 64] is read when end % 64 != 0).
int count_bits(const std::uint64_t* words, std::size_t lo, std::size_t end);

/// distance[j] = d(q, p_{begin + j}) for j < m (points as for count_rows_within), and the k-th
/// smallest of them leaving out j = skip (+∞ when fewer than k are left): per lane the k
/// smallest by a min/max insertion network, then the lanes merged — no branch on a distance.
double row_kth(const double* q, const double* cols, Eigen::Index ld, Eigen::Index begin,
               Eigen::Index m, Eigen::Index dims, Metric metric, Eigen::Index skip, int k,
               double* distance);

/// Float32 screening for the max-norm (callers bound the float32 error and settle every row the
/// screen cannot decide with exact double distances). Points as for count_rows_within, in floats.
/// rows_at_most_f32: the offsets j < m whose float32 distance is <= bound into candidate[0 ..
/// returned count). count_rows_f32: returns how many
/// have float32 distance < sure, and lists those in [sure, unsure] in ambiguous[0 .. *n_ambiguous).
int rows_at_most_f32(const float* q, const float* cols, Eigen::Index ld, Eigen::Index begin,
                     Eigen::Index m, Eigen::Index dims, float bound, int* candidate);
int count_rows_f32(const float* q, const float* cols, Eigen::Index ld, Eigen::Index begin,
                   Eigen::Index m, Eigen::Index dims, float sure, float unsure, int* ambiguous,
                   int* n_ambiguous);
/// count_rows_f32 for the g <= kQueryGroup queries which[0 .. g) of a group at once (each row's
/// coordinates read once for all of them): query i's coordinates are qs[i * dims ..], its
/// thresholds sure[i] and unsure[i]; its count is added to counts[i] and its ambiguous offsets
/// appended to ambiguous[i * stride + n_ambiguous[i] ..], n_ambiguous[i] advanced.
inline constexpr int kQueryGroup = 16;
void count_rows_f32_group(const float* qs, const int* which, int g, const float* cols,
                          Eigen::Index ld, Eigen::Index begin, Eigen::Index m, Eigen::Index dims,
                          const float* sure, const float* unsure, int* counts, int* ambiguous,
                          Eigen::Index stride, int* n_ambiguous);

/// box_lower() and box_upper() under the max-norm from each of kQueryGroup queries (coordinate c of
/// query i at q[c * kQueryGroup + i]) to the box [lo, hi], into lower[i] and upper[i].
void group_box_bounds(const double* q, const double* lo, const double* hi, Eigen::Index dims,
                      double* lower, double* upper);

/// The rows [*first, *last) of v[0 .. m) (ascending) whose float32 gap from some q in
/// [q_lo, q_hi], |q − v[j]| rounded, may be at most bound: every row outside has a float32
/// max-norm distance above bound from each such q on this coordinate alone (rounding is monotone,
/// so they are a prefix and a suffix). Empty when bound < 0; all rows when bound is NaN.
void window_f32(const float* v, Eigen::Index m, float q_lo, float q_hi, float bound,
                Eigen::Index* first, Eigen::Index* last);

/// Max-norm box bounds, the same values as box_lower()/box_upper() (knn/metric.hpp) give: a box
/// is [lo | hi], each `pad` values, pad a multiple of kBoxPad, and q and the boxes hold 0 past
/// the last coordinate. max_box_lower2 gives the lower bounds from q to boxes a and b (a node's
/// two children); max_box_bounds the lower and upper bound from q to one box.
inline constexpr Eigen::Index kBoxPad = 8;
void max_box_lower2(const double* q, const double* a, const double* b, Eigen::Index pad,
                    double* lower_a, double* lower_b);
void max_box_bounds(const double* q, const double* box, Eigen::Index pad, double* lower,
                    double* upper);

/// box_lower() from q to each of m boxes at once: out[l] for box l, whose coordinate c spans
/// [lo[c * ld + l], hi[c * ld + l]] (boxes column-wise, ld >= m). The same values, bit for bit.
void boxes_lower(const double* q, const double* lo, const double* hi, Eigen::Index ld,
                 Eigen::Index m, Eigen::Index dims, Metric metric, double* out);

/// The rows of a matrix packed for block_distances(): panels of kPanel consecutive rows, each
/// panel coordinate-major (coordinate c of row r at data[((r / kPanel) * dims + c) * kPanel +
/// r % kPanel]), zero-padded to whole panels — so a panel is one contiguous stream. In double,
/// or rounded to float for the float32 screen.
template <class T>
struct PanelsOf {
  static constexpr Eigen::Index kPanel = sizeof(T) == 4 ? 64 : 32;
  explicit PanelsOf(MatrixRef points);
  T at(Eigen::Index row, Eigen::Index c) const {
    return data[static_cast<std::size_t>(((row / kPanel) * dims + c) * kPanel + row % kPanel)];
  }
  Eigen::Index rows, dims;
  std::vector<T> data;
};
using Panels = PanelsOf<double>;
using Panels32 = PanelsOf<float>;

/// Queries per step of the block kernels: block_distances packs its queries' coordinates in
/// groups of kQueries, coordinate-major within a group.
inline constexpr int kQueries = 4;

/// The distances from rows [first, first + nq) to every row: out[a * ld_out + j] =
/// d(p_{first + a}, p_j) for a < nq and j < rows. Register-blocked over 4 queries × one panel, so
/// each panel is read from memory once per call rather than once per query (call it with a
/// block of queries: 64 make the memory traffic small beside the arithmetic). The float32
/// version computes the distances of the rounded points in float, 16 lanes at a time (the
/// screen's, within ScreenError of the exact ones).
void block_distances(const Panels& points, Eigen::Index first, int nq, Metric metric, double* out,
                     Eigen::Index ld_out);
void block_distances(const Panels32& points, Eigen::Index first, int nq, Metric metric, float* out,
                     Eigen::Index ld_out);
/// block_distances' Euclidean sums before their sqrt: Σ_c (p_{first + a, c} − p_{j, c})² in
/// coordinate order (the float32 version with fused multiply-adds where the CPU has them).
void block_squared(const Panels& points, Eigen::Index first, int nq, double* out,
                   Eigen::Index ld_out);
void block_squared(const Panels32& points, Eigen::Index first, int nq, float* out,
                   Eigen::Index ld_out);

/// How far a float32 screen's distance may lie from the exact (double) one: for every pair,
/// |d32 − d| <= (absolute + relative · d) / 4 — 4× margin, so float_above/float_below below may
/// add it twice and still absorb their own rounding. absolute == 0: no screen.
struct ScreenError {
  double absolute = 0, relative = 0;
  bool usable() const { return absolute > 0; }
};
/// The bound for points in `dims` columns whose largest |coordinate| is `largest`. Rounding a
/// coordinate to float moves it by at most 2⁻²⁴·largest and the float subtraction adds at most
/// 2⁻²⁴ · 2·largest(1 + 2⁻²⁴), so each float gap lies within ~2⁻²²·largest of the exact gap (the
/// double gap within 2⁻⁵³ · 2·largest).
///  - Max-norm: max is 1-Lipschitz, so d32 keeps that: absolute 2⁻²⁰·largest (4×) plus 1e-37
///    for float subnormals, relative 0.
///  - Euclidean: the vector of gaps moves by at most √dims · 2⁻²²·largest in 2-norm (triangle
///    inequality), and summing dims squares in float — in any order, fused or not — adds a
///    relative error of at most γ_dims = dims·2⁻²⁴/(1 − dims·2⁻²⁴), which the sqrt halves
///    (plus its own 2⁻²⁴); squares below float's normal range lose at most 2⁻¹²⁶ each, √dims ·
///    2⁻⁶³ after the sqrt. So absolute √dims · (2⁻²⁰·largest + 1e-18) and relative (dims + 4) ·
///    2⁻²² — each at least 4× its term (the double distance's own error, ~dims · 2⁻⁵³, is
///    inside the margin).
/// No screen (absolute 0) when largest is not finite or a float could overflow (largest ≥ 1e30,
/// or dims · largest² ≥ 1e37 for the sum of squares).
ScreenError screen_error(double largest, Eigen::Index dims, Metric metric);
/// The smallest float >= r + 2(absolute + relative·r) (above) and the largest <= r −
/// 2(absolute + relative·r) (below). An exact distance d <= r has its float32 value <= above(r);
/// a float32 value < below(r) means d < r; and if f is the k-th smallest float32 distance, every
/// row whose exact distance is at most the exact k-th has its float32 value <= above(f).
/// An infinite r gives itself (every finite distance passes).
float float_above(double r, const ScreenError& error);
float float_below(double r, const ScreenError& error);

/// Whether the float32 screens (the max-norm block kernel, rows_at_most_f32, count_rows_f32,
/// count_screened, kth_smallest), a sorted column's range searches and the strips' fixed windows
/// run their AVX-512 versions (knn/kernels_avx512.hpp: the CPU has AVX-512F/DQ and they are not
/// switched off) — the same answers as the portable ones, bit for bit.
bool avx512_kernels();
/// Tests: the portable versions even where AVX-512 is present (on = false restores the default).
void force_portable_kernels(bool on);

/// #{j < m : d[j] < below} and the offsets j with below <= d[j] <= above into
/// undecided[0 .. *n_undecided): a float32 screen's sure count and what it leaves open.
int count_screened(const float* d, Eigen::Index m, float below, float above, int* undecided,
                   int* n_undecided);

/// out[j] = max(a[j], b[j]) for j < m: a joint max-norm distance from its two marginal ones.
void elementwise_max(const float* a, const float* b, Eigen::Index m, float* out);

/// The largest value of the k smallest d[j], j < m, j != skip (k <= m − 1): a float32 screen's
/// estimate of a k-th distance. Groups of 16 that cannot improve it are skipped whole.
float kth_smallest(const float* d, Eigen::Index m, Eigen::Index skip, int k, float* scratch);

}  // namespace mib::knn::detail
