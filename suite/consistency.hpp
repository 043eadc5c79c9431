#pragma once
// The self-consistency tests of Song & Ermon (ICLR 2020, §5), which need no ground truth — for
// MI estimates on a user's own data (e.g. two views' SSL embeddings):
//   independence     Î(X; Y with its rows shuffled) ≈ 0; P shuffles give a permutation null,
//                    and the p-value of the data's Î against it (is there dependence at all?)
//   data processing  Î(X; [Y, h(Y)]) / Î(X; Y) ≈ 1 for h(Y) = the cubes of the first ⌈dy/2⌉
//                    columns of Y, each standardised first: a function of Y adds no
//                    information about X. Y-side processing only, and a nonlinear h, so that
//                    no column is a copy or a linear combination of others (Song & Ermon's
//                    [X, X] had made the Gaussian fit's covariance singular: the test never
//                    ran for it); for Gaussian data even the Gaussian fit's population value
//                    is unchanged (Y³'s covariance with X goes through Y)
//   additivity       Î([X₁, X₂]; [Y₁, Y₂]) / (Î(X₁; Y₁) + Î(X₂; Y₂)) ≈ 1 where (X₁, Y₁) and
//                    (X₂, Y₂) are the two halves of the rows — independent pairs, so the MI of
//                    the concatenation is the sum
// plus the estimator's own saturation flag. A test fails when its value is off by more than
// the tolerance (absolute nats for independence, relative for the ratios). A test the
// estimator cannot compute (it fails on the test's data, e.g. an estimator for one Y column
// given [Y, h(Y)]) is "not applicable", with the reason, not a failure.

#include <nlohmann/json.hpp>
#include <string>

#include "core/matrix.hpp"
#include "estimators/estimator.hpp"

namespace mib {

struct ConsistencyOptions {
  int permutations = 20;   ///< shuffles for the independence null
  double tolerance = 0.1;  ///< |null mean| in nats; |ratio − 1| for the ratios
  std::uint64_t seed = 0;
};

struct ConsistencyResult {
  CellStatus status = CellStatus::kOk;  ///< of the plain estimate; the tests run only when ok
  std::string message;
  double mi = 0;  ///< Î(X; Y)
  double null_mean = 0, null_sd = 0, p_value = 1;
  double processing_ratio = 0, additivity_ratio = 0;
  bool saturated = false;
  bool independence_ok = false, processing_ok = false, additivity_ok = false;
  /// Empty when the test was computed; else why it is not applicable (its *_ok is then true).
  std::string independence_na, processing_na, additivity_na;
  /// Every applicable test passed.
  bool consistent() const {
    return status == CellStatus::kOk && independence_ok && processing_ok && additivity_ok;
  }
  nlohmann::json to_json() const;
};

/// Runs the tests with one estimator; estimator failures inside a test make that test fail.
ConsistencyResult check_consistency(const Estimator& e, MatrixRef x, MatrixRef y,
                                    const ConsistencyOptions& options);

}  // namespace mib
