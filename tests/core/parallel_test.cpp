#include "core/parallel.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <stdexcept>
#include <vector>

namespace {

// Runs `threads` chunks that each poll check_deadline(), and returns how many of them the
// caller's stop signal (deadline or cancel flag) reached: each must throw Stop.
template <class Stop>
int chunks_stopped(int threads) {
  std::atomic<int> stopped{0};
  CHECK_THROWS_AS(mib::parallel_for(threads, threads,
                                    [&](std::ptrdiff_t, std::ptrdiff_t) {
                                      try {
                                        for (int i = 0; i < 1000; ++i) mib::check_deadline();
                                      } catch (const Stop&) {
                                        ++stopped;
                                        throw;
                                      }
                                    }),
                  Stop);
  return stopped;
}

}  // namespace

TEST_CASE("parallel_for: chunks cover [0, n) once; errors and the deadline cross threads",
          "[core][parallel]") {
  for (int threads : {1, 2, 3, 8}) {
    std::vector<int> hits(10, 0);
    mib::parallel_for(10, threads, [&](std::ptrdiff_t b, std::ptrdiff_t e) {
      for (auto i = b; i < e; ++i) ++hits[static_cast<std::size_t>(i)];
    });
    CHECK(hits == std::vector<int>(10, 1));
  }
  CHECK_THROWS_WITH(mib::parallel_for(4, 4,
                                      [](std::ptrdiff_t b, std::ptrdiff_t) {
                                        if (b == 3) throw std::runtime_error("chunk 3");
                                      }),
                    "chunk 3");
  // A deadline already past, set on the caller, stops the helper threads too.
  mib::ScopedDeadline past(std::chrono::steady_clock::now() - std::chrono::seconds(1));
  CHECK(chunks_stopped<mib::TimeLimitExceeded>(2) == 2);
}

TEST_CASE("parallel_for: a cancel flag set on the caller stops the helper threads too",
          "[core][parallel]") {
  const std::atomic<bool> flag{true};
  mib::ScopedCancel cancel(&flag);
  CHECK(chunks_stopped<mib::Cancelled>(3) == 3);
}

TEST_CASE("side_by_side: both parts run once, on the threads split between them; errors cross",
          "[core][parallel]") {
  for (int threads : {1, 2, 3, 8}) {
    int ta = 0, tb = 0;
    mib::side_by_side(
        threads, [&](int t) { ta += t; }, [&](int t) { tb += t; });
    CAPTURE(threads);
    CHECK(ta == (threads < 2 ? 1 : (threads + 1) / 2));
    CHECK(tb == (threads < 2 ? 1 : threads / 2));
  }
  CHECK_THROWS_WITH(mib::side_by_side(
                        2, [](int) {}, [](int) { throw std::runtime_error("part b"); }),
                    "part b");
}

TEST_CASE("parallel_for: calls nested in chunks complete, each index once; a forked child works",
          "[core][parallel]") {
  // The pool's workers run chunks that call parallel_for again (as the trees' side-by-side
  // builds do): a chunk is claimed by whichever thread comes first, so none waits on a busy one.
  std::vector<std::atomic<int>> hits(8 * 100);
  mib::parallel_for(8, 4, [&](std::ptrdiff_t b, std::ptrdiff_t e) {
    for (auto i = b; i < e; ++i) {
      mib::parallel_for(100, 3, [&](std::ptrdiff_t b2, std::ptrdiff_t e2) {
        for (auto j = b2; j < e2; ++j) ++hits[static_cast<std::size_t>(i * 100 + j)];
      });
    }
  });
  int wrong = 0;
  for (const auto& h : hits) wrong += h != 1;
  CHECK(wrong == 0);
#if !defined(__SANITIZE_THREAD__)  // ThreadSanitizer refuses threads started after such a fork
  // A child forked after the parent's pool started has none of its workers (the harness's
  // isolated calls fork): its calls must still complete. A hang ends by the alarm, failing it.
  const pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    alarm(20);
    std::atomic<long> sum{0};
    mib::parallel_for(1000, 2, [&](std::ptrdiff_t b, std::ptrdiff_t e) {
      for (auto i = b; i < e; ++i) sum += i;
    });
    _exit(sum == 999 * 1000 / 2 ? 0 : 1);
  }
  int status = 0;
  REQUIRE(waitpid(child, &status, 0) == child);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
#endif
}
