#pragma once
// parallel_for: split [0, n) into `threads` contiguous chunks run side by side — by the caller
// and by the workers of a process-wide pool (core/parallel.cpp), each chunk claimed by whichever
// thread comes first, so a call nested inside a chunk never waits for a busy worker. Each chunk
// runs under the caller's deadline and cancel flag; the first exception thrown by any chunk is
// rethrown in the caller after all have finished. Work must write disjoint outputs, so results
// do not depend on the thread count.

#include <algorithm>
#include <functional>

#include "core/deadline.hpp"

namespace mib {

void parallel_for(std::ptrdiff_t n, int threads,
                  const std::function<void(std::ptrdiff_t begin, std::ptrdiff_t end)>& work);

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
