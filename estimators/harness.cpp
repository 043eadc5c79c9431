#include "estimators/harness.hpp"

#include <chrono>
#include <cmath>
#include <ctime>

#include "core/deadline.hpp"
#include "core/error.hpp"
#include "core/text.hpp"

namespace mib {
namespace {

double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

void check_finite(MatrixRef m, const std::string& where, const char* name) {
  if (m.allFinite()) return;
  for (Eigen::Index i = 0; i < m.rows(); ++i) {
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

}  // namespace

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

CallResult call_estimator(const Estimator& e, MatrixRef x, MatrixRef y, Rng& rng,
                          double time_limit_s) {
  using Clock = std::chrono::steady_clock;
  CallResult r;
  const auto start = Clock::now();
  const double cpu_start = thread_cpu_seconds();
  std::optional<Clock::time_point> deadline;
  if (time_limit_s > 0) {
    deadline = start + std::chrono::duration_cast<Clock::duration>(
                           std::chrono::duration<double>(time_limit_s));
  }
  try {
    check_inputs(x, y, e.min_samples(), "estimator input");
    ScopedDeadline scope(deadline);
    Estimate est = e.estimate(x, y, rng);
    r.mi = est.mi;
    r.info = std::move(est.info);
  } catch (const TimeLimitExceeded&) {
    r.status = "timeout";
  } catch (const std::exception& ex) {
    r.status = "error";
    r.message = ex.what();
  } catch (...) {
    r.status = "error";
    r.message = "unknown exception";
  }
  r.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  r.cpu_seconds = thread_cpu_seconds() - cpu_start;
  if (r.status == "ok" && !std::isfinite(r.mi)) {
    r.status = "nonfinite";
    r.message = "the estimate is " + format_number(r.mi);
  }
  // An estimator that never checks its deadline is still held to the limit after the fact.
  if ((r.status == "ok" || r.status == "timeout") && time_limit_s > 0 && r.seconds > time_limit_s) {
    r.status = "timeout";
  }
  if (r.status == "timeout") {
    r.message = "exceeded the time limit of " + format_number(time_limit_s) + " s";
  }
  if (r.status != "ok") r.mi = std::nan("");
  if (r.info.is_null()) r.info = nlohmann::json::object();
  return r;
}

}  // namespace mib
