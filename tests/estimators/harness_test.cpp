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
#include "estimators/builtin.hpp"
#include "estimators/spec.hpp"
#include "test_data.hpp"

using Catch::Matchers::Contains;

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
    return mib::call_estimator_isolated(e, s.x, s.y, mib::Matrix(s.x.rows(), 0), rng, limit,
                                        memory);
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
  CHECK(leak.status !=
        mib::CellStatus::kOk);  // ASan's allocator aborts instead of throwing bad_alloc
#else
  CHECK(leak.status == mib::CellStatus::kMemory);
  CHECK_THAT(leak.message, Catch::Contains("memory limit of 256 MB"));
#endif
}

namespace {
struct OutOfMemory final : mib::Estimator {
  mib::Estimate estimate(mib::MatrixRef, mib::MatrixRef, mib::Rng&) const override {
    throw std::bad_alloc();
  }
};
struct AboveCeiling final : mib::Estimator {  // claims a ceiling and passes it
  mib::Estimate estimate(mib::MatrixRef, mib::MatrixRef, mib::Rng&) const override {
    return {7.5, {}, mib::Diagnostics{mib::Ceiling{6.5, true}, {}}};
  }
};
}  // namespace

TEST_CASE("harness: degenerate data gives an exact answer or a failed cell, never a silent number",
          "[estimators][harness]") {
  const auto s = mib::test::correlated(400, 2, 1, 0.6, 21);
  // Estimators of I(X; Y | Z) get a Z independent of the rest: the same rules hold for them.
  auto call = [](const mib::Estimator& e, const mib::Matrix& x, const mib::Matrix& y) {
    mib::Rng rng(4);
    const mib::Matrix z =
        e.conditional() ? mib::test::correlated(x.rows(), 1, 1, 0, 9).x : mib::Matrix(x.rows(), 0);
    return mib::call_estimator(e, x, y, z, rng, 0);
  };
  // A constant variable: I(X; Y) = 0 exactly, for every estimator (ksg2 gave -1/k, kde -0.26,
  // bi-ksg +0.14, gaussian and cca an error), constant in one column or in all of them.
  // (1200 rows: the neural estimators' defaults need more than 1000.)
  const auto big = mib::test::correlated(1200, 2, 1, 0.6, 22);
  mib::Matrix constant_x = mib::Matrix::Constant(1200, 2, 1.5);
  mib::Matrix constant_y = mib::Matrix::Constant(1200, 1, -3.0);
  for (const auto* entry : mib::builtin_estimators().entries()) {
    if (entry->name == "external") continue;
    const auto e = entry->make(nlohmann::json::object(), "test");
    for (const auto& [x, y] : {std::pair{constant_x, big.y}, std::pair{big.x, constant_y},
                               std::pair{constant_x, constant_y}}) {
      CAPTURE(entry->name, x(0, 0), y(0, 0));
      const auto r = call(*e, x, y);
      CHECK(r.status == mib::CellStatus::kOk);
      CHECK(r.mi == 0);
      CHECK_THAT(r.info.value("degenerate", ""),
                 Contains(e->conditional() ? "is constant: I(X; Y | Z) = 0 exactly"
                                           : "is constant: I(X; Y) = 0 exactly"));
    }
  }
  // Heavy ties: discrete X = Y with three values. Every k-NN estimator that assumes continuous
  // data fails the cell with what to do; mixed-ksg (made for ties) and noise= both answer.
  mib::Matrix discrete(600, 1);
  for (Eigen::Index i = 0; i < 600; ++i) discrete(i, 0) = static_cast<double>(i % 3);
  for (const char* spec : {"ksg", "ksg2", "kl", "lnc:alpha=0.2", "bi-ksg", "ksg-bmi"}) {
    CAPTURE(spec);
    const auto e =
        mib::resolve(mib::parse_spec(std::string(spec), "t"), mib::builtin_estimators(), "t");
    const auto r = call(*e.estimator, discrete, discrete);
    CHECK(r.status == mib::CellStatus::kError);
    CHECK_THAT(r.message, Contains("the number of rows that share one (x, y) value must be at "
                                   "most k = ") &&
                              Contains("but is 200") && Contains("mixed-ksg"));
  }
  for (const char* spec : {"mixed-ksg", "ksg:noise=1e-10", "histogram"}) {
    CAPTURE(spec);
    const auto e =
        mib::resolve(mib::parse_spec(std::string(spec), "t"), mib::builtin_estimators(), "t");
    const auto r = call(*e.estimator, discrete, discrete);
    CHECK(r.status != mib::CellStatus::kError);
  }
  // mixed-ksg gets ln 3 for X = Y uniform on three values (Gao et al. 2017: exact on discrete).
  const auto mixed =
      mib::resolve(mib::parse_spec(std::string("mixed-ksg"), "t"), mib::builtin_estimators(), "t");
  CHECK(call(*mixed.estimator, discrete, discrete).mi == Approx(std::log(3.0)).margin(0.01));
  // Ties within k are kept: every row twice (k = 3) is still an estimate.
  mib::Matrix twice_x(400, 2), twice_y(400, 1);
  for (Eigen::Index i = 0; i < 400; ++i) {
    twice_x.row(i) = s.x.row(i / 2);
    twice_y.row(i) = s.y.row(i / 2);
  }
  CHECK(call(*mib::builtin_estimators().at("ksg", "t").make({}, "t"), twice_x, twice_y).status ==
        mib::CellStatus::kOk);
  // Heavy ties in each first column but not in whole rows: still an estimate (the tie rule's
  // fast pre-check on first columns must not be the verdict).
  mib::Matrix tied_first(600, 2), tied_y(600, 2);
  for (Eigen::Index i = 0; i < 600; ++i) {
    tied_first.row(i) << static_cast<double>(i % 3),
        s.x(i % 400, 0) + 0.001 * static_cast<double>(i);
    tied_y.row(i) << static_cast<double>(i % 2), s.y(i % 400, 0) - 0.002 * static_cast<double>(i);
  }
  CHECK(call(*mib::builtin_estimators().at("ksg", "t").make({}, "t"), tied_first, tied_y).status ==
        mib::CellStatus::kOk);
  // An estimate above the estimator's own ceiling is a failed cell, not a number.
  const auto above = call(AboveCeiling(), s.x, s.y);
  CHECK(above.status == mib::CellStatus::kError);
  CHECK_THAT(above.message, Contains("the estimate 7.5 exceeds the estimator's own ceiling 6.5"));
  // Running out of memory in a thread is a memory failure, like the isolated call's limit.
  const auto oom = call(OutOfMemory(), s.x, s.y);
  CHECK(oom.status == mib::CellStatus::kMemory);
  CHECK_THAT(oom.message, Contains("out of memory"));
}

