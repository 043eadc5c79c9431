#include "estimators/harness.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <new>
#include <vector>

#include "core/deadline.hpp"
#include "core/error.hpp"
#include "core/processes.hpp"
#include "core/text.hpp"

namespace mib {

bool constant_rows(MatrixRef m) {
  for (Eigen::Index i = 1; i < m.rows(); ++i)
    if (m.row(i) != m.row(0)) return false;
  return true;
}

Estimate Estimator::estimate_conditional(MatrixRef, MatrixRef, MatrixRef, Rng&) const {
  throw InvalidArgument("estimate_conditional: this estimator estimates I(X; Y), not I(X; Y | Z)");
}

namespace {

double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

void check_finite(MatrixRef m, const std::string& where, const char* name) {
  // A contiguous matrix (the usual case) in one pass over its values; then, only if that finds
  // a value that is not finite, row by row to name the first (m is row-major, and Eigen's
  // allFinite() on the whole matrix walks it column by column: ~25 ns per value at
  // 20 000 × 512).
  if (m.outerStride() == m.cols() &&
      Eigen::Map<const Eigen::ArrayXd>(m.data(), m.size()).allFinite()) {
    return;
  }
  for (Eigen::Index i = 0; i < m.rows(); ++i) {
    if (m.row(i).allFinite()) continue;
    for (Eigen::Index j = 0; j < m.cols(); ++j) {
      if (!std::isfinite(m(i, j))) {
        fail<DataError>(where,
                        std::string(name) + " at row " + std::to_string(i + 1) + ", column " +
                            std::to_string(j + 1),
                        "finite", format_number(m(i, j)));
      }
    }
  }
}

// Whether some value of column 0 of m occurs more than `limit` times, in O(n) from a table that
// stays in cache: each value's bit pattern hashed to one of >= 2n slots, a saturating 8-bit count
// per slot. A value over the limit puts its slot over it, so only the values of such slots (a
// few thousand for continuous data: slots that several values share) are counted exactly. A joint
// tie over the limit needs one in x's and in y's first column, so continuous data skips the sort
// below (which cost ~9 % of a 1 + 1 KSG call at n = 10^6). The table is 1 byte a slot: a table of
// (value, count) pairs, 12 bytes a slot, cost 5–6 % of that call in cache misses and fresh pages.
bool first_column_ties_over(MatrixRef m, std::size_t limit) {
  const auto n = static_cast<std::size_t>(m.rows());
  // At most 1/2 a value per slot (1/8 for limits below 3): few shared slots go over.
  std::size_t size = 16;
  while (size < (limit < 3 ? 8 : 2) * n) size *= 2;
  const auto bits_of = [&](std::size_t i) {
    const double x = m(static_cast<Eigen::Index>(i), 0);
    const double v = x == 0 ? 0.0 : x;  // -0 and +0 are one value
    std::uint64_t bits;
    std::memcpy(&bits, &v, sizeof bits);
    return bits;
  };
  const auto slot = [&](std::uint64_t bits) {
    return static_cast<std::size_t>((bits * 0x9e3779b97f4a7c15ULL) >> 17) & (size - 1);
  };
  const std::size_t over = std::min<std::size_t>(limit, 254);  // counts saturate at 255
  std::vector<std::uint8_t> count(size, 0);
  bool any = false;
  for (std::size_t i = 0; i < n; ++i) {
    std::uint8_t& c = count[slot(bits_of(i))];
    c = static_cast<std::uint8_t>(c + (c < 255));
    any |= c > over;
  }
  if (!any) return false;
  std::vector<std::uint64_t> shared;  // the values of slots over the limit
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint64_t bits = bits_of(i);
    if (count[slot(bits)] > over) shared.push_back(bits);
  }
  // Exactly, by an open-addressing table of those values (heavy ties end it early).
  std::size_t exact = 16;
  while (exact < 2 * shared.size()) exact *= 2;
  std::vector<std::uint64_t> keys(exact);
  std::vector<std::uint32_t> counts(exact, 0);
  for (const std::uint64_t bits : shared) {
    std::size_t at = static_cast<std::size_t>((bits * 0x9e3779b97f4a7c15ULL) >> 29) & (exact - 1);
    while (counts[at] != 0 && keys[at] != bits) at = (at + 1) & (exact - 1);
    keys[at] = bits;
    if (++counts[at] > limit) return true;
  }
  return false;
}

// The largest number of rows that share one (x, y, z) value: rows sorted lexicographically.
std::size_t largest_tie(MatrixRef x, MatrixRef y, MatrixRef z) {
  std::vector<Eigen::Index> order(static_cast<std::size_t>(x.rows()));
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = static_cast<Eigen::Index>(i);
  auto compare = [&](Eigen::Index a, Eigen::Index b) {  // -1, 0, 1 over the x, y, z columns
    for (const MatrixRef& m : {x, y, z}) {
      for (Eigen::Index c = 0; c < m.cols(); ++c) {
        if (m(a, c) != m(b, c)) return m(a, c) < m(b, c) ? -1 : 1;
      }
    }
    return 0;
  };
  std::sort(order.begin(), order.end(),
            [&](Eigen::Index a, Eigen::Index b) { return compare(a, b) < 0; });
  std::size_t largest = order.empty() ? 0 : 1, run = 1;
  for (std::size_t i = 1; i < order.size(); ++i) {
    run = compare(order[i - 1], order[i]) == 0 ? run + 1 : 1;
    largest = std::max(largest, run);
  }
  return largest;
}

}  // namespace

