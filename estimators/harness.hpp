#pragma once
// The one wrapper around every estimator call: shared preconditions, timing (wall and CPU),
// the time limit, and turning failures into a status instead of an exception.

#include <string>

#include "estimators/estimator.hpp"

namespace mib {

/// Outcome of one estimator call. status is one of:
///   "ok"        - mi is finite;
///   "error"     - the estimator (or a precondition) threw; message says what;
///   "nonfinite" - the estimator returned NaN or ±inf;
///   "timeout"   - the call overran its time limit;
///   "crash"     - (process isolation) the call died: a signal (segfault, abort, ...) or an
///                 abnormal exit; message names the signal;
///   "memory"    - (process isolation) the call hit its memory limit.
struct CallResult {
  std::string status = "ok";
  std::string message;
  double mi = 0;
  nlohmann::json info;
  double seconds = 0;      ///< wall-clock seconds of the call (steady clock)
  double cpu_seconds = 0;  ///< CPU seconds of the calling thread
};

/// Checks the shared preconditions: same row count, n >= min_samples, >= 1 column each,
/// only finite values. Throws DataError prefixed by `where`.
void check_inputs(MatrixRef x, MatrixRef y, std::size_t min_samples, const std::string& where);

/// Runs e.estimate(x, y, rng) under a time limit (seconds; <= 0 means none). Never throws for
/// failures of the estimator: they come back as a status and message.
CallResult call_estimator(const Estimator& e, MatrixRef x, MatrixRef y, Rng& rng,
                          double time_limit_s);

/// The same call in a forked child process, so that a segfault, an abort, an infinite loop
/// that never checks its deadline or a memory blow-up becomes a failed cell instead of taking
/// the sweep down: the child is killed at the time limit (plus 2 s for a cooperative
/// "timeout" to arrive), and with memory_limit_mb > 0 its address space may grow by at most
/// that much (RLIMIT_AS). The estimate is the same bits as in-process (same code, same rng
/// state); only the child draws from rng, so pass a fresh rng per call (the runner does).
CallResult call_estimator_isolated(const Estimator& e, MatrixRef x, MatrixRef y, Rng& rng,
                                   double time_limit_s, std::size_t memory_limit_mb);

}  // namespace mib