namespace {
struct TieLimit final : mib::Estimator {  // refuses more than `limit` rows on one (x, y) value
  std::size_t limit;
  explicit TieLimit(std::size_t l) : limit(l) {}
  std::size_t tie_limit() const override { return limit; }
  mib::Estimate estimate(mib::MatrixRef, mib::MatrixRef, mib::Rng&) const override { return {}; }
};
}  // namespace

TEST_CASE("harness: the tie rule counts exactly at its limit, whatever the data's size",
          "[harness]") {
  // The first-column pre-check counts hashed slots that many values share; these cases put the
  // verdict on its boundary: `limit` copies of one (x, y) value pass, limit + 1 fail — with
  // tens of thousands of distinct values around them (shared slots), limits past an 8-bit count
  // (300), −0 and +0 as one value, and a column of a few values each tied far beyond the limit.
  const Eigen::Index n = 40000;
  const auto s = mib::test::correlated(static_cast<std::size_t>(n), 1, 1, 0.0, 7);
  const mib::Matrix& x = s.x;
  const mib::Matrix& y = s.y;
  const auto verdict = [](std::size_t limit, const mib::Matrix& a, const mib::Matrix& b) {
    try {
      mib::check_degenerate(TieLimit(limit), a, b, mib::Matrix(a.rows(), 0), "t");
      return true;
    } catch (const mib::DataError&) {
      return false;
    }
  };
  for (const std::size_t limit : {1, 3, 7, 254, 255, 300}) {
    for (const double value : {0.0, 1.25}) {
      for (const std::size_t copies : {limit, limit + 1}) {
        CAPTURE(limit, value, copies);
        mib::Matrix a = x, b = y;
        for (std::size_t c = 0; c < copies; ++c) {  // the rows (value, 0), zeros of either sign
          const auto row = static_cast<Eigen::Index>(97 * c + 5);
          a(row, 0) = c % 2 == 1 ? -value : value;
          if (value != 0) a(row, 0) = value;
          b(row, 0) = c % 3 == 1 ? -0.0 : 0.0;
        }
        CHECK(verdict(limit, a, b) == (copies <= limit));
      }
    }
  }
  // First columns of four values each tied ~n/4 times, rows distinct: no joint tie over 3.
  mib::Matrix four(n, 2);
  for (Eigen::Index i = 0; i < n; ++i) four.row(i) << static_cast<double>(i % 4), x(i, 0);
  CHECK(verdict(3, four, four));
  four(1, 1) = four(5, 1) = four(9, 1) = four(13, 1) = x(1, 0);  // four rows on one value
  CHECK_FALSE(verdict(3, four, four));
}
