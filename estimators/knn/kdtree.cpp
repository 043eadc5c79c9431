// The k-d tree's searches and counts (its construction: kdtree_build.cpp).
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

float KdTree::above(double r) const { return detail::float_above(r, error_); }
float KdTree::below(double r) const { return detail::float_below(r, error_); }

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

void KdTree::window(const Node& leaf, const float* q32, const int* which, int g, float bound,
                    Eigen::Index* first, Eigen::Index* rows) const {
  if (leaf.axis < 0) return;
  float q_lo = q32[which[0] * dims_ + leaf.axis], q_hi = q_lo;
  for (int w = 1; w < g; ++w) {
    q_lo = std::min(q_lo, q32[which[w] * dims_ + leaf.axis]);
    q_hi = std::max(q_hi, q32[which[w] * dims_ + leaf.axis]);
  }
  Eigen::Index last;
  detail::window_f32(columns32_.data() + leaf.axis * ld32() + leaf.begin, *rows, q_lo, q_hi, bound,
                     first, &last);
  *rows = last - *first;
}

void KdTree::scan_leaf(int id, const double* q, const float* q32, Eigen::Index seed_first,
                       Eigen::Index seed_last, int k, Entry* best, Scratch& scratch) const {
  const Node& node = nodes_[static_cast<std::size_t>(id)];
  const auto seeded = [&](Eigen::Index p) { return p >= seed_first && p < seed_last; };
  Eigen::Index m = node.end - node.begin;
  const double kth = best[k - 1].first;
  int found;
  if (screened_) {  // candidates by float32 (in the leaf's window), then their exact distances
    const float bound = above(kth);
    Eigen::Index first = 0;
    const int self = 0;
    window(node, q32, &self, 1, bound, &first, &m);
    found = detail::rows_at_most_f32(q32, columns32_.data(), ld32(), node.begin + first, m, dims_,
                                     bound, scratch.candidate.data());
    for (int c = 0; c < found; ++c) {
      const int j = scratch.candidate[static_cast<std::size_t>(c)] += static_cast<int>(first);
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

int KdTree::settle(const double* q, Eigen::Index from, const int* rows, int n, double radius,
                   bool strict) const {
  int c = 0;
  for (int u = 0; u < n; ++u)
    c += within(pair_distance(q, data_.row(from + rows[u]).data(), dims_, metric_), radius, strict)
             ? 1
             : 0;
  return c;
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
  const int c = detail::count_rows_f32(query.q32, columns32_.data(), ld32(), node.begin, m, dims_,
                                       query.sure, query.unsure, query.undecided, &undecided);
  return c + settle(query.q, node.begin, query.undecided, undecided, query.radius, query.strict);
}

void KdTree::count_group_node(int id, unsigned mask, GroupQuery& query) const {
  const Node& node = nodes_[static_cast<std::size_t>(id)];
  double lower[detail::kQueryGroup], upper[detail::kQueryGroup];
  detail::group_box_bounds(query.across, lo(id), hi(id), dims_, lower, upper);
  unsigned partial = 0;
  for (unsigned rest = mask; rest != 0; rest &= rest - 1) {
    const int i = __builtin_ctz(rest);
    if (!within(lower[i], query.radius[i], query.strict)) continue;
    if (within(upper[i], query.radius[i], query.strict)) {
      query.count[i] += static_cast<int>(node.end - node.begin);
    } else {
      partial |= 1u << i;
    }
  }
  if (partial == 0) return;
  if (node.left >= 0) {
    count_group_node(node.left, partial, query);
    count_group_node(node.right, partial, query);
    return;
  }
  // A leaf the group screens together, kGroupChunk rows at a time (bounding the lists of rows the
  // screen leaves undecided); those settled exactly per query.
  int which[detail::kQueryGroup], g = 0;
  float unsure = -1;
  for (unsigned rest = partial; rest != 0; rest &= rest - 1) {
    which[g] = __builtin_ctz(rest);
    unsure = std::max(unsure, query.unsure[which[g++]]);
  }
  Eigen::Index begin = 0, rows = node.end - node.begin;
  window(node, query.q32, which, g, unsure, &begin, &rows);
  begin += node.begin;
  for (Eigen::Index from = begin; from < begin + rows; from += kGroupChunk) {
    int listed[detail::kQueryGroup] = {};
    detail::count_rows_f32_group(query.q32, which, g, columns32_.data(), ld32(), from,
                                 std::min(kGroupChunk, begin + rows - from), dims_, query.sure,
                                 query.unsure, query.count, query.ambiguous, kGroupStride, listed);
    for (int w = 0; w < g; ++w) {
      const int i = which[w];
      query.count[i] += settle(query.q[i], from, query.ambiguous + i * kGroupStride, listed[i],
                               query.radius[i], query.strict);
    }
  }
}

void KdTree::count_group(const Eigen::Index* rows, int g, const double* radius, bool strict,
                         int* out, Scratch& scratch) const {
  if (!screened_) {
    for (int i = 0; i < g; ++i) out[i] = count(rows[i], radius[i], strict, scratch);
    return;
  }
  scratch.across.assign(static_cast<std::size_t>(dims_ * detail::kQueryGroup), 0.0);
  scratch.query32.resize(static_cast<std::size_t>(g * dims_));
  scratch.undecided.resize(static_cast<std::size_t>(g * kGroupStride));
  GroupQuery gq{{},  scratch.across.data(),   scratch.query32.data(), radius, strict, {}, {},
                out, scratch.undecided.data()};
  for (int i = 0; i < g; ++i) {
    const double* q = data_.row(where_[static_cast<std::size_t>(rows[i])]).data();
    gq.q[i] = q;
    for (Eigen::Index c = 0; c < dims_; ++c) {
      scratch.across[static_cast<std::size_t>(c * detail::kQueryGroup + i)] = q[c];
      scratch.query32[static_cast<std::size_t>(i * dims_ + c)] = static_cast<float>(q[c]);
    }
    gq.sure[i] = below(radius[i]);
    gq.unsure[i] = above(radius[i]);
    // The query itself is in the tree at distance 0: counted whenever 0 passes the test.
    out[i] = within(0.0, radius[i], strict) ? -1 : 0;
  }
  count_group_node(0, (1u << g) - 1, gq);
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
