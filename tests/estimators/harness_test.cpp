#include "estimators/harness.hpp"

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <limits>
#include <thread>
#include <vector>

#include "check.hpp"
#include "core/deadline.hpp"
#include "core/error.hpp"
#include "test_data.hpp"

namespace {

// Test-only estimators that misbehave on purpose.
struct Returns final : mib::Estimator {
  double value;
  explicit Returns(double v) : value(v) {}
  mib::Estimate estimate(mib::MatrixRef, mib::MatrixRef, mib::Rng&) const override {
    return {value, {}};
  }
};
struct Throws final : mib::Estimator {
  mib::Estimate estimate(mib::MatrixRef, mib::MatrixRef, mib::Rng&) const override {
    throw std::runtime_error("boom");
  }
};
struct SpinsChecking final : mib::Estimator {  // polls the deadline, as built-ins do
  mib::Estimate estimate(mib::MatrixRef, mib::MatrixRef, mib::Rng&) const override {
    for (;;) mib::check_deadline();
  }
};
struct SleepsBlindly final : mib::Estimator {  // never polls: caught after the fact
  mib::Estimate estimate(mib::MatrixRef, mib::MatrixRef, mib::Rng&) const override {
    std::this_thread::sleep_for(std::chrono::milliseconds(60));
    return {1.0, {}};
  }
};

}  // namespace

TEST_CASE("harness: failures become a status and message, never an exception",
          "[estimators][harness]") {
  const auto s = mib::test::correlated(20, 1, 1, 0.5, 1);
  mib::Rng rng(0);
  const auto ok = mib::call_estimator(Returns(0.25), s.x, s.y, rng, 0);
  CHECK(ok.status == mib::CellStatus::kOk);
  CHECK(ok.mi == 0.25);
  CHECK(ok.seconds >= 0);

  const auto nan =
      mib::call_estimator(Returns(std::numeric_limits<double>::quiet_NaN()), s.x, s.y, rng, 0);
  CHECK(nan.status == mib::CellStatus::kNonfinite);
  const auto inf =
      mib::call_estimator(Returns(std::numeric_limits<double>::infinity()), s.x, s.y, rng, 0);
  CHECK(inf.status == mib::CellStatus::kNonfinite);
  CHECK(inf.message == "the estimate is inf");

  const auto thrown = mib::call_estimator(Throws(), s.x, s.y, rng, 0);
  CHECK(thrown.status == mib::CellStatus::kError);
  CHECK(thrown.message == "boom");
  CHECK(std::isnan(thrown.mi));

  const auto spun = mib::call_estimator(SpinsChecking(), s.x, s.y, rng, 0.05);
  CHECK(spun.status == mib::CellStatus::kTimeout);
  CHECK_THAT(spun.message, Catch::Contains("0.05 s"));
  const auto slept = mib::call_estimator(SleepsBlindly(), s.x, s.y, rng, 0.01);
  CHECK(slept.status == mib::CellStatus::kTimeout);
}

TEST_CASE("harness: shared preconditions are checked once, with the place named",
          "[estimators][harness]") {
  auto s = mib::test::correlated(10, 2, 1, 0.5, 1);
  CHECK_NOTHROW(mib::check_inputs(s.x, s.y, 4, "in"));
  CHECK_THROWS_WITH(mib::check_inputs(s.x, s.y, 11, "in"),
                    Catch::Contains("n must be >= 11, but is 10"));
  CHECK_THROWS_WITH(mib::check_inputs(s.x.topRows(9), s.y, 2, "in"), Catch::Contains("row counts"));
  s.x(3, 1) = std::numeric_limits<double>::quiet_NaN();
  MIB_CHECK_THROWS(mib::check_inputs(s.x, s.y, 2, "in"), mib::DataError,
                   Catch::Contains("x at row 4, column 2 must be finite, but is nan"));
  mib::Rng rng(0);
  CHECK(mib::call_estimator(Returns(0), s.x, s.y, rng, 0).status == mib::CellStatus::kError);
}

namespace {
// Misbehaving beyond what a thread survives: only process isolation contains these.
struct Segfaults final : mib::Estimator {
  mib::Estimate estimate(mib::MatrixRef, mib::MatrixRef, mib::Rng&) const override {
    std::raise(SIGSEGV);
    return {0, {}};
  }
};
struct Aborts final : mib::Estimator {
  mib::Estimate estimate(mib::MatrixRef, mib::MatrixRef, mib::Rng&) const override { std::abort(); }
};
struct HangsSilently final : mib::Estimator {  // never checks its deadline, never returns
  mib::Estimate estimate(mib::MatrixRef, mib::MatrixRef, mib::Rng&) const override {
    for (;;) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
};
struct Leaks final : mib::Estimator {  // allocates (and touches) 64 MB blocks without end
  mib::Estimate estimate(mib::MatrixRef, mib::MatrixRef, mib::Rng&) const override {
    std::vector<std::vector<char>> blocks;
    for (;;) blocks.emplace_back(std::size_t{64} << 20, 'x');
  }
};
}  // namespace

TEST_CASE("harness: process isolation turns crashes, hangs and leaks into failed cells",
          "[estimators][harness]") {
  const auto s = mib::test::correlated(100, 1, 1, 0.5, 1);
  auto run = [&](const mib::Estimator& e, double limit = 0, std::size_t memory = 0) {
    mib::Rng rng(1);
    return mib::call_estimator_isolated(e, s.x, s.y, rng, limit, memory);
  };
  // A well-behaved estimator gives the same bits as in-process.
  {
    mib::Rng rng(1);
    const auto direct = mib::call_estimator(Returns(0.25), s.x, s.y, rng, 0);
    const auto isolated = run(Returns(0.25));
    CHECK(isolated.status == mib::CellStatus::kOk);
    CHECK(isolated.mi == direct.mi);
  }
  CHECK(run(Throws()).status == mib::CellStatus::kError);
  CHECK(run(Throws()).message == "boom");
  CHECK(run(Returns(std::nan(""))).status == mib::CellStatus::kNonfinite);
  const auto segv = run(Segfaults());
  CHECK(segv.status == mib::CellStatus::kCrash);
  const auto abrt = run(Aborts());
  CHECK(abrt.status == mib::CellStatus::kCrash);
#if !defined(__SANITIZE_ADDRESS__)  // ASan may keep its own SEGV handler: then an exit status
  CHECK_THAT(segv.message, Catch::Contains("killed by signal 11"));
  CHECK_THAT(abrt.message, Catch::Contains("signal 6"));
#endif
  const auto start = std::chrono::steady_clock::now();
  const auto hang = run(HangsSilently(), 0.2);
  CHECK(hang.status == mib::CellStatus::kTimeout);
  CHECK_THAT(hang.message, Catch::Contains("killed"));
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(10));
  const auto leak = run(Leaks(), 60, 256);
#if defined(__SANITIZE_ADDRESS__)
  CHECK(leak.status != mib::CellStatus::kOk);  // ASan's allocator aborts instead of throwing bad_alloc
#else
  CHECK(leak.status == mib::CellStatus::kMemory);
  CHECK_THAT(leak.message, Catch::Contains("memory limit of 256 MB"));
#endif
}
