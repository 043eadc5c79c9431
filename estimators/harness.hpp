#pragma once
// The one wrapper around every estimator call: shared preconditions, timing (wall and CPU),
// the time limit, and turning failures into a status instead of an exception.

#include <string>

#include "estimators/estimator.hpp"

namespace mib {

// The outcome of a call is a CallOutcome (core/cell_result.hpp): a CellStatus, the message,
// mi (NaN unless ok), the info object and typed diagnostics, wall and CPU seconds.

/// Whether every row of m is the same (zero variance in every column).
bool constant_rows(MatrixRef m);

/// Checks the shared preconditions: same row count, n >= min_samples, >= 1 column each,
/// only finite values. Throws DataError prefixed by `where`.
void check_inputs(MatrixRef x, MatrixRef y, std::size_t min_samples, const std::string& where);

/// The tie rule, applied by call_estimator after check_inputs: an estimator with a
/// tie_limit() k refuses data where more than k rows share one (x, y) value — (x, y, z) when z
/// has columns (DataError
/// prefixed by `where`). (A constant x or y never gets here: call_estimator returns exactly 0
/// for it, with info.degenerate saying why, without calling the estimator.)
void check_degenerate(const Estimator& e, MatrixRef x, MatrixRef y, MatrixRef z,
                      const std::string& where);

/// The conditioning variable's rule: an estimator of I(X; Y | Z) (e.conditional()) needs a z
/// with >= 1 column, x's row count and only finite values; any other estimator takes none
/// (z without columns). Throws DataError prefixed by `where`.
void check_conditioning(const Estimator& e, MatrixRef x, MatrixRef z, const std::string& where);

/// Runs e.estimate(x, y, rng) — e.estimate_conditional(x, y, z, rng) for a conditional
/// estimator; z has no columns otherwise — under a time limit (seconds; <= 0 means none).
/// Never throws for
/// failures of the estimator: they come back as a status and message. Besides the checks
/// above: a constant x or y gives exactly 0 without calling the estimator; an estimate above
/// the estimator's own ceiling is an error; std::bad_alloc is a memory failure. The one
/// exception passed on is Cancelled (core/deadline.hpp): the caller's own request to stop.
CallOutcome call_estimator(const Estimator& e, MatrixRef x, MatrixRef y, MatrixRef z, Rng& rng,
                           double time_limit_s);
/// The same without a conditioning variable.
inline CallOutcome call_estimator(const Estimator& e, MatrixRef x, MatrixRef y, Rng& rng,
                                  double time_limit_s) {
  return call_estimator(e, x, y, Matrix(x.rows(), 0), rng, time_limit_s);
}

/// The same call in a forked child process, so that a segfault, an abort, an infinite loop
/// that never checks its deadline or a memory blow-up becomes a failed cell instead of taking
/// the sweep down: the child is killed at the time limit (plus 2 s for a cooperative
/// "timeout" to arrive), and with memory_limit_mb > 0 its address space may grow by at most
/// that much (RLIMIT_AS). The estimate is the same bits as in-process (same code, same rng
/// state); only the child draws from rng, so pass a fresh rng per call (the runner does).
CallOutcome call_estimator_isolated(const Estimator& e, MatrixRef x, MatrixRef y, MatrixRef z,
                                    Rng& rng, double time_limit_s, std::size_t memory_limit_mb);

}  // namespace mib
