#include "core/deadline.hpp"

namespace mib {
namespace {
// Per-thread, set only through ScopedDeadline: each worker thread owns its own.
thread_local std::optional<std::chrono::steady_clock::time_point> t_deadline;
thread_local const std::atomic<bool>* t_cancel = nullptr;
thread_local unsigned t_calls = 0;
}  // namespace

ScopedCancel::ScopedCancel(const std::atomic<bool>* flag) : previous_(t_cancel) { t_cancel = flag; }

ScopedCancel::~ScopedCancel() { t_cancel = previous_; }

ScopedDeadline::ScopedDeadline(std::optional<std::chrono::steady_clock::time_point> deadline)
    : previous_(t_deadline) {
  t_deadline = deadline;
}

ScopedDeadline::~ScopedDeadline() { t_deadline = previous_; }

std::optional<std::chrono::steady_clock::time_point> current_deadline() { return t_deadline; }

const std::atomic<bool>* current_cancel() { return t_cancel; }

void check_deadline() {
  if ((!t_deadline && !t_cancel) || (++t_calls & 63u) != 0) return;
  if (t_cancel && t_cancel->load(std::memory_order_relaxed)) throw Cancelled("cancelled");
  if (t_deadline && std::chrono::steady_clock::now() > *t_deadline) {
    throw TimeLimitExceeded("time limit exceeded");
  }
}

}  // namespace mib
