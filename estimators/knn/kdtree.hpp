#pragma once
// A k-d tree over the rows of a matrix for exact k-NN and radius counts under the max-norm
// or the Euclidean norm. Pruning uses box bounds computed with the same floating-point
// operations as the distances (knn/metric.hpp), so results equal exhaustive search exactly,
// ties included: neighbours are ordered by (distance, row index).

#include <cstdint>
#include <functional>
#include <utility>
#include <vector>

#include "core/uninit.hpp"
#include "estimators/knn/kernels.hpp"
#include "estimators/knn/neighbors.hpp"

namespace mib::knn {

namespace detail {
// A row of a node during a tree's build: its coordinate on the split axis, its row and its
// position in the node (kdtree.cpp orders them by (value, row)).
struct Keyed {
  double value;
  std::uint32_t row, local;
};
/// Ordered by (value, row), so a split is the same whatever the order of the rows in the node.
bool key_less(const Keyed& a, const Keyed& b);
/// Rearranges a[0, m) so that a[nth] has rank nth by key_less and those before it are smaller
/// (std::nth_element's contract); spare holds m entries of scratch.
void select(Keyed* a, Keyed* spare, std::size_t m, std::size_t nth);
}  // namespace detail

class KdTree {
 public:
  /// Builds over `points` (copied, reordered for locality). Splits at the median of the
  /// widest coordinate — for nodes of 8 192 rows and more, the median of a sample of up to
  /// 1 023 evenly spaced rows (one partition pass instead of a selection); leaves hold at most
  /// `leaf_size` rows (0: 32 up to 2 columns, 320 above — measured best for KSG's queries,
  /// bench/README.md). With threads >= 2 the two halves of large nodes are built side by side,
  /// and the copy and the partitions of nodes of 32 768 rows and more run over row ranges side
  /// by side; the tree is the same whatever the count (and no answer depends on the tree).
  KdTree(MatrixRef points, Metric metric, int leaf_size = 0, int threads = 1);

  /// The leaf size nearest_all() is fastest with for `dims` columns and k neighbours (0: the
  /// constructor's default).
  static int nearest_leaf_size(Eigen::Index dims, int k);

  /// For every row, its k nearest other rows by (distance, index) — the exhaustive search's
  /// answer — into out.distance and out.index (n × k, sized by the caller). Up to kBatchedDims
  /// columns the queries are batched by leaf: the leaves within reach of a leaf's box are found
  /// once for all its rows, and each query scans those its own box bound admits (leaves must
  /// hold more than k rows to be fast: nearest_leaf_size); above, each query descends the tree.
  /// Rows are split over `threads` (by leaf); the answers do not depend on it. Checks the
  /// thread's deadline.
  void nearest_all(int k, Neighbors& out, int threads) const;
  /// The same search, handing each row's k best to take(row, best) — best[0, k) ascending by
  /// (distance, row) — instead of storing them; called concurrently for different rows.
  using Entry = std::pair<double, Eigen::Index>;  // (distance, original row)
  using Take = std::function<void(Eigen::Index row, const Entry* best)>;
  void nearest_all(int k, int threads, const Take& take) const;
  static constexpr Eigen::Index kBatchedDims = 4;

  /// Original row indices in tree order: querying in this order keeps memory access local.
  const UninitVector<Eigen::Index>& order() const { return perm_; }

  /// Reusable buffers of one querying thread.
  struct Scratch {
    std::vector<Entry> best;  // the k best so far (per query of a leaf when batched)
    std::vector<std::pair<double, int>> stack;
    std::vector<double> distance;  // a leaf's distances
    std::vector<int> candidate;    // the leaf rows that may enter the k best
    std::vector<double> query;     // the query, zero-padded
    std::vector<float> query32;    // the query in float32
    std::vector<int> undecided;    // rows a count's float32 screen left to settle exactly
    std::vector<std::pair<double, int>> leaves;  // batched: the leaves in reach, nearest first
    std::vector<double> boxes;                   // batched: their boxes column-wise, bounds
    std::vector<double> across;                  // count_group: the queries, by column
  };

  /// #{j != query : d(p_query, p_j) < radius} (strict) or <= radius.
  int count(Eigen::Index query, double radius, bool strict, Scratch& scratch) const;
  /// count() for the g <= detail::kQueryGroup queries rows[0 .. g) with radii radius[0 .. g) into
  /// out[0 .. g). On a float32-screened tree the group descends once, and a leaf some of them
  /// must screen is read once for all of those (detail::count_rows_f32_group).
  void count_group(const Eigen::Index* rows, int g, const double* radius, bool strict, int* out,
                   Scratch& scratch) const;

