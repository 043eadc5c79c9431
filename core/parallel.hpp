#pragma once
// parallel_for: split [0, n) into `threads` contiguous chunks run on their own threads (the
// caller runs the first). Each helper inherits the caller's deadline and cancel flag; the first
// exception thrown by any chunk is rethrown in the caller after all have finished. Work must write
// disjoint outputs, so results do not depend on the thread count.

#include <algorithm>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "core/deadline.hpp"

namespace mib {

inline void parallel_for(
    std::ptrdiff_t n, int threads,
    const std::function<void(std::ptrdiff_t begin, std::ptrdiff_t end)>& work) {
  const std::ptrdiff_t parts = std::max<std::ptrdiff_t>(1, std::min<std::ptrdiff_t>(threads, n));
  if (parts == 1) {
    work(0, n);
    return;
  }
  const auto deadline = current_deadline();
  const std::atomic<bool>* const cancel = current_cancel();
  std::exception_ptr error;
  std::mutex mutex;
  auto run = [&](std::ptrdiff_t part) {
    try {
      ScopedDeadline scope(deadline);
      ScopedCancel cancelled(cancel);
      work(n * part / parts, n * (part + 1) / parts);
    } catch (...) {
      std::lock_guard<std::mutex> lock(mutex);
      if (!error) error = std::current_exception();
    }
  };
  std::vector<std::thread> helpers;
  for (std::ptrdiff_t part = 1; part < parts; ++part) helpers.emplace_back(run, part);
  run(0);
  for (auto& t : helpers) t.join();
  if (error) std::rethrow_exception(error);
}

/// Runs two independent computations a(t) and b(t), each of which may use t threads: side by
/// side on ⌈threads / 2⌉ and ⌊threads / 2⌋ threads when threads >= 2 — for work with sequential
/// parts of its own (sorts, tree builds) that would leave a thread idle — else one after the
/// other on all of them. Same contract as parallel_for (disjoint outputs, the deadline
/// inherited, the first exception rethrown).
template <class A, class B>
void side_by_side(int threads, A&& a, B&& b) {
  if (threads < 2) {
    a(threads);
    b(threads);
    return;
  }
  parallel_for(2, 2, [&](std::ptrdiff_t begin, std::ptrdiff_t end) {
    for (std::ptrdiff_t part = begin; part < end; ++part) {
      if (part == 0) {
        a((threads + 1) / 2);
      } else {
        b(threads / 2);
      }
    }
  });
}

}  // namespace mib
