// The command line against each class of bad input and misuse (issue 14's classes): numbers,
// deep or long input, sizes, files read as NumPy/pandas would, polluted run folders, and
// signals during child processes. Each case exits 2 with a message naming the problem (or,
// for signals, leaves nothing behind).
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "core/files.hpp"
#include "core/memory.hpp"
#include "run_mibench.hpp"
#include "temp_dir.hpp"

using Catch::Matchers::Contains;
using mib::test::check_refused;
using mib::test::kData;
using mib::test::mibench;
using mib::test::Refusal;
using mib::test::small_config;
using mib::test::write;

TEST_CASE("cli: every numeric flag refuses NaN, infinity, a sign, wrap-around and its range",
          "[cli]") {
  const mib::test::TempDir dir("cli-numbers");
  write(dir / "one.csv", "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n");
  write(dir / "c.json", small_config());
  const std::string xy = " --x " + (dir / "one.csv") + " --y " + (dir / "one.csv");
  const std::string sample = "sample 1v1-normal-0.75 --out " + (dir / "s");
  const std::vector<Refusal> cases{
      {sample + " --n 10 --seed -1",
       "--seed: the value must be an integer in [0, 18446744073709551615], but is -1"},
      {sample + " --n 10 --seed 18446744073709551616", "but is 18446744073709551616"},
      {sample + " --n 10 --seed 010x", "--seed: the value must be an integer"},
      {sample + " --n 10 --seed 0x10", "--seed: the value must be an integer"},
      {sample + " --n 1000000000000 --seed 1",
       "--n: the value must be an integer in [1, 100000000]"},
      {sample + " --n -5 --seed 1", "--n: the value must be an integer"},
      {"check " + dir.str() + " --baseline b.json --sigmas nan",
       "--sigmas: the value must be a finite number"},
      {"check " + dir.str() + " --baseline b.json --sigmas inf",
       "--sigmas: the value must be a finite number"},
      {"check " + dir.str() + " --baseline b.json --absolute nan",
       "--absolute: the value must be a finite number"},
      {"check " + dir.str() + " --baseline b.json --absolute -1",
       "--absolute: the value must be a finite number in [0, 1000000]"},
      {"estimate" + xy + " --estimator gaussian --ci nan",
       "--ci: the value must be a finite number"},
      {"estimate" + xy + " --estimator gaussian --ci 0.9 --resamples 1e9",
       "--resamples: the value must be an integer in [2, 100000]"},
      {"estimate" + xy + " --estimator gaussian --seed 1.5",
       "--seed: the value must be an integer"},
      {"consistency" + xy + " --estimator gaussian --tolerance inf",
       "--tolerance: the value must be a finite number"},
      {"consistency" + xy + " --estimator gaussian --permutations -3",
       "--permutations: the value must be an integer"},
      {"run " + (dir / "c.json") + " --out " + (dir / "o") + " --threads -1",
       "--threads: the value must be an integer in [1, 4096]"},
      {"report " + dir.str() + " --n 0", "--n: the value must be an integer in [1, 100000000]"},
      {"report " + dir.str() + " --precision 99",
       "--precision: the value must be an integer in [0, 12]"},
      {"truth 1v1-normal-0.75 --draws 1e3",
       "--draws: the value must be an integer in [2, 1000000000]"},
  };
  check_refused(cases, {dir / "s.x.npy", dir / "o"});
}

