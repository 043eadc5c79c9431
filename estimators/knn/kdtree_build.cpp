// The k-d tree's construction (knn/kdtree.hpp): the copy, the splits, the leaves' copies.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "core/parallel.hpp"
#include "estimators/knn/kdtree.hpp"
#include "estimators/knn/kernels.hpp"

namespace mib::knn {

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

int KdTree::finish_leaf(Part& part, Eigen::Index begin, Eigen::Index end, Eigen::Index axis) {
  const bool sort = screened_ && end - begin > 1;
  if (sort) {
    key_rows(part, begin, end, axis);
    std::sort(part.keyed.begin(), part.keyed.end(), detail::key_less);
    reorder(part, begin);
  }
  for (Eigen::Index j = begin; j < end; ++j) {
    for (Eigen::Index c = 0; c < dims_; ++c) data_(j, c) = column(c)[j];
    where_[static_cast<std::size_t>(perm_[static_cast<std::size_t>(j)])] = j;
  }
  for (Eigen::Index c = 0; screened_ && c < dims_; ++c) {
    const double* col = column(c);
    float* out = columns32_.data() + c * ld32();
    for (Eigen::Index j = begin; j < end; ++j) out[j] = static_cast<float>(col[j]);
  }
  return sort ? static_cast<int>(axis) : -1;
}

void KdTree::key_rows(Part& part, Eigen::Index begin, Eigen::Index end, Eigen::Index axis) {
  const auto m = static_cast<std::size_t>(end - begin);
  part.keyed.resize(m);
  for (std::size_t j = 0; j < m; ++j) {
    const std::size_t at = static_cast<std::size_t>(begin) + j;
    part.keyed[j] = {column(axis)[at], static_cast<std::uint32_t>(perm_[at]),
                     static_cast<std::uint32_t>(j)};
  }
}

void KdTree::reorder(Part& part, Eigen::Index begin) {
  const std::size_t m = part.keyed.size();
  part.moved.resize(m);
  for (Eigen::Index c = 0; c < dims_; ++c) {
    double* col = column(c) + begin;
    for (std::size_t j = 0; j < m; ++j) part.moved[j] = col[part.keyed[j].local];
    std::copy(part.moved.begin(), part.moved.end(), col);
  }
  for (std::size_t j = 0; j < m; ++j)
    perm_[static_cast<std::size_t>(begin) + j] = part.keyed[j].row;
}

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
    part.nodes[static_cast<std::size_t>(id)].axis = finish_leaf(part, begin, end, axis);
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
  key_rows(part, begin, end, axis);
  part.spare.resize(m);
  detail::select(part.keyed.data(), part.spare.data(), m, static_cast<std::size_t>(mid - begin));
  reorder(part, begin);  // the rows and every column follow the split
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
  std::uint32_t* dest = part.dest.data();  // dest[at - begin]: row at's new offset in the node
  each_part([&](std::size_t p, Eigen::Index from, Eigen::Index to) {
    Eigen::Index left = to_left[p], right = to_right[p];
    for (Eigen::Index at = from; at < to; ++at) {  // branch-free
      const bool side = detail::key_less(keyed(at), pivot);
      dest[at - begin] = static_cast<std::uint32_t>(side ? left : right);
      left += side;
      right += !side;
    }
    for (Eigen::Index at = from; at < to; ++at)
      part.rows[dest[at - begin]] = perm_[static_cast<std::size_t>(at)];
  });
  for (Eigen::Index c = 0; c <= dims_; ++c) {
    each_part([&](std::size_t, Eigen::Index from, Eigen::Index to) {
      if (c < dims_) {
        double* out = part.moved.data() + (c % 2) * m;
        const double* col = column(c);
        for (Eigen::Index at = from; at < to; ++at) out[dest[at - begin]] = col[at];
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

}  // namespace mib::knn
