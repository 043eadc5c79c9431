// The conditioning variable through the command line: a sweep of tasks with Z, its rows and
// report, a row reproduced by `sample` (PREFIX.z.npy) + `estimate --z`, and every bad pairing
// refused with exit code 2 and a message naming what to fix.
#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "core/files.hpp"
#include "run_mibench.hpp"
#include "temp_dir.hpp"

using Catch::Matchers::Contains;
using mib::test::check_refused;
using mib::test::mibench;
using mib::test::Refusal;
using mib::test::write;

TEST_CASE("cli: a sweep of tasks with Z, its rows and report, and a row reproduced", "[cli][cmi]") {
  const mib::test::TempDir dir("cli-cmi");
  write(dir / "c.json", R"({"schema_version": 1, "seed": 3, "replicates": 2, "sample_sizes": [400],
      "tasks": ["cmi-collider-1-0.8", "te-var-xy-2-0.5"],
      "estimators": ["ksg-cmi", "gaussian-cmi", "chain:ksg:k=4"]})");
  const auto run = mibench("run " + (dir / "c.json") + " --out " + (dir / "out"));
  REQUIRE(run.code == 0);
  CHECK_THAT(run.text, Contains("12 cells"));
  const std::string results = mib::read_file(dir / "out/results.jsonl");
  const auto row = nlohmann::json::parse(results.substr(0, results.find('\n')));
  CHECK(row["dim_z"] == 1);
  CHECK(row["mi_true"].get<double>() > 0.1);  // I(X; Y | Z) of the collider, not I(X; Y) = 0
  const auto report = mibench("report " + (dir / "out"));
  REQUIRE(report.code == 0);
  CHECK_THAT(mib::read_file(dir / "out/report.md"), Contains("I(X; Y | Z)"));
  const auto json = nlohmann::json::parse(mib::read_file(dir / "out/report.json"));
  CHECK(json["aggregates"][0]["dim_z"] == 1);
  CHECK_THAT(mib::read_file(dir / "out/report.csv"), Contains(",dim_z\n"));

  // sample writes PREFIX.z.npy; estimate --z gives the row's estimate exactly.
  REQUIRE(row["estimator"] == "ksg-cmi");
  const std::string seed = std::to_string(row["seed"].get<std::uint64_t>());
  const auto sample =
      mibench("sample cmi-collider-1-0.8 --n 400 --seed " + seed + " --out " + (dir / "s"));
  REQUIRE(sample.code == 0);
  CHECK_THAT(sample.text, Contains("s.{x,y,z}.npy"));
  REQUIRE(std::filesystem::exists(dir / "s.z.npy"));
  const std::string files =
      " --x " + (dir / "s.x.npy") + " --y " + (dir / "s.y.npy") + " --z " + (dir / "s.z.npy");
  const auto est = mibench("estimate" + files + " --estimator ksg-cmi --json");
  REQUIRE(est.code == 0);
  const auto j = nlohmann::json::parse(est.text);
  CHECK(j["mi"].get<double>() == row["estimate"].get<double>());
  CHECK(j["dim_z"] == 1);
  // An interval resamples the rows of x, y and z together.
  const auto ci = mibench("estimate" + files + " --estimator gaussian-cmi --ci 0.9 --json");
  REQUIRE(ci.code == 0);
  CHECK(nlohmann::json::parse(ci.text)["ci"]["failed"] == 0);
  // A task without Z writes no z file.
  REQUIRE(mibench("sample 1v1-normal-0.75 --n 10 --seed 1 --out " + (dir / "m")).code == 0);
  CHECK_FALSE(std::filesystem::exists(dir / "m.z.npy"));
  // list tasks shows dim_z; list estimators names the conditional ones and chain:.
  CHECK_THAT(mibench("list tasks").text, Contains("dim_z"));
  CHECK_THAT(mibench("list estimators").text,
             Contains("Estimators of I(X; Y | Z) (they need a conditioning variable): "
                      "gaussian-cmi, gcmi-cmi, ksg-cmi, mixed-ksg-cmi. Any other becomes one as "
                      "chain:<spec>"));
}

TEST_CASE("cli: a conditioning variable given where it does not belong, or missing, exits 2",
          "[cli][cmi]") {
  const mib::test::TempDir dir("cli-cmi-bad");
  REQUIRE(mibench("sample cmi-common-1-0.8-0.5 --n 300 --seed 1 --out " + (dir / "s")).code == 0);
  REQUIRE(mibench("sample cmi-common-1-0.8-0.5 --n 200 --seed 1 --out " + (dir / "short")).code ==
          0);
  const std::string xy = " --x " + (dir / "s.x.npy") + " --y " + (dir / "s.y.npy");
  int configs = 0;  // each its own file: the commands run after all are written
  auto config = [&](const std::string& tasks, const std::string& estimators) {
    const std::string path = dir / ("c" + std::to_string(++configs) + ".json");
    write(path, R"({"schema_version": 1, "seed": 1, "replicates": 1, "sample_sizes": [300],
        "tasks": [)" +
                    tasks + R"(], "estimators": [)" + estimators + "]}");
    return "run " + path + " --out " + (dir / "never");
  };
  check_refused(
      {
          // A CMI estimator without Z; an MI estimator given Z; a Z of another length.
          {"estimate" + xy + " --estimator ksg-cmi",
           "the conditioning variable Z must be given (--z): ksg-cmi estimates I(X; Y | Z)"},
          {"estimate" + xy + " --z " + (dir / "s.z.npy") + " --estimator ksg",
           "--z must be given only with estimators of I(X; Y | Z) (gaussian-cmi, gcmi-cmi, "
           "ksg-cmi, mixed-ksg-cmi, or chain:ksg), but ksg estimates I(X; Y)"},
          {"estimate" + xy + " --z " + (dir / "short.z.npy") + " --estimator ksg-cmi",
           "the row counts of x and z must be equal, but is 300 and 200"},
          {"estimate" + xy + " --z " + (dir / "missing.npy") + " --estimator ksg-cmi",
           "missing.npy"},
          // consistency has no conditional form.
          {"consistency" + xy + " --estimator ksg-cmi", "the self-consistency tests have no"},
          // Configs pairing a task with Z and an MI estimator, and the other way round.
          {config(R"("cmi-chain-1-0.8")", R"("ksg")"),
           "estimator \"ksg\" for task \"cmi-chain-1-0.8\" (whose truth is I(X; Y | Z), dim_z "
           "= 1) must be an estimator of I(X; Y | Z)"},
          {config(R"("1v1-normal-0.75")", R"("ksg-cmi")"),
           "estimator \"ksg-cmi\" for task \"1v1-normal-0.75\" (whose truth is I(X; Y), no Z) "
           "must be an estimator of I(X; Y)"},
          {config(R"("cmi-chain-1-0.8")", R"("chain:ksg-cmi")"), "already estimates I(X; Y | Z)"},
      },
      {dir / "never"});
  // chain: makes any estimator conditional, so that pairing runs.
  CHECK(mibench(config(R"("cmi-chain-1-0.8")", R"("chain:gaussian")")).code == 0);
}