void check_degenerate(const Estimator& e, MatrixRef x, MatrixRef y, MatrixRef z,
                      const std::string& where) {
  const std::size_t limit = e.tie_limit();
  if (limit == 0 || !first_column_ties_over(x, limit) || !first_column_ties_over(y, limit) ||
      (z.cols() > 0 && !first_column_ties_over(z, limit)))
    return;
  const std::size_t tie = largest_tie(x, y, z);
  require<DataError>(tie <= limit, where,
                     z.cols() > 0 ? "the number of rows that share one (x, y, z) value"
                                  : "the number of rows that share one (x, y) value",
                     "at most k = " + std::to_string(limit) +
                         " for this k-NN estimator, which assumes continuous data (its k-th "
                         "neighbour distance is 0 there); add noise (e.g. noise=1e-10) or use " +
                         std::string(z.cols() > 0 ? "mixed-ksg-cmi" : "mixed-ksg") +
                         ", which handles ties",
                     tie);
}

void check_inputs(MatrixRef x, MatrixRef y, std::size_t min_samples, const std::string& where) {
  require<DataError>(x.rows() == y.rows(), where, "the row counts of x and y", "equal",
                     std::to_string(x.rows()) + " and " + std::to_string(y.rows()));
  require<DataError>(x.cols() >= 1 && y.cols() >= 1, where, "the column counts of x and y", ">= 1",
                     std::to_string(x.cols()) + " and " + std::to_string(y.cols()));
  require<DataError>(static_cast<std::size_t>(x.rows()) >= min_samples, where,
                     "the number of samples n", ">= " + std::to_string(min_samples), x.rows());
  check_finite(x, where, "x");
  check_finite(y, where, "y");
}

void check_conditioning(const Estimator& e, MatrixRef x, MatrixRef z, const std::string& where) {
  if (!e.conditional()) {
    require<DataError>(z.cols() == 0, where, "a conditioning variable z",
                       "absent for an estimator of I(X; Y) (use a conditional estimator such as "
                       "ksg-cmi, or chain:<estimator>)",
                       "given (" + std::to_string(z.cols()) + " columns)");
    return;
  }
  require<DataError>(z.cols() >= 1, where, "the conditioning variable z",
                     "given (>= 1 column): the estimator estimates I(X; Y | Z)", "missing");
  require<DataError>(z.rows() == x.rows(), where, "the row counts of x and z", "equal",
                     std::to_string(x.rows()) + " and " + std::to_string(z.rows()));
  check_finite(z, where, "z");
}

