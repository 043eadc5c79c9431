#include "estimators/external.hpp"

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "check.hpp"
#include "core/error.hpp"
#include "core/processes.hpp"
#include "estimators/builtin.hpp"
#include "estimators/gaussian.hpp"
#include "estimators/harness.hpp"
#include "temp_dir.hpp"
#include "test_data.hpp"

using Catch::Matchers::Contains;

namespace {
mib::CallOutcome call(std::vector<std::string> command, double timeout_s = 30,
                      double cell_limit = 0) {
  const auto s = mib::test::correlated(200, 2, 1, 0.6, 3);
  const mib::ExternalEstimator e({std::move(command), timeout_s});
  mib::Rng rng(0);
  return mib::call_estimator(e, s.x, s.y, rng, cell_limit);
}
}  // namespace

TEST_CASE("external: the Python example (stdlib only) equals the built-in gaussian estimator",
          "[estimators][external]") {
  const auto s = mib::test::correlated(200, 2, 1, 0.6, 3);
  const auto r =
      call({"python3", std::string(MIB_SOURCE_DIR) + "/examples/gaussian_mi.py", "{x}", "{y}"});
  REQUIRE(r.status == mib::CellStatus::kOk);
  mib::Rng rng(0);
  CHECK(r.mi == Approx(mib::GaussianEstimator({}).estimate(s.x, s.y, rng).mi).epsilon(1e-9));
  CHECK(r.info["n"] == 200);
}

TEST_CASE("external: files are passed by path, JSON is read from stdout",
          "[estimators][external]") {
  // {x} inside a longer argument is replaced too; the files exist while the command runs.
  const auto r = call(
      {"sh", "-c", "test -s \"$0\" && test -s \"${1#path=}\" && echo '{\"mi\": 0.25, \"note\": 1}'",
       "{x}", "path={y}"});
  REQUIRE(r.status == mib::CellStatus::kOk);
  CHECK(r.mi == 0.25);
  CHECK(r.info["note"] == 1);
}

TEST_CASE(
    "external: exit codes, bad output, missing programs and time-outs fail the cell with a reason",
    "[estimators][external]") {
  const auto exit3 = call({"sh", "-c", "echo something broke >&2; exit 3"});
  CHECK(exit3.status == mib::CellStatus::kError);
  CHECK_THAT(exit3.message, Contains("exit code 3") && Contains("something broke"));
  CHECK_THAT(call({"sh", "-c", "echo not json"}).message,
             Contains("one JSON object with a number \"mi\""));
  CHECK_THAT(call({"sh", "-c", "echo '{\"mi\": \"high\"}'"}).message, Contains("number \"mi\""));
  CHECK_THAT(call({"no-such-program-mibench"}).message, Contains("no-such-program-mibench"));
  const auto start = std::chrono::steady_clock::now();
  const auto slow = call({"sh", "-c", "sleep 20"}, 0.3);
  CHECK(slow.status == mib::CellStatus::kError);
  CHECK_THAT(slow.message, Contains("timeout_s of 0.3 s") && Contains("killed"));
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(10));
  // The cell's own time limit also stops it.
  const auto limited = call({"sh", "-c", "sleep 20"}, 600, 0.3);
  CHECK(limited.status == mib::CellStatus::kTimeout);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(15));
  CHECK_THROWS_AS(mib::ExternalEstimator({{}, 10}), mib::ConfigError);
  // timeout_s is bounded like the cell's limit (30 days): 1e10 s overflowed the clock.
  CHECK_THROWS_WITH(mib::builtin_estimators()
                        .at("external", "t")
                        .make({{"command", {"true"}}, {"timeout_s", 1e10}}, "t"),
                    Contains("timeout_s must be a number in (0, 2592000]"));
  // The typed diagnostics in a program's output are read, and a malformed one fails the cell.
  const auto capped =
      call({"sh", "-c", "echo '{\"mi\": 0.5, \"ceiling\": 2.0, \"saturated\": false}'"});
  REQUIRE(capped.status == mib::CellStatus::kOk);
  REQUIRE(capped.diagnostics.ceiling);
  CHECK(capped.diagnostics.ceiling->value == 2.0);
  const auto malformed = call({"sh", "-c", "echo '{\"mi\": 0.5, \"ceiling\": 2.0}'"});
  CHECK(malformed.status == mib::CellStatus::kError);
  CHECK_THAT(malformed.message, Contains("field saturated must be present"));
}

namespace {
// Whether process `pid` is gone (or a zombie nobody waits for), polling up to 5 s.
bool gone(long pid) {
  for (int i = 0; i < 100; ++i) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
    if (text.empty() || text.find(") Z") != std::string::npos) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}
long read_pid(const std::string& path) {
  std::ifstream in(path);
  long pid = 0;
  in >> pid;
  return pid;
}
}  // namespace

TEST_CASE("external: nothing the command starts outlives the call, and output is bounded",
          "[estimators][external]") {
  mib::processes::adopt_orphans();  // as mibench does at start
  const mib::test::TempDir dir("external-children");
  const std::string pid_file = dir / "pid";
  // Three ways to leave something running, each must end with the call; the first two also
  // hold stdout open, which must not make the cell wait for its 20 s timeout.
  const std::vector<std::pair<const char*, std::string>> cases = {
      {"a background child in its process group", "sleep 300 & echo $! > " + pid_file},
      {"a grandchild that left the group with setsid",
       "setsid sleep 300 </dev/null >/dev/null 2>&1 & echo $! > " + pid_file},
      {"a background child that keeps stdout open", "(exec sleep 300) & echo $! > " + pid_file},
  };
  for (const auto& [what, script] : cases) {
    CAPTURE(what);
    const auto r = call({"sh", "-c", script + "; echo '{\"mi\": 0.5}'"}, 20);
    CHECK(r.status == mib::CellStatus::kOk);
    CHECK(r.mi == 0.5);
    const long pid = read_pid(pid_file);
    REQUIRE(pid > 0);
    CHECK(gone(pid));
  }
  // Endless stdout: killed once it passes 16 MB, a failed cell with the reason.
  const auto endless = call({"yes"}, 60);
  CHECK(endless.status == mib::CellStatus::kError);
  CHECK_THAT(endless.message, Contains("stdout must be at most 16 MB"));
  // Temporary folders carry mibench's pid; ones whose process is gone are removed.
  const auto stale = std::filesystem::temp_directory_path() / "mibench-tmp-999999999-abcdef";
  std::filesystem::create_directories(stale);
  mib::processes::remove_stale_folders();
  CHECK_FALSE(std::filesystem::exists(stale));
}

TEST_CASE("processes: scanning /proc while processes exit is not an error",
          "[estimators][external][processes]") {
  // finish_child scans /proc for orphans; a process that exits between the scan's open and
  // read of /proc/<pid>/stat made read() fail with ESRCH, which a stream had thrown ("internal
  // error: basic_filebuf::underflow error reading the file: No such process", a flaky `run`
  // under ctest -j 2). Two threads fork and finish short-lived children, so each scan races
  // the other thread's exits.
  mib::processes::adopt_orphans();
  std::atomic<int> finished{0};
  const auto churn = [&] {
    for (int i = 0; i < 400; ++i) {
      const pid_t pid = mib::processes::fork_child(false);
      if (pid == 0) ::_exit(0);
      mib::processes::finish_child(pid, false);
      ++finished;
    }
  };
  std::exception_ptr error;
  std::thread other([&] {
    try {
      churn();
    } catch (...) {
      error = std::current_exception();
    }
  });
  CHECK_NOTHROW(churn());
  other.join();
  CHECK_FALSE(error);
  CHECK(finished == 800);
}
