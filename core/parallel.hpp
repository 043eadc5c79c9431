#pragma once
// parallel_for: split [0, n) into `threads` contiguous chunks run on their own threads (the
// caller runs the first). Each helper inherits the caller's deadline; the first exception
// thrown by any chunk is rethrown in the caller after all have finished. Work must write
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
  std::exception_ptr error;
  std::mutex mutex;
  auto run = [&](std::ptrdiff_t part) {
    try {
      ScopedDeadline scope(deadline);
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

}  // namespace mib
