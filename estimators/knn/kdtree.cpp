#include "estimators/knn/kdtree.hpp"

#include <algorithm>
#include <limits>
#include <numeric>
#include <utility>

#include "estimators/knn/kernels.hpp"
#include "estimators/knn/metric.hpp"

namespace mib::knn {

using detail::box_lower;
using detail::box_upper;
using detail::within;

KdTree::KdTree(MatrixRef points, Metric metric, int leaf_size)
    : metric_(metric),
      dims_(points.cols()),
      pad_((points.cols() + detail::kBoxPad - 1) / detail::kBoxPad * detail::kBoxPad),
      leaf_size_(leaf_size > 0 ? leaf_size : (points.cols() <= 2 ? 32 : 256)) {
  const Eigen::Index n = points.rows();
  perm_.resize(static_cast<std::size_t>(n));
  std::iota(perm_.begin(), perm_.end(), Eigen::Index{0});
  data_ = points;
  nodes_.reserve(static_cast<std::size_t>(2 * n / leaf_size_ + 2));
  if (n > 0) build(0, n);
  Matrix ordered(n, dims_);
  where_.resize(static_cast<std::size_t>(n));
  for (Eigen::Index j = 0; j < n; ++j) {
    ordered.row(j) = points.row(perm_[static_cast<std::size_t>(j)]);
    where_[static_cast<std::size_t>(perm_[static_cast<std::size_t>(j)])] = j;
  }
  data_ = std::move(ordered);
  columns_ = data_;
  for (const Node& node : nodes_) {
    if (node.left < 0) max_leaf_ = std::max(max_leaf_, node.end - node.begin);
  }
}

int KdTree::build(Eigen::Index begin, Eigen::Index end) {
  const int id = static_cast<int>(nodes_.size());
  nodes_.push_back({begin, end});
  bounds_.resize(static_cast<std::size_t>(2 * (id + 1) * pad_));
  double* lo = bounds_.data() + 2 * id * pad_;
  double* hi = lo + pad_;
  for (Eigen::Index c = 0; c < dims_; ++c) {
    lo[c] = hi[c] = data_(perm_[static_cast<std::size_t>(begin)], c);
  }
  for (Eigen::Index j = begin; j < end; ++j) {
    const Eigen::Index row = perm_[static_cast<std::size_t>(j)];
    for (Eigen::Index c = 0; c < dims_; ++c) {
      lo[c] = std::min(lo[c], data_(row, c));
      hi[c] = std::max(hi[c], data_(row, c));
    }
  }
  if (end - begin <= leaf_size_) return id;
  Eigen::Index axis = 0;
  for (Eigen::Index c = 1; c < dims_; ++c) {
    if (hi[c] - lo[c] > hi[axis] - lo[axis]) axis = c;
  }
  if (!(hi[axis] > lo[axis])) return id;  // all rows identical: one leaf
  const Eigen::Index mid = begin + (end - begin) / 2;
  // Select on (coordinate, row) pairs gathered contiguously: much faster than comparing
  // through the permutation, and the order among equal coordinates is fixed by the row.
  std::vector<std::pair<double, Eigen::Index>> keyed;
  keyed.reserve(static_cast<std::size_t>(end - begin));
  for (Eigen::Index j = begin; j < end; ++j) {
    const Eigen::Index row = perm_[static_cast<std::size_t>(j)];
    keyed.emplace_back(data_(row, axis), row);
  }
  std::nth_element(keyed.begin(), keyed.begin() + (mid - begin), keyed.end());
  for (Eigen::Index j = begin; j < end; ++j) {
    perm_[static_cast<std::size_t>(j)] = keyed[static_cast<std::size_t>(j - begin)].second;
  }
  const int left = build(begin, mid);
  const int right = build(mid, end);
  nodes_[static_cast<std::size_t>(id)].left = left;
  nodes_[static_cast<std::size_t>(id)].right = right;
  return id;
}

void KdTree::nearest(Eigen::Index query, int k, double* distance, Eigen::Index* index,
                     Scratch& scratch) const {
  const double* q = data_.row(where_[static_cast<std::size_t>(query)]).data();
  using Entry = std::pair<double, Eigen::Index>;  // (distance, original index): lexicographic
  auto& best = scratch.heap;                      // a max-heap: the worst of the k best first
  best.clear();
  const auto full = [&] { return static_cast<int>(best.size()) == k; };
  auto consider = [&](double d, Eigen::Index j) {
    if (!full()) {
      best.emplace_back(d, j);
      std::push_heap(best.begin(), best.end());
    } else if (Entry(d, j) < best.front()) {
      std::pop_heap(best.begin(), best.end());
      best.back() = Entry(d, j);
      std::push_heap(best.begin(), best.end());
    }
  };
  // Depth-first, nearer child first; a box whose lower bound exceeds the k-th distance is
  // skipped (a bound equal to it may still hold a smaller index, so it is visited).
  scratch.query.assign(q, q + dims_);
  scratch.query.resize(static_cast<std::size_t>(pad_), 0.0);
  const double* qp = scratch.query.data();
  auto& stack = scratch.stack;
  stack.assign(1, {0.0, 0});
  scratch.distance.resize(static_cast<std::size_t>(max_leaf_));
  scratch.candidate.resize(static_cast<std::size_t>(max_leaf_));
  while (!stack.empty()) {
    const auto [bound, id] = stack.back();
    stack.pop_back();
    if (full() && bound > best.front().first) continue;
    const Node& node = nodes_[static_cast<std::size_t>(id)];
    if (node.left < 0) {
      const int found = detail::rows_at_most(
          q, columns_.data(), columns_.rows(), node.begin, node.end - node.begin, dims_, metric_,
          full() ? best.front().first : std::numeric_limits<double>::infinity(),
          scratch.distance.data(), scratch.candidate.data());
      for (int c = 0; c < found; ++c) {
        const int j = scratch.candidate[static_cast<std::size_t>(c)];
        const double d = scratch.distance[static_cast<std::size_t>(j)];
        if (full() && d > best.front().first) continue;  // the k-th fell within this leaf
        const Eigen::Index original = perm_[static_cast<std::size_t>(node.begin + j)];
        if (original != query) consider(d, original);
      }
      continue;
    }
    double bl, br;
    if (metric_ == Metric::kMax) {
      detail::max_box_lower2(qp, lo(node.left), lo(node.right), pad_, &bl, &br);
    } else {
      bl = box_lower(q, lo(node.left), hi(node.left), dims_, metric_);
      br = box_lower(q, lo(node.right), hi(node.right), dims_, metric_);
    }
    if (bl <= br) {
      stack.emplace_back(br, node.right);
      stack.emplace_back(bl, node.left);
    } else {
      stack.emplace_back(bl, node.left);
      stack.emplace_back(br, node.right);
    }
  }
  std::sort_heap(best.begin(), best.end());
  for (int m = 0; m < k; ++m) {
    distance[m] = best[static_cast<std::size_t>(m)].first;
    index[m] = best[static_cast<std::size_t>(m)].second;
  }
}

int KdTree::count_node(int id, const double* q, double radius, bool strict) const {
  const Node& node = nodes_[static_cast<std::size_t>(id)];
  double lower, upper;
  if (metric_ == Metric::kMax) {
    detail::max_box_bounds(q, lo(id), pad_, &lower, &upper);
  } else {
    lower = box_lower(q, lo(id), hi(id), dims_, metric_);
    upper = box_upper(q, lo(id), hi(id), dims_, metric_);
  }
  if (!within(lower, radius, strict)) return 0;
  if (within(upper, radius, strict)) return static_cast<int>(node.end - node.begin);
  if (node.left < 0) {
    return detail::count_rows_within(q, columns_.data(), columns_.rows(), node.begin,
                                     node.end - node.begin, dims_, metric_, radius, strict);
  }
  return count_node(node.left, q, radius, strict) + count_node(node.right, q, radius, strict);
}

int KdTree::count(Eigen::Index query, double radius, bool strict) const {
  const double* q = data_.row(where_[static_cast<std::size_t>(query)]).data();
  std::vector<double> padded(q, q + dims_);  // zero-padded for the vector box bounds
  padded.resize(static_cast<std::size_t>(pad_), 0.0);
  // The query itself is in the tree at distance 0: counted whenever 0 passes the test.
  return count_node(0, padded.data(), radius, strict) - (within(0.0, radius, strict) ? 1 : 0);
}

}  // namespace mib::knn
