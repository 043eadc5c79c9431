// The mibench binary end to end: outputs, reproducibility from a results row, and the exit
// code 2 with a message naming the problem for every kind of bad input.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/random/uniform_real_distribution.hpp>
#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/files.hpp"
#include "core/memory.hpp"
#include "core/npy.hpp"
#include "core/rng.hpp"
#include "suite/result_store.hpp"
#include "temp_dir.hpp"

using Catch::Matchers::Contains;

namespace {

struct Output {
  int code;
  std::string text;  // stdout and stderr together
};

Output mibench(const std::string& args) {
  const std::string command = std::string(MIB_MIBENCH) + " " + args + " 2>&1";
  std::FILE* pipe = ::popen(command.c_str(), "r");
  REQUIRE(pipe);
  std::string text;
  char buffer[4096];
  while (std::size_t got = std::fread(buffer, 1, sizeof buffer, pipe)) text.append(buffer, got);
  const int status = ::pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, text};
}

void write(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

const std::string kData = std::string(MIB_TEST_DATA);

std::string small_config(const std::string& time_limit = "60") {
  return R"({"schema_version": 1, "seed": 5, "replicates": 2, "sample_sizes": [300],
             "tasks": ["1v1-normal-0.75", {"family": "multinormal-dense", "params": {"dim": [2]}}],
             "estimators": ["ksg", "gaussian"], "cell_time_limit_s": )" +
         time_limit + "}";
}

}  // namespace

TEST_CASE("cli: list prints the catalogue and the estimators, also as JSON", "[cli]") {
  const auto tasks = mibench("list tasks --json");
  REQUIRE(tasks.code == 0);
  const auto t = nlohmann::json::parse(tasks.text);
  REQUIRE(t.size() >= 10);
  CHECK(t[0]["id"] == "1v1-normal-0.75");
  for (const char* key : {"id", "dim_x", "dim_y", "mi", "mi_se", "source"})
    CHECK(t[0].contains(key));
  const auto est = nlohmann::json::parse(mibench("list estimators --json").text);
  std::map<std::string, nlohmann::json> params;
  for (const auto& e : est) params[e["name"]] = e["params"];
  for (const char* name :
       {"ksg", "ksg2", "gaussian", "cca", "kl", "ksg-bmi", "bi-ksg", "mixed-ksg"}) {
    CHECK(params.count(name) == 1);
  }
  CHECK(params["ksg"] ==
        nlohmann::json{
            {"k", 3}, {"standardize", true}, {"noise", 0.0}, {"clip", false}, {"threads", 1}});
  CHECK_THAT(mibench("list tasks").text, Contains("multinormal-sparse-25-25-2-2.0"));
  CHECK(mibench("run --help").code == 0);
}

TEST_CASE("cli: run, report, and a results row reproduced by sample + estimate", "[cli]") {
  const mib::test::TempDir dir("cli-run");
  write(dir / "c.json", small_config());
  const auto run = mibench("run " + (dir / "c.json") + " --out " + (dir / "out") + " --threads 2");
  REQUIRE(run.code == 0);
  CHECK_THAT(run.text, Contains("8 cells"));
  const auto report = mibench("report " + (dir / "out"));
  REQUIRE(report.code == 0);
  CHECK_THAT(report.text, Contains("| ksg | 1v1-normal-0.75 | 300 | 0.4133 |"));
  for (const char* ext : {"md", "csv", "json"}) {
    CHECK(std::filesystem::exists(dir / (std::string("out/report.") + ext)));
  }
  const auto provenance =
      nlohmann::json::parse(mib::read_file(dir / "out/report.json"))["provenance"];
  for (const char* key : {"mibench_version", "git_commit", "compiler", "compiler_flags",
                          "eigen_version", "boost_version", "config", "config_hash", "seed"}) {
    CHECK(provenance.contains(key));
  }
  // The build type's flags are recorded (they had been empty).
  CHECK_THAT(provenance["compiler_flags"].get<std::string>(), Contains("-O"));

  // The row's seed regenerates its sample; the estimate on it is the row's estimate, exactly.
  const std::string results = mib::read_file(dir / "out/results.jsonl");
  const auto row = nlohmann::json::parse(results.substr(0, results.find('\n')));
  REQUIRE(row["estimator"] == "ksg");
  const std::string seed = std::to_string(row["seed"].get<std::uint64_t>());
  for (const char* format : {"npy", "csv"}) {
    CAPTURE(format);
    REQUIRE(mibench("sample 1v1-normal-0.75 --n 300 --seed " + seed + " --format " + format +
                    " --out " + (dir / "s"))
                .code == 0);
    const auto est = mibench(std::string("estimate --x ") + (dir / "s.x.") + format + " --y " +
                             (dir / "s.y.") + format + " --estimator ksg --json");
    REQUIRE(est.code == 0);
    const auto j = nlohmann::json::parse(est.text);
    CHECK(j["mi"].get<double>() == row["estimate"].get<double>());
    CHECK(j["n"] == 300);
    CHECK(j["seconds"].get<double>() >= 0);
  }
  // Text output of estimate, with a spec.
  CHECK_THAT(mibench("estimate --x " + (dir / "s.x.npy") + " --y " + (dir / "s.y.npy") +
                     " --estimator ksg2:k=4")
                 .text,
             Contains("ksg2:k=4: "));
}