TEST_CASE("cli: deep or long input is refused with exit 2, never a crash", "[cli]") {
  const mib::test::TempDir dir("cli-deep");
  const std::string deep = std::string(20000, '[') + std::string(20000, ']');
  auto config = [&](const std::string& field, const std::string& value) {
    std::map<std::string, std::string> fields{{"replicates", "1"},
                                              {"sample_sizes", "[100]"},
                                              {"tasks", "[\"1v1-normal-0.75\"]"},
                                              {"estimators", "[\"ksg\"]"}};
    fields[field] = value;
    std::string text = "{\"schema_version\": 1, \"seed\": 1";
    for (const auto& [key, v] : fields) text += ", \"" + key + "\": " + v;
    const std::string file = dir / ("c" + std::to_string(fields.size() + text.size()) + ".json");
    write(file, text + "}");
    return "run " + file + " --out " + (dir / "o");
  };
  std::string chain;
  for (int i = 0; i < 15000; ++i) chain += "asinh-";
  std::string nested = "1v1-normal-0.75";
  for (int i = 0; i < 40; ++i) nested = "asinh-" + nested;
  std::string concat = "1v1-normal-0.75";
  for (int i = 0; i < 35; ++i) concat = "concat(" + concat + ",1v1-normal-0.75)";
  const std::vector<Refusal> cases{
      {config("replicates", deep), "the file must be JSON nested at most 64 deep"},
      {config("sample_sizes", deep), "the file must be JSON nested at most 64 deep"},
      {config("estimators", "[{\"name\": \"ksg\", \"params\": {\"k\": " + deep + "}}]"),
       "the file must be JSON nested at most 64 deep"},
      {config("estimators", "[{\"name\": \"external\", \"params\": {\"command\": " + deep + "}}]"),
       "the file must be JSON nested at most 64 deep"},
      {config("tasks", "[\"" + chain + "1v1-normal-0.75\"]"),
       "the task id must be at most 1000 characters long"},
      {config("tasks", "[\"" + nested + "\"]"),
       "the task id must be nested at most 32 transforms and concats deep"},
      {config("tasks", "[\"" + concat + "\"]"), "the task id must be nested at most 32"},
      {"sample " + nested + " --n 10 --seed 1 --out " + (dir / "s"), "nested at most 32"},
      {"estimate --x a.csv --y a.csv --estimator ksg:k=" + std::string(100, '[') +
           std::string(100, ']'),
       "the value of parameter k must be nested at most 64 deep"},
  };
  check_refused(cases, {dir / "o"});
}

TEST_CASE("cli: sizes too large for the machine are refused before any work, nothing written",
          "[cli]") {
  const mib::test::TempDir dir("cli-sizes");
  auto config = [&](const std::string& name, const std::string& tasks, const std::string& sizes,
                    const std::string& replicates, const std::string& estimators) {
    write(dir / name, R"({"schema_version": 1, "seed": 1, "replicates": )" + replicates +
                          R"(, "sample_sizes": )" + sizes + R"(, "tasks": )" + tasks +
                          R"(, "estimators": )" + estimators + "}");
    return "run " + (dir / name) + " --out " + (dir / "o");
  };
  std::vector<Refusal> cases{
      {config("dim.json", R"([{"family": "multinormal-dense", "params": {"dim": 100000000}}])",
              "[100]", "1", R"(["ksg"])"),
       "dim must be in [1, 4096]"},
      {config("components.json",
              R"([{"family": "2v1-waves", "params": {"components": 100000000}}])", "[100]", "1",
              R"(["ksg"])"),
       "components must be in [1, 4096]"},
      {config("grid.json", R"(["@bmi-v1"])", "[100, 200, 300, 400, 500, 600, 700, 800]", "100000",
              R"(["ksg", "ksg2", "kl", "gaussian"])"),
       "the grid (tasks × sample sizes × replicates × estimators) must be at most 10000000 cells, "
       "but is 128000000 cells"},
      {config("n.json", R"(["multinormal-dense-25-25-0.5"])", "[100000000]", "1", R"(["ksg"])") +
           " --threads 4096",
       "mibench run: the largest sample (× 2 per worker, 4096 workers: 40 GB each) must be within "
       "this machine's memory"},
  };
  // 10^8 rows × 50 columns, twice, is 80 GB: more than the machines this runs on.
  if (mib::physical_memory_bytes() < 80e9)
    cases.push_back(
        {"sample multinormal-dense-25-25-0.5 --n 100000000 --seed 1 --out " + (dir / "s"),
         "--n: the sample (100000000 rows × 50 columns, twice) must be within this "
         "machine's memory"});
  check_refused(cases, {dir / "o", dir / "s.x.npy"});
}