namespace {

// The shared checks around one estimate, filling r's value, info and diagnostics; throws what
// the checks and the estimator throw.
void checked_estimate(const Estimator& e, MatrixRef x, MatrixRef y, MatrixRef z, Rng& rng,
                      const std::optional<std::chrono::steady_clock::time_point>& deadline,
                      CallOutcome& r) {
  check_inputs(x, y, e.min_samples(), "estimator input");
  check_conditioning(e, x, z, "estimator input");
  const bool constant_x = constant_rows(x);
  if (constant_x || constant_rows(y)) {
    // I(X; Y) = 0 exactly when either variable is constant, whatever the estimator would
    // make of zero variance (ksg2 gave -1/k, kde -0.26, bi-ksg +0.14); so is I(X; Y | Z).
    r.mi = 0;
    r.info = {{"degenerate", std::string(constant_x ? "x" : "y") +
                                 " is constant: " + (e.conditional() ? "I(X; Y | Z)" : "I(X; Y)") +
                                 " = 0 exactly (the estimator was not called)"}};
    return;
  }
  check_degenerate(e, x, y, z, "estimator input");
  ScopedDeadline scope(deadline);
  Estimate est = e.conditional() ? e.estimate_conditional(x, y, z, rng) : e.estimate(x, y, rng);
  r.mi = est.mi;
  r.info = std::move(est.info);
  r.diagnostics = std::move(est.diagnostics);
  // An estimate above the estimator's own ceiling is not a number it can produce on data that
  // meets its assumptions.
  if (const auto& c = r.diagnostics.ceiling;
      c && std::isfinite(r.mi) && r.mi > c->value + 1e-9 * std::max(1.0, std::abs(c->value))) {
    throw DataError("estimator input: the estimate " + format_number(r.mi) +
                    " exceeds the estimator's own ceiling " + format_number(c->value) +
                    ": the data break its assumptions (ties?)");
  }
}

// The status of a call that returned or threw, from its value and its time: a non-finite
// estimate, or a run past the limit (an estimator that never checks its deadline is still
// held to it after the fact); a failed call keeps no value.
void classify(CallOutcome& r, double time_limit_s) {
  if (r.ok() && !std::isfinite(r.mi)) {
    r.status = CellStatus::kNonfinite;
    r.message = "the estimate is " + format_number(r.mi);
  }
  if ((r.ok() || r.status == CellStatus::kTimeout) && time_limit_s > 0 &&
      r.seconds > time_limit_s) {
    r.status = CellStatus::kTimeout;
  }
  if (r.status == CellStatus::kTimeout) {
    r.message = "exceeded the time limit of " + format_number(time_limit_s) + " s";
  }
  if (!r.ok()) {
    r.mi = std::nan("");
    r.diagnostics = {};
  }
  if (r.info.is_null()) r.info = nlohmann::json::object();
}

}  // namespace

CallOutcome call_estimator(const Estimator& e, MatrixRef x, MatrixRef y, MatrixRef z, Rng& rng,
                           double time_limit_s) {
  using Clock = std::chrono::steady_clock;
  CallOutcome r;
  const auto start = Clock::now();
  const double cpu_start = thread_cpu_seconds();
  std::optional<Clock::time_point> deadline;
  if (time_limit_s > 0) {
    deadline = start + std::chrono::duration_cast<Clock::duration>(
                           std::chrono::duration<double>(time_limit_s));
  }
  try {
    checked_estimate(e, x, y, z, rng, deadline, r);
  } catch (const Cancelled&) {
    throw;  // the caller stopped the work: no outcome to record
  } catch (const TimeLimitExceeded&) {
    r.status = CellStatus::kTimeout;
  } catch (const std::bad_alloc&) {
    r.status = CellStatus::kMemory;
    r.message = "out of memory (std::bad_alloc)";
  } catch (const std::exception& ex) {
    r.status = CellStatus::kError;
    r.message = ex.what();
  } catch (...) {
    r.status = CellStatus::kError;
    r.message = "unknown exception";
  }
  r.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  r.cpu_seconds = thread_cpu_seconds() - cpu_start;
  classify(r, time_limit_s);
  return r;
}

namespace {

// Virtual size of this process in bytes (/proc/self/statm: pages).
std::size_t address_space_bytes() {
  std::FILE* f = std::fopen("/proc/self/statm", "r");
  unsigned long pages = 0;
  if (f) {
    if (std::fscanf(f, "%lu", &pages) != 1) pages = 0;
    std::fclose(f);
  }
  return static_cast<std::size_t>(pages) * static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
}

CallOutcome failed(CellStatus status, const std::string& message, double seconds) {
  CallOutcome r;
  r.status = status;
  r.message = message;
  r.seconds = seconds;
  return r;
}

}  // namespace