TEST_CASE("cli: baseline and check gate a run: 0 when it agrees, 1 on a regression, 2 on bad input",
          "[cli]") {
  const mib::test::TempDir dir("cli-gate");
  write(dir / "c.json", small_config());
  REQUIRE(mibench("run " + (dir / "c.json") + " --out " + (dir / "out")).code == 0);
  REQUIRE(mibench("baseline " + (dir / "out") + " --out " + (dir / "base.json")).code == 0);
  const auto pass = mibench("check " + (dir / "out") + " --baseline " + (dir / "base.json"));
  CHECK(pass.code == 0);
  CHECK_THAT(pass.text, Contains("check passed: 4 cells"));
  auto base = nlohmann::json::parse(mib::read_file(dir / "base.json"));
  base["entries"][0]["mean"] = base["entries"][0]["mean"].get<double>() + 1.0;
  write(dir / "shifted.json", base.dump());
  const auto fail = mibench("check " + (dir / "out") + " --baseline " + (dir / "shifted.json"));
  CHECK(fail.code == 1);
  CHECK_THAT(fail.text, Contains("shifted") && Contains("check failed: 1 regressions"));
  CHECK(mibench("check " + (dir / "out") + " --baseline " + (dir / "nope.json")).code == 2);
  CHECK(mibench("check " + (dir / "out") + " --baseline " + (dir / "base.json") + " --sigmas -1")
            .code == 2);
}

TEST_CASE("cli: truth checks a stated MI by Monte Carlo; sample --standardize standardises",
          "[cli]") {
  const auto truth =
      mibench("truth 1v1-normal-0.75 student-identity-1-1-1 --draws 40000 --seed 3 --json");
  REQUIRE(truth.code == 0);
  const auto rows = nlohmann::json::parse(truth.text);
  REQUIRE(rows.size() == 2);
  for (const auto& r : rows) {
    CHECK(std::abs(r["z"].get<double>()) < 4);
    CHECK(r["mc_se"].get<double>() < 0.01);
  }
  CHECK(rows[0]["mi"].get<double>() == Approx(0.413339).margin(1e-6));
  CHECK(mibench("truth @nope").code == 2);

  const mib::test::TempDir dir("cli-standardize");
  REQUIRE(
      mibench("sample 1v1-additive-0.1 --n 500 --seed 1 --standardize --out " + (dir / "s")).code ==
      0);
  const mib::Matrix y = mib::read_npy(dir / "s.y.npy");
  CHECK(y.mean() == Approx(0).margin(1e-12));
  CHECK((y.array() - y.mean()).square().mean() == Approx(1).epsilon(1e-12));
}

TEST_CASE("cli: cells over the time limit fail, the sweep finishes, exit code 1", "[cli]") {
  const mib::test::TempDir dir("cli-timeout");
  write(dir / "c.json", small_config("1e-9"));
  const auto run = mibench("run " + (dir / "c.json") + " --out " + (dir / "out"));
  CHECK(run.code == 1);
  CHECK_THAT(run.text, Contains("8 failed"));
  CHECK_THAT(mib::read_file(dir / "out/results.jsonl"), Contains("\"status\":\"timeout\""));
  CHECK(mibench("report " + (dir / "out")).code == 0);
}