TEST_CASE("cli: input files are read as NumPy and pandas read them, or refused", "[cli]") {
  const mib::test::TempDir dir("cli-files");
  // A .npy file with the given header dict and `rows` rows of one float64 column.
  auto npy = [&](const std::string& name, const std::string& dict, std::size_t rows) {
    std::string header = dict;
    header.append((64 - (10 + header.size() + 1) % 64) % 64, ' ');
    header += '\n';
    std::string bytes("\x93NUMPY\x01\x00", 8);
    bytes += static_cast<char>(header.size() & 0xff);
    bytes += static_cast<char>(header.size() >> 8);
    bytes += header;
    for (std::size_t i = 0; i < rows; ++i) {
      const double v = static_cast<double>(i % 7) + 0.25 * static_cast<double>(i);
      bytes.append(reinterpret_cast<const char*>(&v), 8);
    }
    write(dir / name, bytes);
    return dir / name;
  };
  std::filesystem::create_directories(dir / "folder.npy");
  const std::string good =
      npy("good.npy", "{'descr': '<f8', 'fortran_order': False, 'shape': (40,), }", 40);
  // Each file as X beside a good Y.
  auto x = [&](const std::string& file) {
    return "estimate --x " + file + " --y " + good + " --estimator gaussian";
  };
  const std::vector<Refusal> cases{
      {x(npy("huge.npy",
             "{'descr': '<f8', 'fortran_order': False, 'shape': (2305843009213693952, 1), }", 40)),
       "the shape must be one whose data fits in memory"},
      {x(npy("e23.npy",
             "{'descr': '<f8', 'fortran_order': False, 'shape': (100000000000000000000000, 1), }",
             40)),
       "each extent of shape must be at most 2^64 - 1"},
      {x(npy("float_shape.npy", "{'descr': '<f8', 'fortran_order': False, 'shape': (2.5, 16), }",
             40)),
       "a shape of non-negative integers"},
      {x(npy("negative.npy", "{'descr': '<f8', 'fortran_order': False, 'shape': (-40,), }", 40)),
       "a shape of non-negative integers"},
      {x(npy("twice.npy",
             "{'descr': '<f8', 'fortran_order': False, 'shape': (40,), 'shape': (20, 2), }", 40)),
       "each key of the .npy header must be given once, but is \"shape\" twice"},
      {x(npy("three_d.npy", "{'descr': '<f8', 'fortran_order': False, 'shape': (10, 2, 2), }", 40)),
       "1-D or 2-D"},
      {x(dir / "folder.npy"), "folder.npy: the path must be a file, but is a directory"},
  };
  check_refused(cases, {});
  // A UTF-8 byte-order mark before a numeric first row: every row is data (n = 40, not 39).
  std::string csv = "\xEF\xBB\xBF";
  for (int i = 0; i < 40; ++i) csv += std::to_string(i * i % 11 + 0.5 * i) + "\n";
  write(dir / "bom.csv", csv);
  const auto bom = mibench("estimate --x " + (dir / "bom.csv") + " --y " + good +
                           " --estimator gaussian --json");
  REQUIRE(bom.code == 0);
  CHECK(nlohmann::json::parse(bom.text)["n"] == 40);
  // An empty CSV cell is named with quotes, so the message shows it.
  write(dir / "empty.csv", "1,2\n3,\n");
  CHECK_THAT(mibench("estimate --x " + (dir / "empty.csv") + " --y " + (dir / "empty.csv") +
                     " --estimator gaussian")
                 .text,
             Contains("empty.csv:2 column 2: the cell must be a number, but is \"\""));
}

TEST_CASE("cli: report, check and baseline refuse a polluted run folder; duplicates count once",
          "[cli]") {
  const mib::test::TempDir dir("cli-polluted");
  write(dir / "c.json", small_config());
  REQUIRE(mibench("run " + (dir / "c.json") + " --out " + (dir / "run") + " --threads 1").code ==
          0);
  REQUIRE(mibench("baseline " + (dir / "run") + " --out " + (dir / "base.json")).code == 0);
  const std::string results = mib::read_file(dir / "run/results.jsonl");
  // The file appended to itself: the same report, a warning, and check still passes.
  mib::write_file_atomic(dir / "run/results.jsonl", results + results);
  const auto doubled = mibench("report " + (dir / "run") + " --format csv --out " + (dir / "r2"));
  CHECK(doubled.code == 0);
  CHECK_THAT(doubled.text, Contains("identical duplicate rows; each cell is counted once"));
  // A conflicting copy of one cell (the estimate shifted by 1.4 nats): every reader refuses.
  auto row = nlohmann::json::parse(results.substr(0, results.find('\n')));
  row["estimate"] = row["estimate"].get<double>() + 1.4;
  mib::write_file_atomic(dir / "run/results.jsonl", results + row.dump() + "\n");
  for (const std::string& command :
       {"report " + (dir / "run") + " --out " + (dir / "r3"),
        "check " + (dir / "run") + " --baseline " + (dir / "base.json"),
        "baseline " + (dir / "run") + " --out " + (dir / "b3.json"),
        "merge " + (dir / "run") + " --out " + (dir / "m3"),
        "run " + (dir / "c.json") + " --out " + (dir / "run")}) {
    CAPTURE(command);
    const auto out = mibench(command);
    CHECK(out.code == 2);
    CHECK_THAT(out.text, Contains("results.jsonl:9: cell 1v1-normal-0.75|300|0|ksg must be "
                                  "identical to its copy on line 1"));
  }
  CHECK_FALSE(std::filesystem::exists(dir / "r3"));
  CHECK_FALSE(std::filesystem::exists(dir / "b3.json"));
  CHECK_FALSE(std::filesystem::exists(dir / "m3/results.jsonl"));
}

