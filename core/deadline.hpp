#pragma once
// Cooperative time limits. The harness sets a deadline for the current thread around each
// estimator call; long loops call check_deadline(), which throws TimeLimitExceeded once it has
// passed. (A thread cannot be killed safely; estimators that never check are caught after the
// fact by the harness, and process isolation is the route for code that may hang.)

#include <atomic>
#include <chrono>
#include <optional>

#include "core/error.hpp"

namespace mib {

class TimeLimitExceeded : public Error {
 public:
  using Error::Error;
};

/// Thrown by check_deadline() once the calling thread's cancel flag (ScopedCancel) is set: the
/// caller asked for the work to stop (e.g. Ctrl-C in the Python package's run). Not a failure
/// of the estimator: the harness passes it on, and the runner records no row for the cell.
class Cancelled : public Error {
 public:
  using Error::Error;
};

/// Makes check_deadline() on the calling thread throw Cancelled once *flag is true, for the
/// scope's lifetime (nullptr: no flag).
class ScopedCancel {
 public:
  explicit ScopedCancel(const std::atomic<bool>* flag);
  ~ScopedCancel();
  ScopedCancel(const ScopedCancel&) = delete;
  ScopedCancel& operator=(const ScopedCancel&) = delete;

 private:
  const std::atomic<bool>* previous_;
};

/// Sets the calling thread's deadline for its lifetime and restores the previous one after.
class ScopedDeadline {
 public:
  explicit ScopedDeadline(std::optional<std::chrono::steady_clock::time_point> deadline);
  ~ScopedDeadline();
  ScopedDeadline(const ScopedDeadline&) = delete;
  ScopedDeadline& operator=(const ScopedDeadline&) = delete;

 private:
  std::optional<std::chrono::steady_clock::time_point> previous_;
};

/// The calling thread's deadline (to hand to helper threads).
std::optional<std::chrono::steady_clock::time_point> current_deadline();

/// The calling thread's cancel flag, nullptr when none (to hand to helper threads).
const std::atomic<bool>* current_cancel();

/// Throws TimeLimitExceeded if the calling thread's deadline has passed, Cancelled if its
/// cancel flag is set. Cheap: looks only every 64th call.
void check_deadline();

}  // namespace mib