TEST_CASE("cli: every bad input exits 2 with a message that names it", "[cli]") {
  const mib::test::TempDir dir("cli-bad");
  write(dir / "bad.json", "{\"schema_version\": 1,");
  write(dir / "unknown_key.json", "{\"schema_version\": 1, \"sed\": 3}");
  write(dir / "nan.csv", "1,2\n3,nan\n");
  write(dir / "one.csv", "1\n2\n3\n4\n5\n");
  write(dir / "six.csv", "1\n2\n3\n4\n5\n6\n");
  write(dir / "c.json", small_config());
  const std::string npy = kData + "/npy/";
  struct Case {
    std::string args;
    const char* expected;
  };
  const std::vector<Case> cases{
      Case{"", "A subcommand is required"},
      Case{"frobnicate", "frobnicate"},
      Case{"list widgets", "widgets"},
      Case{"run " + (dir / "missing.json") + " --out " + (dir / "o"), "missing.json"},
      Case{"run " + (dir / "bad.json") + " --out " + (dir / "o"),
           "bad.json: the file must be valid JSON"},
      Case{"run " + (dir / "unknown_key.json") + " --out " + (dir / "o"), "key must be one of"},
      Case{"run " + (dir / "c.json") + " --out " + (dir / "o") + " --threads 0", "--threads"},
      Case{"run " + (dir / "c.json"), "--out is required"},
      Case{"run " + (dir / "c.json") + " --out " + (dir / "o") + " --shard 4/3",
           "the shard must be i/N"},
      Case{"merge " + (dir / "nowhere") + " --out " + (dir / "o"), "manifest.json"},
      Case{"estimate --x " + (dir / "missing.npy") + " --y " + (dir / "one.csv") +
               " --estimator ksg",
           "missing.npy"},
      Case{"estimate --x " + npy + "fortran.npy --y " + npy + "fortran.npy --estimator ksg",
           "fortran_order"},
      Case{"estimate --x " + npy + "int64.npy --y " + npy + "f8_2x3.npy --estimator ksg",
           "float64 or float32"},
      Case{"estimate --x " + (dir / "one.csv") + " --y " + (dir / "one.csv") +
               " --estimator ksg:k=0",
           "k must be an integer >= 1"},
      Case{"estimate --x " + (dir / "one.csv") + " --y " + (dir / "one.csv") + " --estimator nope",
           "closest"},
      Case{"estimate --x " + (dir / "one.csv") + " --y " + (dir / "six.csv") + " --estimator ksg",
           "row counts"},
      Case{"estimate --x " + (dir / "nan.csv") + " --y " + (dir / "nan.csv") + " --estimator ksg",
           "nan.csv:2 column 2"},
      Case{"estimate --x " + (dir / "one.csv") + " --y " + (dir / "one.csv") +
               " --estimator ksg:k=9",
           "n must be >= 10 for ksg:k=9 (set by k=9), but is 5"},
      Case{"estimate --x " + (dir / "one.csv") + " --y " + (dir / "one.csv") +
               " --estimator infonce",
           "for infonce (set by batch=256, split="},
      Case{
          "consistency --x " + (dir / "one.csv") + " --y " + (dir / "one.csv") + " --estimator ksg",
          "n must be >= 8 for ksg (set by k=3), twice its minimum"},
      Case{"estimate --x " + (dir / "c.json") + " --y " + (dir / "one.csv") + " --estimator ksg",
           ".npy or .csv"},
      Case{"sample no-such-task --n 10 --seed 1 --out " + (dir / "s"), "closest"},
      Case{"sample 1v1-normal-0.75 --n 10 --seed 1 --format xml --out " + (dir / "s"), "--format"},
      Case{"sample 1v1-normal-0.75 --n 0 --seed 1 --out " + (dir / "s"), "--n"},
      Case{"sample 1v1-normal-0.75 --n 10 --seed 1 --out ''",
           "--out: the output prefix must be a path ending in a file name stem"},
      Case{"sample 1v1-normal-0.75 --n 10 --seed 1 --out " + dir.str() + "/",
           "--out: the output prefix must be a path ending in a file name stem"},
      Case{"sample 1v1-normal-0.75 --n 10 --seed 1 --out /nonexistent/dir/s",
           "/nonexistent/dir/s.x.npy"},
      Case{"report " + (dir / "nowhere"), "results.jsonl"},
      Case{"report " + dir.str() + " --format md,pdf", "one of csv, html, json, md, svg, tex"},
      Case{"estimate --x " + (dir / "one.csv") + " --y " + (dir / "one.csv") +
               " --estimator gaussian --ci 1.5",
           "--ci: the value must be a finite number in [0, 1], but is 1.5"},
      Case{"estimate --x " + (dir / "one.csv") + " --y " + (dir / "one.csv") +
               " --estimator gaussian --ci 0.9 --resample jackknife",
           "subsample or bootstrap"},
      Case{"consistency --x " + (dir / "one.csv") + " --y " + (dir / "one.csv") +
               " --estimator gaussian --permutations 1",
           "--permutations"},
      Case{
          "consistency --x " + (dir / "one.csv") + " --y " + (dir / "six.csv") + " --estimator ksg",
          "row counts"}};
  for (const auto& c : cases) {
    CAPTURE(c.args);
    const auto out = mibench(c.args);
    CHECK(out.code == 2);
    CHECK_THAT(out.text, Contains(c.expected));
    CHECK_FALSE(std::filesystem::exists(dir / "o/results.jsonl"));
    CHECK_FALSE(std::filesystem::exists(dir / "report.md"));
  }
}

