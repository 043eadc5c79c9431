#pragma once
// The variational bounds on I(X; Y), as functions of a critic's scores. s(i, j) = f(x_i, y_j)
// for a batch of K pairs: the diagonal holds samples of p(x, y), the K(K − 1) off-diagonal
// entries stand in for p(x)p(y) (Poole et al., "On variational bounds of mutual information",
// ICML 2019, §2). In nats. Sums run in double precision in a fixed order.
//
//   infonce  ln K + (1/K) Σ_i [s_ii − ln Σ_j e^{s_ij}]              (van den Oord et al. 2018;
//            never above ln K)
//   nwj      (1/K) Σ_i s_ii − mean_{i≠j} e^{s_ij − 1}             (Nguyen, Wainwright & Jordan
//            2010; optimal critic 1 + ln p(x,y)/p(x)p(y))
//   dv       (1/K) Σ_i s_ii − ln mean_{i≠j} e^{s_ij}               (Donsker–Varadhan; MINE's
//            objective, Belghazi et al. 2018)
//   js       trained on the f-GAN Jensen–Shannon objective (Nowozin et al. 2016)
//            (1/K) Σ_i −softplus(−s_ii) − mean_{i≠j} softplus(s_ij), whose optimal critic is
//            ln p(x,y)/p(x)p(y); evaluated as nwj of the critic + 1, the optimal NWJ critic it
//            maps to (Poole et al. 2019, §2.3)
//   smile    trained as js; evaluated as dv with the off-diagonal scores clipped to [−τ, τ]
//            (Song & Ermon, ICLR 2020, eq. 17)
// MINE (dv on K paired and K shuffled pairs, with a moving-average gradient) is in mine.hpp.

#include <cstddef>
#include <vector>

namespace mib::neural {

enum class Bound { kInfoNce, kNwj, kDv, kJs, kSmile };

/// Whether the bound's gradient for row i of the scores needs only that row (all but dv).
bool row_local(Bound bound);

/// Row i's share of the training objective of a row-local bound, from s = row i of the K × K
/// scores; writes ∂objective/∂s_ij to g[j]. objective() is ln K (infonce) or 0 plus the sum
/// over rows. Without `value` the returned share may be 0 (training needs only g).
template <class T>
double row_objective(Bound bound, int i, int k, const T* s, T* g, bool value);

/// The training objective of `bound` on a K × K score matrix (row-major) and its gradient
/// ∂objective/∂s (written to ds, K × K). For js and smile the objective is the JS one.
template <class T>
double objective(Bound bound, const std::vector<T>& s, int k, std::vector<T>& ds);

/// The value of `bound` over one n × n score matrix that arrives row by row (so a whole test set
/// is scored without storing n² values). Each row leaves three numbers — its diagonal score and
/// its log-sum-exp in two parts (core/log_sum_exp.hpp: over the whole row for infonce, the
/// off-diagonal for the others) — and value() combines them in row order: rows may arrive in
/// any order and from several threads at once, and the value has the same bits.
class BoundValue {
 public:
  BoundValue(Bound bound, int n, double tau = 5)
      : bound_(bound), n_(n), tau_(tau), rows_(static_cast<std::size_t>(n)) {}
  /// Row i's n scores; each row once (rows i != j may be added concurrently).
  template <class T>
  void add_row(int i, const T* s);
  /// After every row: the bound's value.
  double value() const;

 private:
  struct Row {
    double diagonal, max, sum;  // s_ii, and the row's log-sum-exp as max + ln sum
  };
  Bound bound_;
  int n_;
  double tau_;
  std::vector<Row> rows_;
};

}  // namespace mib::neural
