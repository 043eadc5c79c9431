#include "suite/config.hpp"

#include "check.hpp"
#include "core/error.hpp"
#include "estimators/builtin.hpp"
#include "suite/grid.hpp"

using Catch::Matchers::Contains;

namespace {
nlohmann::json valid() {
  return nlohmann::json::parse(R"({
    "schema_version": 1, "seed": 3, "replicates": 2, "sample_sizes": [100, 200],
    "tasks": ["1v1-normal-0.75", {"family": "multinormal-dense", "params": {"dim": [2, 4], "corr": [0.3, 0.5]}}],
    "estimators": ["ksg", {"name": "ksg", "params": {"k": 5}, "label": "KSG-5"}, "gaussian"]
  })");
}
mib::Config parse(const nlohmann::json& j) {
  return mib::parse_config(j, "c.json", mib::builtin_catalog(), mib::builtin_estimators());
}
}  // namespace

TEST_CASE("config: families expand over list-valued parameters; the grid is canonical",
          "[suite][config]") {
  const mib::Config c = parse(valid());
  REQUIRE(c.tasks.size() == 5);
  CHECK(c.tasks[0].id == "1v1-normal-0.75");
  CHECK(c.tasks[1].id == "multinormal-dense-2-2-0.3");
  CHECK(c.tasks[4].id == "multinormal-dense-4-4-0.5");
  CHECK(c.estimators[1].spec.label == "KSG-5");
  CHECK(c.estimators[1].params["k"] == 5);
  CHECK(c.estimators[1].params["standardize"] == true);
  CHECK(c.cell_time_limit_s == 600);
  CHECK(c.hash.size() == 16);
  const auto groups = mib::expand_grid(c);
  CHECK(groups.size() == 5 * 2 * 2);
  CHECK(groups[1].replicate == 1);
  CHECK(groups[2].n == 200);
  CHECK(groups[0].seed == mib::derive_seed(3, "1v1-normal-0.75", 100, 0));
  CHECK(mib::cell_key("t", 100, 2, "KSG-5") == "t|100|2|KSG-5");
}

TEST_CASE("config: replicates_by_n and max_n shape the grid; every enumerator agrees",
          "[suite][config]") {
  nlohmann::json j = valid();
  j["replicates_by_n"] = {{"200", 1}};
  j["max_n"] = {{"KSG-5", 100}, {"gaussian", 200}};
  const mib::Config c = parse(j);
  CHECK(c.replicates_at(100) == 2);
  CHECK(c.replicates_at(200) == 1);
  CHECK(c.estimators_at(100) == std::vector<std::size_t>{0, 1, 2});
  CHECK(c.estimators_at(200) == std::vector<std::size_t>{0, 2});
  const auto groups = mib::expand_grid(c);
  CHECK(groups.size() == 5 * (2 + 1));
  CHECK(groups[2].n == 200);
  CHECK(groups[2].replicate == 0);
  // Seeds do not depend on the new keys: a group's samples are those of the plain grid.
  CHECK(groups[2].seed == mib::derive_seed(3, "1v1-normal-0.75", 200, 0));
}

TEST_CASE("config: @lists expand to the catalogue's named lists", "[suite][config]") {
  nlohmann::json j = valid();
  j["tasks"] = {"@bmi-v2", "1v1-normal-0.75"};
  j["standardize"] = true;
  const mib::Config c = parse(j);
  CHECK(c.tasks.size() == 27);
  CHECK(c.tasks[2].id == "1v1-X-0.9");
  CHECK(c.standardize);
  j["tasks"] = {"@bmi-v2", "1v1-X-0.9"};
  CHECK_THROWS_WITH(parse(j), Contains("task 1v1-X-0.9 must be listed once"));
  j["tasks"] = {"@nope"};
  CHECK_THROWS_WITH(parse(j), Contains("c.json: tasks[0]: the task list must be one of @bmi-v1"));
}