CallOutcome call_estimator_isolated(const Estimator& e, MatrixRef x, MatrixRef y, MatrixRef z,
                                    Rng& rng, double time_limit_s, std::size_t memory_limit_mb) {
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  auto elapsed = [&] { return std::chrono::duration<double>(Clock::now() - start).count(); };
  int fds[2];
  if (pipe(fds) != 0) return failed(CellStatus::kError, "pipe() failed", 0);
  const pid_t pid = processes::fork_child(/*own_group=*/true);
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return failed(CellStatus::kError, "fork() failed", 0);
  }
  if (pid == 0) {  // the child: run, report one JSON object, leave without cleanup
    close(fds[0]);
    // A crash must kill the child with its signal: drop handlers inherited from the parent
    // (a sanitizer's or a test framework's would report and exit with a status instead).
    for (int sig : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT}) std::signal(sig, SIG_DFL);
    if (memory_limit_mb > 0) {
      const rlim_t limit = address_space_bytes() + memory_limit_mb * (std::size_t{1} << 20);
      const rlimit rl{limit, limit};
      setrlimit(RLIMIT_AS, &rl);
    }
    CallOutcome r = call_estimator(e, x, y, z, rng, time_limit_s);
    if (memory_limit_mb > 0 && r.status == CellStatus::kMemory) {
      r.message = "exceeded the memory limit of " + std::to_string(memory_limit_mb) + " MB";
    }
    const std::string text =
        to_json(r).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    std::size_t done = 0;
    while (done < text.size()) {
      const ssize_t w = write(fds[1], text.data() + done, text.size() - done);
      if (w <= 0) break;
      done += static_cast<std::size_t>(w);
    }
    _exit(0);
  }
  close(fds[1]);
  std::string text;
  bool killed_for_time = false;
  const double budget = time_limit_s > 0 ? time_limit_s + 2 : -1;
  char buffer[4096];
  for (;;) {
    int wait_ms = 100;  // between checks that the child is still running
    if (budget > 0) {
      const double left = budget - elapsed();
      if (left <= 0) {
        kill(-pid, SIGKILL);
        killed_for_time = true;
        break;
      }
      wait_ms = std::min(wait_ms, static_cast<int>(std::ceil(left * 1000)));
    }
    pollfd p{fds[0], POLLIN, 0};
    const int ready = poll(&p, 1, wait_ms);
    if (ready < 0 && errno == EINTR) continue;
    if (ready == 0) {
      // Exited with nothing more to read: done, even if another process still holds a copy of
      // the pipe's write end (a child forked by another worker at the same moment).
      if (processes::has_exited(pid) && poll(&p, 1, 0) == 0) break;
      continue;
    }
    const ssize_t got = read(fds[0], buffer, sizeof buffer);
    if (got > 0) {
      text.append(buffer, static_cast<std::size_t>(got));
      continue;
    }
    if (got < 0 && errno == EINTR) continue;
    break;  // EOF: the child is done (or dead)
  }
  close(fds[0]);
  const int status = processes::finish_child(pid, true);
  if (killed_for_time)
    return failed(CellStatus::kTimeout,
                  "exceeded the time limit of " + format_number(time_limit_s) + " s (killed)",
                  elapsed());
  if (WIFSIGNALED(status)) {
    const int sig = WTERMSIG(status);
    const char* name = strsignal(sig);
    return failed(
        CellStatus::kCrash,
        "killed by signal " + std::to_string(sig) + " (" + (name ? name : "unknown") + ")",
        elapsed());
  }
  const auto j = nlohmann::json::parse(text, nullptr, false);
  const std::string exited = "the child process exited with status " +
                             std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || j.is_discarded())
    return failed(CellStatus::kCrash, exited, elapsed());
  try {
    return call_outcome_from_json(j, "the child process's answer");
  } catch (const DataError& bad) {
    return failed(CellStatus::kCrash, exited + " and a malformed answer: " + bad.what(), elapsed());
  }
}

}  // namespace mib