TEST_CASE("cli: every numeric flag refuses NaN, infinity, a sign, wrap-around and its range",
          "[cli]") {
  const mib::test::TempDir dir("cli-numbers");
  write(dir / "one.csv", "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n");
  write(dir / "c.json", small_config());
  const std::string xy = " --x " + (dir / "one.csv") + " --y " + (dir / "one.csv");
  const std::string sample = "sample 1v1-normal-0.75 --out " + (dir / "s");
  struct Case {
    std::string args;
    const char* expected;
  };
  const std::vector<Case> cases{
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
  for (const auto& c : cases) {
    CAPTURE(c.args);
    const auto out = mibench(c.args);
    CHECK(out.code == 2);
    CHECK_THAT(out.text, Contains(c.expected));
    CHECK_FALSE(std::filesystem::exists(dir / "s.x.npy"));
    CHECK_FALSE(std::filesystem::exists(dir / "o"));
  }
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
  struct Case {
    std::string args;
    const char* expected;
  };
  const std::vector<Case> cases{
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
  for (const auto& c : cases) {
    CAPTURE(c.args.substr(0, 300));
    const auto out = mibench(c.args);
    CHECK(out.code == 2);
    CHECK_THAT(out.text, Contains(c.expected));
    CHECK_FALSE(std::filesystem::exists(dir / "o"));
  }
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
  struct Case {
    std::string args;
    const char* expected;
  };
  std::vector<Case> cases{
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
  for (const auto& c : cases) {
    CAPTURE(c.args);
    const auto out = mibench(c.args);
    CHECK(out.code == 2);
    CHECK_THAT(out.text, Contains(c.expected));
    CHECK_FALSE(std::filesystem::exists(dir / "o"));
    CHECK_FALSE(std::filesystem::exists(dir / "s.x.npy"));
  }
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
  struct Case {
    std::string file;
    const char* expected;
  };
  const std::vector<Case> cases{
      {npy("huge.npy",
           "{'descr': '<f8', 'fortran_order': False, 'shape': (2305843009213693952, 1), }", 40),
       "the shape must be one whose data fits in memory"},
      {npy("e23.npy",
           "{'descr': '<f8', 'fortran_order': False, 'shape': (100000000000000000000000, 1), }",
           40),
       "each extent of shape must be at most 2^64 - 1"},
      {npy("float_shape.npy", "{'descr': '<f8', 'fortran_order': False, 'shape': (2.5, 16), }", 40),
       "a shape of non-negative integers"},
      {npy("negative.npy", "{'descr': '<f8', 'fortran_order': False, 'shape': (-40,), }", 40),
       "a shape of non-negative integers"},
      {npy("twice.npy",
           "{'descr': '<f8', 'fortran_order': False, 'shape': (40,), 'shape': (20, 2), }", 40),
       "each key of the .npy header must be given once, but is \"shape\" twice"},
      {npy("three_d.npy", "{'descr': '<f8', 'fortran_order': False, 'shape': (10, 2, 2), }", 40),
       "1-D or 2-D"},
      {dir / "folder.npy", "folder.npy: the path must be a file, but is a directory"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.file);
    const auto out = mibench("estimate --x " + c.file + " --y " + good + " --estimator gaussian");
    CHECK(out.code == 2);
    CHECK_THAT(out.text, Contains(c.expected));
  }
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

TEST_CASE("cli: kill -9 at random moments, resumed each time, equals an uninterrupted run",
          "[cli]") {
  const mib::test::TempDir dir("cli-kill");
  write(dir / "c.json",
        R"({"schema_version": 1, "seed": 1, "replicates": 6, "sample_sizes": [1500, 3000],
      "tasks": ["multinormal-dense-5-5-0.5", "multinormal-sparse-3-3-2-2.0"], "estimators": ["ksg", "ksg2", "gaussian"]})");
  REQUIRE(mibench("run " + (dir / "c.json") + " --out " + (dir / "full") + " --threads 2").code ==
          0);
  // kill -9 at random moments (seeded: 0.02 … 0.35 s after the start, so during sampling,
  // estimation, appends and the final rewrite alike), resuming into the same folder each time;
  // whatever is left after a kill must resume without a lost or duplicated cell.
  mib::Rng rng(42);
  boost::random::uniform_real_distribution<double> delay(0.02, 0.35);
  std::size_t partial = 0;
  for (int round = 0; round < 8; ++round) {
    char seconds[16];
    std::snprintf(seconds, sizeof seconds, "%.3f", delay(rng));
    const std::string command = "timeout -s KILL " + std::string(seconds) + " " +
                                std::string(MIB_MIBENCH) + " run " + (dir / "c.json") + " --out " +
                                (dir / "killed") + " --threads 2 >/dev/null 2>&1";
    const int code = WEXITSTATUS(std::system(command.c_str()));
    CAPTURE(round, seconds, code);
    CHECK((code == 137 || code == 0));  // killed, or it finished first
    if (round == 0 && std::filesystem::exists(dir / "killed/results.jsonl"))
      partial = mib::read_file(dir / "killed/results.jsonl").size();
  }
  const auto rerun =
      mibench("run " + (dir / "c.json") + " --out " + (dir / "killed") + " --threads 2");
  REQUIRE(rerun.code == 0);
  auto untimed = [](const std::string& text) {
    auto rows = mib::parse_results(text, "results.jsonl");
    for (auto& r : rows) r = mib::without_timing(r);
    return rows;
  };
  const auto full = untimed(mib::read_file(dir / "full/results.jsonl"));
  CHECK(full.size() == 2 * 2 * 6 * 3);
  CHECK(untimed(mib::read_file(dir / "killed/results.jsonl")) == full);
  CAPTURE(partial);
  CHECK(partial < mib::read_file(dir / "full/results.jsonl").size());  // it really was cut short
}

TEST_CASE("cli: estimate with several estimators and intervals; consistency on user data",
          "[cli]") {
  const mib::test::TempDir dir("cli-user");
  REQUIRE(mibench("sample multinormal-dense-2-2-0.5 --n 2000 --seed 3 --out " + (dir / "e")).code ==
          0);
  const std::string files = " --x " + (dir / "e.x.npy") + " --y " + (dir / "e.y.npy");
  const auto out =
      mibench("estimate" + files + " --estimator ksg --estimator gaussian --ci 0.9 --json");
  REQUIRE(out.code == 0);
  std::istringstream lines(out.text);
  std::vector<nlohmann::json> rows;
  for (std::string line; std::getline(lines, line);) rows.push_back(nlohmann::json::parse(line));
  REQUIRE(rows.size() == 2);  // one JSON object per estimator
  CHECK(rows[0]["estimator"] == "ksg");
  CHECK(rows[1]["estimator"] == "gaussian");
  for (const auto& r : rows) {
    CAPTURE(r.dump());
    CHECK(r["ci"]["method"] == "subsample");
    CHECK(r["ci"]["low"].get<double>() < r["mi"].get<double>());
    CHECK(r["ci"]["high"].get<double>() > r["mi"].get<double>());
    // The true MI, 0.2939, lies inside (a 90% interval of an almost unbiased estimator).
    CHECK(r["ci"]["low"].get<double>() < 0.2939);
    CHECK(r["ci"]["high"].get<double>() > 0.2939);
  }
  // The bootstrap duplicates rows: refused for k-NN estimators (they read duplicates as ties
  // and dependence), given with a warning for the others.
  const auto knn_bootstrap = mibench("estimate" + files +
                                     " --estimator gaussian --estimator ksg2 --ci 0.95 "
                                     "--resample bootstrap --resamples 10");
  CHECK(knn_bootstrap.code == 2);
  CHECK_THAT(knn_bootstrap.text,
             Contains("--resample: bootstrap must be used only with estimators that tolerate "
                      "duplicated rows, not with ksg2"));
  const auto bootstrap = mibench("estimate" + files +
                                 " --estimator gaussian --ci 0.95 --resample bootstrap "
                                 "--resamples 10");
  CHECK_THAT(bootstrap.text, Contains("(95% bootstrap interval, 10 resamples)") &&
                                 Contains("warning: gaussian: bootstrap resamples repeat rows"));
  const auto bootstrap_json = nlohmann::json::parse(
      mibench("estimate" + files +
              " --estimator gaussian --ci 0.95 --resample bootstrap --resamples 10 --json")
          .text);
  CHECK_THAT(bootstrap_json["ci"]["warning"].get<std::string>(), Contains("biased upwards"));
  // KSG is self-consistent on a 1 + 1-dim pair at n = 8000 (in 2 + 2 dims at n = 2000 its
  // additivity ratio is 0.86: the doubled dimension costs it).
  REQUIRE(mibench("sample 1v1-normal-0.75 --n 8000 --seed 3 --out " + (dir / "c")).code == 0);
  const std::string pair = " --x " + (dir / "c.x.npy") + " --y " + (dir / "c.y.npy");
  const auto table = mibench("consistency" + pair + " --estimator ksg --permutations 5");
  CHECK(table.code == 0);
  CHECK_THAT(table.text, Contains("| ksg | 0.4"));
  CHECK_THAT(table.text, Contains("| consistent |"));
  const auto json = mibench("consistency" + files + " --estimator histogram:bins=20 --json");
  CHECK(json.code == 1);  // the 20-bin histogram sees MI in shuffled data
  const auto j = nlohmann::json::parse(json.text);
  CHECK_FALSE(j["consistent"].get<bool>());
  CHECK_FALSE(j["independence"]["ok"].get<bool>());
}

TEST_CASE("cli: estimators in process isolation give the same results as in threads", "[cli]") {
  const mib::test::TempDir dir("cli-isolation");
  const std::string base =
      R"({"schema_version": 1, "seed": 4, "replicates": 2, "sample_sizes": [400],
    "tasks": ["1v1-normal-0.75", "multinormal-sparse-3-3-2-2.0"], "estimators": )";
  write(dir / "thread.json", base + R"(["ksg", "gaussian"]})");
  write(dir / "process.json",
        base + R"([{"name": "ksg", "isolation": "process", "memory_limit_mb": 1024},
                    {"name": "gaussian", "isolation": "process"}]})");
  REQUIRE(mibench("run " + (dir / "thread.json") + " --out " + (dir / "t") + " --threads 2").code ==
          0);
  REQUIRE(
      mibench("run " + (dir / "process.json") + " --out " + (dir / "p") + " --threads 2").code ==
      0);
  const auto t = mib::parse_results(mib::read_file(dir / "t/results.jsonl"), "t");
  const auto p = mib::parse_results(mib::read_file(dir / "p/results.jsonl"), "p");
  REQUIRE(t.size() == p.size());
  for (std::size_t i = 0; i < t.size(); ++i) {
    CHECK(t[i]["key"] == p[i]["key"]);
    CHECK(t[i]["estimate"] == p[i]["estimate"]);  // the same bits
  }
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