TEST_CASE("config: every bad key or value is a ConfigError naming the file and key",
          "[suite][config]") {
  struct Case {
    const char* key;
    nlohmann::json value;
    const char* expected;
  };
  const auto c = GENERATE(
      Case{"schema_version", 2, "c.json: schema_version: the value must be 1, but is 2"},
      Case{"seed", -1, "c.json: seed: the value must be an integer"},
      Case{"seed", "x", "c.json: seed"},
      Case{"replicates", 0,
           "c.json: replicates: the value must be an integer in [1, 100000], but is 0"},
      Case{"sample_sizes", nlohmann::json::array(),
           "c.json: sample_sizes: the value must be a non-empty list"},
      Case{
          "sample_sizes", {100, 1}, "c.json: sample_sizes[1]: the value must be an integer in [2,"},
      Case{"sample_sizes", {100, 100}, "sample_sizes[1]: the value must be listed once"},
      Case{"tasks", {"no-such-task"}, "c.json: tasks[0]: the task id must be a catalogue id"},
      Case{"tasks",
           {"1v1-normal-0.75", "1v1-normal-0.75"},
           "tasks[1]: task 1v1-normal-0.75 must be listed once"},
      Case{"tasks", {{{"family", "nope"}}}, "tasks[0]: task family: name must be one of"},
      Case{"tasks",
           {{{"family", "multinormal-dense"}, {"params", {{"dim", 0}}}}},
           "dim must be in [1, 4096]"},
      Case{"tasks",
           {{{"family", "multinormal-dense"}, {"params", {{"dims", 2}}}}},
           "parameter name must be one of corr, dim"},
      Case{"tasks",
           {{{"family", "multinormal-dense"}, {"params", {{"dim", nlohmann::json::array()}}}}},
           "must be non-empty"},
      Case{"tasks", {{{"familly", "x"}}}, "tasks[0]: key must be family or params"},
      Case{"tasks", {3}, "tasks[0]: a task must be an id string"},
      Case{"estimators", {"ksg", "ksg"}, "estimators[1]: the label ksg must be unique"},
      Case{"estimators",
           {"ksg:k=0"},
           "estimators[0]: estimator ksg: k must be an integer >= 1, but is 0"},
      Case{"estimators", {"kgs"}, "estimators[0]: estimator: name must be one of"},
      Case{"cell_time_limit_s", 0, "cell_time_limit_s: the value must be a number in (0, 2592000]"},
      // Numbers that pass a sign check and then break everything: each is out of its range.
      Case{"cell_time_limit_s", 1e10,
           "cell_time_limit_s: the value must be a number in (0, 2592000]"},
      Case{"cell_time_limit_s", -1,
           "cell_time_limit_s: the value must be a number in (0, 2592000]"},
      Case{"seed", -1,
           "seed: the value must be an integer in [0, 18446744073709551615], but is -1"},
      Case{"seed", 1.5, "seed: the value must be an integer in [0, 18446744073709551615]"},
      Case{"replicates", 1e12, "replicates: the value must be an integer in [1, 100000]"},
      Case{"sample_sizes",
           {1000000000},
           "sample_sizes[0]: the value must be an integer in [2, 100000000]"},
      Case{"estimators",
           {{{"name", "ksg"}, {"isolation", "process"}, {"memory_limit_mb", 17592186044416}}},
           "memory_limit_mb must be an integer in [1, 1073741824]"},
      Case{"standardize", "yes", "standardize: the value must be true or false"},
      Case{"sead", 1, "c.json: key must be one of schema_version"},
      Case{"replicates_by_n", 3, "c.json: replicates_by_n: the value must be an object"},
      Case{"replicates_by_n",
           {{"150", 1}},
           "c.json: replicates_by_n: key \"150\" must be one of sample_sizes"},
      Case{"replicates_by_n",
           {{"100", 0}},
           "c.json: replicates_by_n.100: the value must be an integer in [1, 100000], but is 0"},
      Case{"max_n", {1}, "c.json: max_n: the value must be an object"},
      Case{"max_n", {{"KSG5", 100}}, "c.json: max_n: key \"KSG5\" must be an estimator's label"},
      Case{"max_n", {{"KSG-5", 1}}, "c.json: max_n.KSG-5: the value must be an integer in [100,"},
      // Below the smallest sample size the estimator would have no cell at all.
      Case{"max_n", {{"ksg", 99}}, "c.json: max_n.ksg: the value must be an integer in [100,"});
  CAPTURE(c.key, c.value.dump());
  nlohmann::json j = valid();
  j[c.key] = c.value;
  MIB_CHECK_THROWS(parse(j), mib::Error, Contains(c.expected));
}

TEST_CASE("config: missing keys and non-object configs are named", "[suite][config]") {
  for (const char* key :
       {"schema_version", "seed", "replicates", "sample_sizes", "tasks", "estimators"}) {
    nlohmann::json j = valid();
    j.erase(key);
    CHECK_THROWS_WITH(
        parse(j), Contains(std::string("c.json: key ") + key + " must be present, but is missing"));
  }
  nlohmann::json several = valid();
  several.erase("seed");
  several.erase("tasks");
  CHECK_THROWS_WITH(parse(several),
                    Contains("c.json: keys seed, tasks must be present, but is missing"));
  CHECK_THROWS_WITH(parse(nlohmann::json::array()), Contains("must be a JSON object"));
  // A missing file is its own class (FileNotFoundError in Python); the CLI exits 2 for either.
  MIB_CHECK_THROWS(
      mib::load_config("/nonexistent/c.json", mib::builtin_catalog(), mib::builtin_estimators()),
      mib::MissingFile, Contains("/nonexistent/c.json"));
}
