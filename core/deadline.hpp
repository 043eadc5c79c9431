#pragma once
// Cooperative time limits. The harness sets a deadline for the current thread around each
// estimator call; long loops call check_deadline(), which throws TimeLimitExceeded once it has
// passed. (A thread cannot be killed safely; estimators that never check are caught after the
// fact by the harness, and process isolation is the route for code that may hang.)

#include <chrono>
#include <optional>

#include "core/error.hpp"

namespace mib {

class TimeLimitExceeded : public Error {
 public:
  using Error::Error;
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

/// Throws TimeLimitExceeded if the calling thread's deadline has passed. Cheap: reads the
/// steady clock only every 64th call.
void check_deadline();

}  // namespace mib