namespace {
// Whether process `pid` is gone (or a zombie) now.
bool is_gone(long pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  return text.empty() || text.find(") Z") != std::string::npos;
}
// The same, polling up to 5 s.
bool process_gone(long pid) {
  for (int i = 0; i < 100 && !is_gone(pid); ++i) ::usleep(50000);
  return is_gone(pid);
}
// mibench-tmp-<pid>-* folders whose process is gone (an isolated child's included).
std::size_t stale_temp_folders() {
  std::size_t count = 0;
  const std::string prefix = "mibench-tmp-";
  for (const auto& e :
       std::filesystem::directory_iterator(std::filesystem::temp_directory_path())) {
    const std::string name = e.path().filename().string();
    if (name.rfind(prefix, 0) == 0)
      count += is_gone(std::strtol(name.c_str() + prefix.size(), nullptr, 10));
  }
  return count;
}
}  // namespace

TEST_CASE("cli: killing run during an external or isolated call leaves no process and no folder",
          "[cli]") {
  const mib::test::TempDir dir("cli-signals");
  const std::string pid_file = dir / "sleeper.pid";
  write(dir / "a.csv", "1,2\n3,5\n4,4\n");
  for (const bool isolated : {false, true}) {
    for (const int sig : {SIGINT, SIGTERM, SIGHUP, SIGKILL}) {
      CAPTURE(isolated, sig);
      std::filesystem::remove(pid_file);
      std::filesystem::remove_all(dir / "out");
      nlohmann::json estimator = {
          {"name", "external"},
          {"params",
           {{"command", {"sh", "-c", "echo $$ > " + pid_file + "; exec sleep 300", "{x}"}}}}};
      if (isolated) estimator["isolation"] = "process";
      write(dir / "c.json", nlohmann::json{{"schema_version", 1},
                                           {"seed", 1},
                                           {"replicates", 1},
                                           {"sample_sizes", {100}},
                                           {"tasks", {"1v1-normal-0.75"}},
                                           {"estimators", {estimator}}}
                                .dump());
      const pid_t pid = ::fork();
      REQUIRE(pid >= 0);
      if (pid == 0) {
        const int null = ::open("/dev/null", O_WRONLY);  // not freopen: no flush of our buffers
        ::dup2(null, 1);
        ::dup2(null, 2);
        ::execl(MIB_MIBENCH, "mibench", "run", (dir / "c.json").c_str(), "--out",
                (dir / "out").c_str(), "--threads", "1", static_cast<char*>(nullptr));
        ::_exit(127);
      }
      long sleeper = 0;
      for (int i = 0; i < 200 && sleeper == 0; ++i) {  // up to 10 s for the call to start
        ::usleep(50000);
        std::ifstream(pid_file) >> sleeper;
      }
      REQUIRE(sleeper > 0);
      ::kill(pid, sig);
      int status = 0;
      ::waitpid(pid, &status, 0);
      CHECK(WIFSIGNALED(status));
      CHECK(WTERMSIG(status) == sig);
      CHECK(process_gone(sleeper));
      // The run's temporary folders (its own, or an isolated child's) are removed at once on
      // a catchable signal, and by the next mibench that makes one after SIGKILL.
      if (sig != SIGKILL) CHECK(stale_temp_folders() == 0);
      CHECK(mibench("estimate --x " + (dir / "a.csv") + " --y " + (dir / "a.csv") +
                    " --estimator 'external:command=[\"true\"]'")
                .code == 1);
      CHECK(stale_temp_folders() == 0);
      // The interrupted cell was never written: the folder holds no row.
      CHECK(mib::read_file(dir / "out/results.jsonl").empty());
    }
  }
}