 private:
  struct Node {
    Eigen::Index begin, end;  // rows [begin, end) of data_
    int left = -1, right = -1;
    // A screened leaf's rows ascend along this column (by (value, row)), so a query's screen
    // reads only the window of rows its bound admits on it (detail::window_f32); −1: unsorted.
    int axis = -1;
  };
  // Nodes in depth-first order (a node, its left subtree, its right subtree) with their
  // bounds; subtrees built side by side are appended in that order, so the arrays are those of
  // a sequential build.
  struct Part {
    std::vector<Node> nodes;
    std::vector<double> bounds;
    int depth = 0;
    // Scratch of the thread building this part (sized by its largest split).
    UninitVector<detail::Keyed> keyed, spare;
    UninitVector<double> moved;
    UninitVector<Eigen::Index> rows;
    UninitVector<std::uint32_t> dest;
  };
  // The k nearest of the row at tree position `self` into best[0, k), ascending.
  void nearest(Eigen::Index self, int k, Entry* best, Scratch& scratch) const;
  // Leaf `id`'s rows' k nearest into scratch.best (k per row, in tree order).
  void nearest_leaf(int id, int k, Scratch& scratch) const;
  // Offers a leaf's rows, but those at tree positions [seed_first, seed_last), to best.
  void scan_leaf(int id, const double* q, const float* q32, Eigen::Index seed_first,
                 Eigen::Index seed_last, int k, Entry* best, Scratch& scratch) const;
  // A screened leaf's rows, [0, *rows) on entry, narrowed to the window [*first, *first + *rows)
  // that may hold rows within bound of one of the queries which[0 .. g) (float32, q32 + i·dims_
  // for query i) on the leaf's axis (all of them if unsorted).
  void window(const Node& leaf, const float* q32, const int* which, int g, float bound,
              Eigen::Index* first, Eigen::Index* rows) const;
  // Builds the node of rows [begin, end) (its box given, or computed) and those below it.
  int build(Part& part, Eigen::Index begin, Eigen::Index end, int depth, int threads,
            const double* box = nullptr);
  void copy_in(MatrixRef points, int threads, double* box);
  void node_box(Eigen::Index begin, Eigen::Index end, double* lo, double* hi);
  // A leaf's rows [begin, end) of cols_ into the copies the searches read, first sorted along
  // `axis` when the leaves are screened (Node::axis); returns the axis sorted along or −1.
  int finish_leaf(Part& part, Eigen::Index begin, Eigen::Index end, Eigen::Index axis);
  // part.keyed: the rows [begin, end) keyed by their value on `axis`, their row and position.
  void key_rows(Part& part, Eigen::Index begin, Eigen::Index end, Eigen::Index axis);
  // The rows [begin, begin + part.keyed.size()) of perm_ and of every column of cols_ into the
  // order of part.keyed (by .local).
  void reorder(Part& part, Eigen::Index begin);
  // Reorder the rows of [begin, end) along `axis` and return where the right child begins: at
  // the exact median (by (value, row)), or at the median of a sample (−1 if it leaves a side
  // with fewer than a quarter of the rows).
  Eigen::Index split_median(Part& part, Eigen::Index begin, Eigen::Index end, Eigen::Index axis);
  Eigen::Index split_sampled(Part& part, Eigen::Index begin, Eigen::Index end, Eigen::Index axis,
                             int threads);
  static int append(Part& part, const Part& subtree);
  const double* lo(int node) const { return bounds_.data() + 2 * node * pad_; }
  const double* hi(int node) const { return bounds_.data() + (2 * node + 1) * pad_; }
  struct CountQuery {
    const double* q;   // zero-padded to pad_
    const float* q32;  // float32 screening (max-norm), when screened_
    double radius;
    bool strict;
    float sure, unsure;  // float32 distances below sure are within; above unsure are not
    int* undecided;      // scratch for the rows the screen leaves to settle exactly
  };
  int count_node(int node, const CountQuery& query) const;
  // How many of the rows from + rows[0 .. n) of data_ pass the radius test from q, by their exact
  // distances (the rows a float32 screen left undecided).
  int settle(const double* q, Eigen::Index from, const int* rows, int n, double radius,
             bool strict) const;
  struct GroupQuery {
    const double* q[detail::kQueryGroup];  // the queries' rows of data_
    const double* across;                  // coordinate c of query i at c * kQueryGroup + i
    const float* q32;                      // g queries, dims_ each
    const double* radius;
    bool strict;
    float sure[detail::kQueryGroup], unsure[detail::kQueryGroup];
    int* count;
    int* ambiguous;  // query i's at i * kGroupStride
  };
  static constexpr Eigen::Index kGroupChunk = 512;
  static constexpr Eigen::Index kGroupStride = kGroupChunk + detail::kRowPad;
  void count_group_node(int node, unsigned mask, GroupQuery& query) const;
  // Float32 bounds that keep the screen exact: a float32 distance d32 lies within error_ of the
  // double distance, so d32 <= above(r) whenever d <= r, and d32 < below(r) only if d < r.
  float above(double r) const;
  float below(double r) const;

  Metric metric_;
  Eigen::Index dims_;
  Eigen::Index pad_;  // dims_ rounded up to detail::kBoxPad
  int leaf_size_;
  int depth_ = 0;            // the deepest level (root 0)
  Matrix data_;              // rows in tree order
  Eigen::MatrixXd columns_;  // the same, column-major, kRowPad zero rows after: leaves scan it
  // Max-norm leaves are screened in float32 (twice the lanes) and settled exactly in double:
  // columns32_ is data_ column-major in floats (leading dimension ld32()), error_ a bound
  // on |float32 distance − double distance| (see the constructor).
  bool screened_ = false;
  // Max-norm box bounds by the vector kernel (kernels.hpp) — a call that pays off from a few
  // coordinates up; the scalar loop below that (measured: 2-D trees were 9 % slower with it).
  bool vector_bounds_ = false;
  UninitVector<float> columns32_;
  Eigen::Index ld32() const { return data_.rows() + detail::kRowPad; }  // columns32_'s, padded
  detail::ScreenError error_;
  Eigen::Index max_leaf_ = 0;         // rows in the largest leaf
  UninitVector<Eigen::Index> perm_;   // data_ row -> original row
  UninitVector<Eigen::Index> where_;  // original row -> data_ row
  std::vector<Node> nodes_;
  std::vector<double> bounds_;  // per node: lo[pad_], hi[pad_], zero past dims_
  // During the build: the points column by column, in tree order, kRowPad zero rows after
  // (columns_'s layout: it becomes columns_ where that is kept).
  Eigen::MatrixXd cols_;
  double* column(Eigen::Index c) { return cols_.col(c).data(); }
};

}  // namespace mib::knn
