#include "estimators/knn/kdtree.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <utility>

#include "core/deadline.hpp"
#include "core/error.hpp"
#include "core/parallel.hpp"
#include "estimators/knn/kernels.hpp"
#include "estimators/knn/metric.hpp"

namespace mib::knn {

using detail::box_box_lower;
using detail::box_lower;
using detail::box_upper;
using detail::pair_distance;
using detail::within;

namespace {
// Nodes with fewer rows build their halves one after the other: a second thread would cost more
// than the half it builds.
constexpr Eigen::Index kSideBySideRows = 8192;
// Passes over fewer rows (the copy, a large node's partition) are not split over threads.
constexpr Eigen::Index kParallelRows = 32768;
}  // namespace

KdTree::KdTree(MatrixRef points, Metric metric, int leaf_size, int threads)
    : metric_(metric),
      dims_(points.cols()),
      pad_((points.cols() + detail::kBoxPad - 1) / detail::kBoxPad * detail::kBoxPad),
      leaf_size_(leaf_size > 0 ? leaf_size : (points.cols() <= 2 ? 32 : 320)) {
  const Eigen::Index n = points.rows();
  require(n < (Eigen::Index{1} << 32), "knn", "the row count of a k-d tree", "below 2^32", n);
  perm_.resize(static_cast<std::size_t>(n));
  // The build moves the points column by column with their rows (cols_: column-major, a column
  // of n rows and kRowPad zero rows, the layout of columns_), so every pass over a node reads
  // contiguous memory. The copy gives the root's box.
  cols_.resize(n + detail::kRowPad, dims_);
  cols_.bottomRows(detail::kRowPad).setZero();
  std::vector<double> root(static_cast<std::size_t>(2 * pad_), 0.0);  // lo | hi
  copy_in(points, threads, root.data());
  // Max-norm leaves are screened in float32 (kernels.hpp: screen_error), from the largest
  // magnitude (the root box's).
  double largest = 0;
  for (Eigen::Index c = 0; c < dims_; ++c)
    largest = std::max({largest, std::abs(root[c]), std::abs(root[pad_ + c])});
  if (metric_ == Metric::kMax && n > 0) error_ = detail::screen_error(largest, dims_, metric_);
  screened_ = error_.usable();
  vector_bounds_ = metric_ == Metric::kMax && dims_ > 4;
  // The copies the searches read besides cols_ (columns_ at the end), written leaf by leaf as
  // the build finishes each (only the padding zeroed here).
  data_.resize(n, dims_);
  where_.resize(static_cast<std::size_t>(n));
  if (screened_) {
    columns32_.resize(static_cast<std::size_t>(ld32() * dims_));
    for (Eigen::Index c = 0; c < dims_; ++c)
      std::fill_n(columns32_.data() + c * ld32() + n, detail::kRowPad, 0.0f);
  }
  if (n > 0) {
    Part tree;
    tree.nodes.reserve(static_cast<std::size_t>(2 * n / leaf_size_ + 2));
    build(tree, 0, n, 0, threads, root.data());
    nodes_ = std::move(tree.nodes);
    bounds_ = std::move(tree.bounds);
    depth_ = tree.depth;
  }
  if (!screened_ || dims_ <= kBatchedDims)
    columns_ = std::move(cols_);  // padded for the row kernels
  cols_ = {};
  for (const Node& node : nodes_) {
    if (node.left < 0) max_leaf_ = std::max(max_leaf_, node.end - node.begin);
  }
}

// cols_ and perm_ from the points, and the root box into lo | hi (pad_ each): over row ranges
// side by side for large inputs, the ranges' boxes combined after (min and max in any order are
// the same values).
void KdTree::copy_in(MatrixRef points, int threads, double* box) {
  const Eigen::Index n = points.rows();
  const int parts = threads >= 2 && n >= kParallelRows ? threads : 1;
  std::vector<double> boxes(static_cast<std::size_t>(parts * 2 * dims_));
  parallel_for(parts, parts, [&](std::ptrdiff_t first, std::ptrdiff_t last) {
    for (std::ptrdiff_t part = first; part < last; ++part) {
      const Eigen::Index begin = n * part / parts, end = n * (part + 1) / parts;
      for (Eigen::Index j = begin; j < end; ++j) perm_[static_cast<std::size_t>(j)] = j;
      double* lo = boxes.data() + part * 2 * dims_;
      double* hi = lo + dims_;
      for (Eigen::Index c = 0; c < dims_; ++c) {
        double* col = column(c);
        double min = begin < end ? points(begin, c) : 0, max = min;
        for (Eigen::Index j = begin; j < end; ++j) {
          col[j] = points(j, c);
          min = std::min(min, col[j]);
          max = std::max(max, col[j]);
        }
        lo[c] = min;
        hi[c] = max;
      }
    }
  });
  for (Eigen::Index c = 0; c < dims_; ++c) {
    box[c] = boxes[static_cast<std::size_t>(c)];
    box[pad_ + c] = boxes[static_cast<std::size_t>(dims_ + c)];
    for (int part = 1; part < parts; ++part) {
      box[c] = std::min(box[c], boxes[static_cast<std::size_t>(part * 2 * dims_ + c)]);
      box[pad_ + c] =
          std::max(box[pad_ + c], boxes[static_cast<std::size_t>(part * 2 * dims_ + dims_ + c)]);
    }
  }
}

// A finished leaf's rows [begin, end) of cols_ into the copies the searches read.
void KdTree::finish_leaf(Eigen::Index begin, Eigen::Index end) {
  for (Eigen::Index j = begin; j < end; ++j) {
    for (Eigen::Index c = 0; c < dims_; ++c) data_(j, c) = column(c)[j];
    where_[static_cast<std::size_t>(perm_[static_cast<std::size_t>(j)])] = j;
  }
  for (Eigen::Index c = 0; screened_ && c < dims_; ++c) {
    const double* col = column(c);
    float* out = columns32_.data() + c * ld32();
    for (Eigen::Index j = begin; j < end; ++j) out[j] = static_cast<float>(col[j]);
  }
}

float KdTree::above(double r) const { return detail::float_above(r, error_); }
float KdTree::below(double r) const { return detail::float_below(r, error_); }

int KdTree::append(Part& part, const Part& subtree) {
  const int offset = static_cast<int>(part.nodes.size());
  for (Node node : subtree.nodes) {
    if (node.left >= 0) {
      node.left += offset;
      node.right += offset;
    }
    part.nodes.push_back(node);
  }
  part.bounds.insert(part.bounds.end(), subtree.bounds.begin(), subtree.bounds.end());
  part.depth = std::max(part.depth, subtree.depth);
  return offset;
}

namespace detail {

bool key_less(const Keyed& a, const Keyed& b) {
  // Branch-free: a select's comparisons are coin flips.
  return (a.value < b.value) | ((a.value == b.value) & (a.row < b.row));
}

// Quickselect with median-of-three pivots and branch-free partitions through `spare` (m
// entries) — each row is written to both ends and the side it belongs to keeps it, so no
// load waits on a store or a branch on a comparison (std::nth_element's partitions branch on
// every comparison, half of them mispredicted) — handing over to std::nth_element if the
// pivots keep missing.
void select(Keyed* a, Keyed* spare, std::size_t m, std::size_t nth) {
  std::size_t lo = 0, hi = m;
  for (int budget = 64; hi - lo > 32 && budget > 0; --budget) {
    const std::size_t mid = lo + (hi - lo) / 2;
    if (key_less(a[mid], a[lo])) std::swap(a[mid], a[lo]);
    if (key_less(a[hi - 1], a[mid])) std::swap(a[hi - 1], a[mid]);
    if (key_less(a[mid], a[lo])) std::swap(a[mid], a[lo]);
    const Keyed pivot = a[mid];
    std::size_t below = lo, above = hi - 1;  // the next slots from either end
    for (std::size_t i = lo; i < hi; ++i) {
      const Keyed x = a[i];
      const bool smaller = key_less(x, pivot);
      spare[below] = x;
      spare[above] = x;
      below += smaller;
      above -= !smaller;
    }
    std::copy(spare + lo, spare + hi, a + lo);  // [lo, below): smaller; then the rest
    // Both sides hold a row: a[lo] < pivot after the median of three, and the pivot is not.
    if (nth < below) {
      hi = below;
    } else if (nth > below) {
      lo = below;
    } else {  // rank nth is the smallest of the rest
      std::iter_swap(a + below, std::min_element(a + below, a + hi, key_less));
      return;
    }
  }
  std::nth_element(a + lo, a + nth, a + hi, key_less);
}

}  // namespace detail

int KdTree::build(Part& part, Eigen::Index begin, Eigen::Index end, int depth, int threads,
                  const double* box) {
  part.depth = std::max(part.depth, depth);
  const int id = static_cast<int>(part.nodes.size());
  part.nodes.push_back({begin, end});
  part.bounds.resize(static_cast<std::size_t>(2 * (id + 1) * pad_));
  double* lo = part.bounds.data() + 2 * id * pad_;
  double* hi = lo + pad_;
  if (box != nullptr) {
    std::copy(box, box + 2 * pad_, lo);
  } else {
    node_box(begin, end, lo, hi);
  }
  Eigen::Index axis = 0;
  for (Eigen::Index c = 1; c < dims_; ++c) {
    if (hi[c] - lo[c] > hi[axis] - lo[axis]) axis = c;
  }
  if (end - begin <= leaf_size_ || !(hi[axis] > lo[axis])) {  // a leaf (or all rows identical)
    finish_leaf(begin, end);
    return id;
  }
  // Large nodes split at a sampled median (one partition pass, side by side over row ranges),
  // smaller ones at the exact median. Either leaves both children at least a quarter of the rows
  // (and at least leaf_size_ / 2, more than k for the batched search: nearest_leaf_size).
  Eigen::Index mid = -1;
  if (end - begin >= std::max<Eigen::Index>(kSideBySideRows, 4 * leaf_size_))
    mid = split_sampled(part, begin, end, axis, threads);
  if (mid < 0) mid = split_median(part, begin, end, axis);
  int left, right;
  if (threads < 2 || end - begin < kSideBySideRows) {
    left = build(part, begin, mid, depth + 1, 1);
    right = build(part, mid, end, depth + 1, 1);
  } else {  // the halves own disjoint ranges of perm_ and cols_
    Part l, r;
    side_by_side(
        threads, [&](int t) { build(l, begin, mid, depth + 1, t); },
        [&](int t) { build(r, mid, end, depth + 1, t); });
    left = append(part, l);
    right = append(part, r);
  }
  part.nodes[static_cast<std::size_t>(id)].left = left;
  part.nodes[static_cast<std::size_t>(id)].right = right;
  return id;
}

void KdTree::node_box(Eigen::Index begin, Eigen::Index end, double* lo, double* hi) {
  for (Eigen::Index c = 0; c < dims_; ++c) {
    // Four independent chains (a chain of dependent min/max instructions would bound the
    // pass); locals, as lo and hi might alias the column. (Which of −0 and +0 a box keeps
    // changes no bound's comparison.)
    const double* col = column(c);
    double min[4], max[4];
    std::fill(min, min + 4, col[begin]);
    std::fill(max, max + 4, col[begin]);
    Eigen::Index j = begin;
    for (; j + 4 <= end; j += 4) {
      for (int u = 0; u < 4; ++u) {
        min[u] = std::min(min[u], col[j + u]);
        max[u] = std::max(max[u], col[j + u]);
      }
    }
    for (; j < end; ++j) {
      min[0] = std::min(min[0], col[j]);
      max[0] = std::max(max[0], col[j]);
    }
    lo[c] = std::min(std::min(min[0], min[1]), std::min(min[2], min[3]));
    hi[c] = std::max(std::max(max[0], max[1]), std::max(max[2], max[3]));
  }
}

Eigen::Index KdTree::split_median(Part& part, Eigen::Index begin, Eigen::Index end,
                                  Eigen::Index axis) {
  const Eigen::Index mid = begin + (end - begin) / 2;
  const auto m = static_cast<std::size_t>(end - begin);
  part.keyed.resize(m);
  for (std::size_t j = 0; j < m; ++j) {
    const std::size_t at = static_cast<std::size_t>(begin) + j;
    part.keyed[j] = {column(axis)[at], static_cast<std::uint32_t>(perm_[at]),
                     static_cast<std::uint32_t>(j)};
  }
  part.spare.resize(m);
  detail::select(part.keyed.data(), part.spare.data(), m, static_cast<std::size_t>(mid - begin));
  // The rows and every column follow the split.
  part.moved.resize(m);
  for (Eigen::Index c = 0; c < dims_; ++c) {
    double* col = column(c) + begin;
    for (std::size_t j = 0; j < m; ++j) part.moved[j] = col[part.keyed[j].local];
    std::copy(part.moved.begin(), part.moved.end(), col);
  }
  for (std::size_t j = 0; j < m; ++j)
    perm_[static_cast<std::size_t>(begin) + j] = part.keyed[j].row;
  return mid;
}

Eigen::Index KdTree::split_sampled(Part& part, Eigen::Index begin, Eigen::Index end,
                                   Eigen::Index axis, int threads) {
  const Eigen::Index m = end - begin;
  const double* key = column(axis);
  const auto keyed = [&](Eigen::Index at) {
    return detail::Keyed{key[at], static_cast<std::uint32_t>(perm_[static_cast<std::size_t>(at)]),
                         0};
  };
  // The pivot: the median of rows at evenly spaced positions (up to 1 023: its rank within ~2 %
  // of the middle).
  const auto samples = static_cast<std::size_t>(std::min<Eigen::Index>(1023, m / 16) | 1);
  std::vector<detail::Keyed> sample(samples);
  for (std::size_t s = 0; s < samples; ++s) {
    sample[s] = keyed(begin + static_cast<Eigen::Index>(2 * s + 1) * m /
                                  static_cast<Eigen::Index>(2 * samples));
  }
  std::nth_element(sample.begin(), sample.begin() + static_cast<std::ptrdiff_t>(samples / 2),
                   sample.end(), detail::key_less);
  const detail::Keyed pivot = sample[samples / 2];
  // Rows below the pivot first, the rest after, each side in its previous order: counted per
  // row range, each row's destination found, then the rows and each column scattered through
  // scratch and copied back — a column's copy beside the next one's scatter (two buffers), the
  // row ranges side by side.
  const int parts = threads >= 2 && m >= kParallelRows ? threads : 1;
  const auto first = [&](std::ptrdiff_t p) { return begin + m * p / parts; };
  // body(p, from, to) for each part p of rows [from, to).
  const auto each_part =
      [&](const std::function<void(std::size_t, Eigen::Index, Eigen::Index)>& body) {
        parallel_for(parts, parts, [&](std::ptrdiff_t p0, std::ptrdiff_t p1) {
          for (std::ptrdiff_t p = p0; p < p1; ++p)
            body(static_cast<std::size_t>(p), first(p), first(p + 1));
        });
      };
  std::vector<Eigen::Index> below(static_cast<std::size_t>(parts), 0);
  each_part([&](std::size_t p, Eigen::Index from, Eigen::Index to) {
    Eigen::Index count = 0;
    for (Eigen::Index at = from; at < to; ++at) count += detail::key_less(keyed(at), pivot);
    below[p] = count;
  });
  Eigen::Index total = 0;
  for (const Eigen::Index b : below) total += b;
  if (4 * total < m || 4 * (m - total) < m) return -1;  // an unlucky sample: the exact median
  std::vector<Eigen::Index> to_left(static_cast<std::size_t>(parts)),
      to_right(static_cast<std::size_t>(parts));
  Eigen::Index lefts = 0, rights = 0;
  for (int p = 0; p < parts; ++p) {
    to_left[static_cast<std::size_t>(p)] = lefts;
    to_right[static_cast<std::size_t>(p)] = total + rights;
    lefts += below[static_cast<std::size_t>(p)];
    rights += first(p + 1) - first(p) - below[static_cast<std::size_t>(p)];
  }
  part.dest.resize(static_cast<std::size_t>(m));
  part.rows.resize(static_cast<std::size_t>(m));
  part.moved.resize(static_cast<std::size_t>(2 * m));
  std::uint32_t* dest = part.dest.data() - begin;  // indexed by position
  each_part([&](std::size_t p, Eigen::Index from, Eigen::Index to) {
    Eigen::Index left = to_left[p], right = to_right[p];
    for (Eigen::Index at = from; at < to; ++at) {  // branch-free
      const bool side = detail::key_less(keyed(at), pivot);
      dest[at] = static_cast<std::uint32_t>(side ? left : right);
      left += side;
      right += !side;
    }
    for (Eigen::Index at = from; at < to; ++at)
      part.rows[dest[at]] = perm_[static_cast<std::size_t>(at)];
  });
  for (Eigen::Index c = 0; c <= dims_; ++c) {
    each_part([&](std::size_t, Eigen::Index from, Eigen::Index to) {
      if (c < dims_) {
        double* out = part.moved.data() + (c % 2) * m;
        const double* col = column(c);
        for (Eigen::Index at = from; at < to; ++at) out[dest[at]] = col[at];
      }
      const Eigen::Index a = from - begin, b = to - begin;
      if (c > 0) {
        const double* back = part.moved.data() + ((c - 1) % 2) * m;
        std::copy(back + a, back + b, column(c - 1) + from);
      } else {
        std::copy(part.rows.begin() + a, part.rows.begin() + b, perm_.begin() + from);
      }
    });
  }
  return begin + total;
}

namespace {
// The k best (distance, original index) so far, ascending (lexicographic, so ties go to the
// smaller index), starting from sentinels: (d, j) enters when better than the last.
void clear(KdTree::Entry* best, int k) {
  std::fill(best, best + k,
            KdTree::Entry(std::numeric_limits<double>::infinity(),
                          std::numeric_limits<Eigen::Index>::max()));
}
void insert(KdTree::Entry* best, int k, double d, Eigen::Index j) {
  const KdTree::Entry e(d, j);
  if (!(e < best[k - 1])) return;
  int at = k - 1;
  for (; at > 0 && e < best[at - 1]; --at) best[at] = best[at - 1];
  best[at] = e;
}
}  // namespace

int KdTree::nearest_leaf_size(Eigen::Index dims, int k) {
  // Batched leaves hold more than k rows (a split leaves at least half), so each query's own
  // leaf bounds its k-th distance; 32 / 64 measured best for k = 3 (bench/README.md).
  if (dims > kBatchedDims) return 0;
  return std::max(dims <= 2 ? 32 : 64, 2 * k + 2);
}

void KdTree::nearest_all(int k, Neighbors& out, int threads) const {
  nearest_all(k, threads, [&](Eigen::Index row, const Entry* best) {
    for (int c = 0; c < k; ++c) {
      out.distance(row, c) = best[c].first;
      out.index(row, c) = best[c].second;
    }
  });
}

void KdTree::nearest_all(int k, int threads, const Take& take) const {
  const auto write = [&](Eigen::Index position, const Entry* best) {
    take(perm_[static_cast<std::size_t>(position)], best);
  };
  if (dims_ > kBatchedDims) {  // one query at a time, in tree order
    parallel_for(data_.rows(), threads, [&](std::ptrdiff_t begin, std::ptrdiff_t end) {
      Scratch scratch;
      scratch.best.resize(static_cast<std::size_t>(k));
      for (std::ptrdiff_t p = begin; p < end; ++p) {
        check_deadline();
        nearest(p, k, scratch.best.data(), scratch);
        write(p, scratch.best.data());
      }
    });
    return;
  }
  std::vector<int> leaves;
  for (std::size_t id = 0; id < nodes_.size(); ++id) {
    if (nodes_[id].left < 0) leaves.push_back(static_cast<int>(id));
  }
  parallel_for(static_cast<std::ptrdiff_t>(leaves.size()), threads,
               [&](std::ptrdiff_t begin, std::ptrdiff_t end) {
                 Scratch scratch;
                 for (std::ptrdiff_t l = begin; l < end; ++l) {
                   check_deadline();
                   const int id = leaves[static_cast<std::size_t>(l)];
                   nearest_leaf(id, k, scratch);
                   const Node& leaf = nodes_[static_cast<std::size_t>(id)];
                   for (Eigen::Index a = 0; a < leaf.end - leaf.begin; ++a)
                     write(leaf.begin + a, scratch.best.data() + a * k);
                 }
               });
}

void KdTree::scan_leaf(int id, const double* q, const float* q32, Eigen::Index seed_first,
                       Eigen::Index seed_last, int k, Entry* best, Scratch& scratch) const {
  const Node& node = nodes_[static_cast<std::size_t>(id)];
  const auto seeded = [&](Eigen::Index p) { return p >= seed_first && p < seed_last; };
  const Eigen::Index m = node.end - node.begin;
  const double kth = best[k - 1].first;
  int found;
  if (screened_) {  // candidates by float32, then their exact distances
    found = detail::rows_at_most_f32(q32, columns32_.data(), ld32(), node.begin, m, dims_,
                                     above(kth), scratch.candidate.data());
    for (int c = 0; c < found; ++c) {
      const int j = scratch.candidate[static_cast<std::size_t>(c)];
      if (seeded(node.begin + j)) continue;
      scratch.distance[static_cast<std::size_t>(j)] =
          pair_distance(q, data_.row(node.begin + j).data(), dims_, metric_);
    }
  } else {
    found = detail::rows_at_most(q, columns_.data(), columns_.rows(), node.begin, m, dims_, metric_,
                                 kth, scratch.distance.data(), scratch.candidate.data());
  }
  for (int c = 0; c < found; ++c) {
    const int j = scratch.candidate[static_cast<std::size_t>(c)];
    if (seeded(node.begin + j)) continue;
    insert(best, k, scratch.distance[static_cast<std::size_t>(j)],
           perm_[static_cast<std::size_t>(node.begin + j)]);
  }
}

void KdTree::nearest(Eigen::Index self, int k, Entry* best, Scratch& scratch) const {
  const double* q = data_.row(self).data();
  clear(best, k);
  // Seeds, so the search starts with a tight k-th distance: the 8k rows next to the query in
  // tree order (near it in space; 8k measured best among k … 32k, KSG 5 + 5 at n = 1e4 0.079 →
  // 0.068 s). The leaf scans skip their positions [s0, s1), the query's included. (Seeding
  // with the previous query's neighbours instead measured slower.)
  const Eigen::Index seeds = std::min<Eigen::Index>(data_.rows() - 1, Eigen::Index{8} * k);
  const Eigen::Index s0 = std::clamp<Eigen::Index>(self - seeds / 2, 0, data_.rows() - (seeds + 1));
  const Eigen::Index s1 = s0 + seeds + 1;
  for (Eigen::Index p = s0; p < s1; ++p) {
    if (p != self) {
      insert(best, k, pair_distance(q, data_.row(p).data(), dims_, metric_),
             perm_[static_cast<std::size_t>(p)]);
    }
  }
  // Depth-first, nearer child first; a box whose lower bound exceeds the k-th distance is
  // skipped (a bound equal to it may still hold a smaller index, so it is visited).
  scratch.query.assign(q, q + dims_);
  scratch.query.resize(static_cast<std::size_t>(pad_), 0.0);
  scratch.query32.assign(q, q + dims_);
  const double* qp = scratch.query.data();
  // The stack holds at most one pending sibling per level, plus the root.
  scratch.stack.resize(static_cast<std::size_t>(depth_ + 2));
  std::pair<double, int>* stack = scratch.stack.data();
  int top = 0;
  stack[top++] = {0.0, 0};
  scratch.distance.resize(static_cast<std::size_t>(max_leaf_ + detail::kRowPad));
  scratch.candidate.resize(static_cast<std::size_t>(max_leaf_ + detail::kRowPad));
  while (top > 0) {
    const auto [bound, id] = stack[--top];
    if (bound > best[k - 1].first) continue;
    const Node& node = nodes_[static_cast<std::size_t>(id)];
    if (node.left < 0) {
      scan_leaf(id, q, scratch.query32.data(), s0, s1, k, best, scratch);
      continue;
    }
    double bl, br;
    if (vector_bounds_) {
      detail::max_box_lower2(qp, lo(node.left), lo(node.right), pad_, &bl, &br);
    } else {
      bl = box_lower(q, lo(node.left), hi(node.left), dims_, metric_);
      br = box_lower(q, lo(node.right), hi(node.right), dims_, metric_);
    }
    if (bl <= br) {
      stack[top++] = {br, node.right};
      stack[top++] = {bl, node.left};
    } else {
      stack[top++] = {bl, node.left};
      stack[top++] = {br, node.right};
    }
  }
}

void KdTree::nearest_leaf(int id, int k, Scratch& scratch) const {
  const Node& leaf = nodes_[static_cast<std::size_t>(id)];
  const Eigen::Index m = leaf.end - leaf.begin;
  scratch.best.resize(static_cast<std::size_t>(m * k));
  scratch.distance.resize(static_cast<std::size_t>(max_leaf_ + detail::kRowPad));
  scratch.candidate.resize(static_cast<std::size_t>(max_leaf_ + detail::kRowPad));
  double* dist = scratch.distance.data();
  int* cand = scratch.candidate.data();
  // Each query's k nearest within its own leaf bound its k-th distance; every neighbour of the
  // leaf's queries lies within the largest of these bounds (reach) of the leaf's box. The k-th
  // smallest distance within the leaf comes from a branch-free network (row_kth), and only the
  // rows within it enter the k best — each insertion is a chain of unpredictable branches.
  double reach = 0;
  for (Eigen::Index a = 0; a < m; ++a) {
    Entry* best = scratch.best.data() + a * k;
    clear(best, k);
    const double* q = data_.row(leaf.begin + a).data();
    const double kth = detail::row_kth(q, columns_.data(), columns_.rows(), leaf.begin, m, dims_,
                                       metric_, a, k, dist);
    int found = 0;
    for (Eigen::Index j = 0; j < m; ++j) {
      cand[found] = static_cast<int>(j);
      found += (dist[j] <= kth) & (j != a);
    }
    for (int c = 0; c < found; ++c)
      insert(best, k, dist[cand[c]], perm_[static_cast<std::size_t>(leaf.begin + cand[c])]);
    reach = std::max(reach, best[k - 1].first);
  }
  // The other leaves within reach of this one's box, nearest first, their boxes column-wise.
  auto& near = scratch.leaves;
  near.clear();
  scratch.stack.assign(1, {0.0, 0});
  while (!scratch.stack.empty()) {
    const int node = scratch.stack.back().second;
    scratch.stack.pop_back();
    const double bound = box_box_lower(lo(node), hi(node), lo(id), hi(id), dims_, metric_);
    if (node == id || bound > reach) continue;
    const Node& n = nodes_[static_cast<std::size_t>(node)];
    if (n.left < 0) {
      near.emplace_back(bound, node);
    } else {
      scratch.stack.emplace_back(0.0, n.right);
      scratch.stack.emplace_back(0.0, n.left);
    }
  }
  std::sort(near.begin(), near.end());
  const auto count = static_cast<Eigen::Index>(near.size());
  scratch.boxes.resize(static_cast<std::size_t>((2 * dims_ + 1) * count));
  double* near_lo = scratch.boxes.data();
  double* near_hi = near_lo + dims_ * count;
  double* lower = near_hi + dims_ * count;
  for (Eigen::Index l = 0; l < count; ++l) {
    const int node = near[static_cast<std::size_t>(l)].second;
    for (Eigen::Index c = 0; c < dims_; ++c) {
      near_lo[c * count + l] = lo(node)[c];
      near_hi[c * count + l] = hi(node)[c];
    }
  }
  // Per query: the near leaves whose box may hold one of its k nearest (a box whose lower bound
  // equals the k-th distance may still hold a smaller index).
  for (Eigen::Index a = 0; a < m; ++a) {
    const double* q = data_.row(leaf.begin + a).data();
    Entry* best = scratch.best.data() + a * k;
    detail::boxes_lower(q, near_lo, near_hi, count, count, dims_, metric_, lower);
    for (Eigen::Index l = 0; l < count; ++l) {
      if (near[static_cast<std::size_t>(l)].first > best[k - 1].first) break;  // and the rest
      if (lower[l] > best[k - 1].first) continue;
      const Node& other =
          nodes_[static_cast<std::size_t>(near[static_cast<std::size_t>(l)].second)];
      const int found = detail::rows_at_most(q, columns_.data(), columns_.rows(), other.begin,
                                             other.end - other.begin, dims_, metric_,
                                             best[k - 1].first, dist, cand);
      for (int c = 0; c < found; ++c) {
        insert(best, k, dist[cand[c]], perm_[static_cast<std::size_t>(other.begin + cand[c])]);
      }
    }
  }
}

int KdTree::count_node(int id, const CountQuery& query) const {
  const Node& node = nodes_[static_cast<std::size_t>(id)];
  double lower, upper;
  if (vector_bounds_) {
    detail::max_box_bounds(query.q, lo(id), pad_, &lower, &upper);
  } else {
    lower = box_lower(query.q, lo(id), hi(id), dims_, metric_);
    upper = box_upper(query.q, lo(id), hi(id), dims_, metric_);
  }
  if (!within(lower, query.radius, query.strict)) return 0;
  if (within(upper, query.radius, query.strict)) return static_cast<int>(node.end - node.begin);
  if (node.left >= 0) return count_node(node.left, query) + count_node(node.right, query);
  const Eigen::Index m = node.end - node.begin;
  if (!screened_) {
    return detail::count_rows_within(query.q, columns_.data(), columns_.rows(), node.begin, m,
                                     dims_, metric_, query.radius, query.strict);
  }
  int undecided = 0;
  int c = detail::count_rows_f32(query.q32, columns32_.data(), ld32(), node.begin, m, dims_,
                                 query.sure, query.unsure, query.undecided, &undecided);
  for (int u = 0; u < undecided; ++u) {
    const Eigen::Index j = node.begin + query.undecided[u];
    c += within(pair_distance(query.q, data_.row(j).data(), dims_, metric_), query.radius,
                query.strict)
             ? 1
             : 0;
  }
  return c;
}

int KdTree::count(Eigen::Index query, double radius, bool strict, Scratch& scratch) const {
  const double* q = data_.row(where_[static_cast<std::size_t>(query)]).data();
  scratch.query.assign(q, q + dims_);  // zero-padded for the vector box bounds
  scratch.query.resize(static_cast<std::size_t>(pad_), 0.0);
  scratch.query32.assign(q, q + dims_);
  scratch.undecided.resize(static_cast<std::size_t>(max_leaf_ + detail::kRowPad));
  const CountQuery cq{scratch.query.data(), scratch.query32.data(),  radius, strict, below(radius),
                      above(radius),        scratch.undecided.data()};
  // The query itself is in the tree at distance 0: counted whenever 0 passes the test.
  return count_node(0, cq) - (within(0.0, radius, strict) ? 1 : 0);
}

}  // namespace mib::knn
