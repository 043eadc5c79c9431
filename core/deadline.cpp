#include "core/deadline.hpp"

namespace mib {
namespace {
// Per-thread, set only through ScopedDeadline: each worker thread owns its own.
thread_local std::optional<std::chrono::steady_clock::time_point> t_deadline;
thread_local unsigned t_calls = 0;
}  // namespace

ScopedDeadline::ScopedDeadline(std::optional<std::chrono::steady_clock::time_point> deadline)
    : previous_(t_deadline) {
  t_deadline = deadline;
}

ScopedDeadline::~ScopedDeadline() { t_deadline = previous_; }

std::optional<std::chrono::steady_clock::time_point> current_deadline() { return t_deadline; }

void check_deadline() {
  if (!t_deadline || (++t_calls & 63u) != 0) return;
  if (std::chrono::steady_clock::now() > *t_deadline) {
    throw TimeLimitExceeded("time limit exceeded");
  }
}

}  // namespace mib
