#include "estimators/spec.hpp"

#include "check.hpp"
#include "core/error.hpp"
#include "estimators/builtin.hpp"
#include "estimators/test_data.hpp"

using Catch::Matchers::Contains;

TEST_CASE("spec: the string and object forms parse to the same spec", "[estimators][spec]") {
  const auto a = mib::parse_spec(std::string("ksg:k=5"), "cli");
  const auto b = mib::parse_spec(nlohmann::json{{"name", "ksg"}, {"params", {{"k", 5}}}}, "cfg");
  CHECK(a.name == b.name);
  CHECK(a.params == b.params);
  CHECK(a.label == "ksg:k=5");
  CHECK(b.label == "ksg:k=5");
  const auto c = mib::parse_spec(nlohmann::json{{"name", "ksg"}, {"label", "KSG-5"}}, "cfg");
  CHECK(c.label == "KSG-5");
  CHECK(c.canonical() == "ksg");
  const auto d = mib::parse_spec(std::string("x:b=true,a=text,c=1.5"), "cli");
  CHECK(d.params == nlohmann::json{{"a", "text"}, {"b", true}, {"c", 1.5}});
  CHECK(d.canonical() == "x:a=text,b=true,c=1.5");
  // A list value keeps its commas.
  const auto e = mib::parse_spec(std::string("infonce:hidden=[32,16],lr=0.01"), "cli");
  CHECK(e.params == nlohmann::json{{"hidden", {32, 16}}, {"lr", 0.01}});
  CHECK(e.canonical() == "infonce:hidden=[32,16],lr=0.01");
}

TEST_CASE("spec: resolve merges defaults and builds the estimator", "[estimators][spec]") {
  const auto r = mib::resolve(mib::parse_spec(std::string("ksg2:k=4"), "cli"),
                              mib::builtin_estimators(), "cli");
  CHECK(r.params ==
        nlohmann::json{
            {"k", 4}, {"standardize", true}, {"noise", 0.0}, {"clip", false}, {"threads", 1}});
  CHECK(r.estimator->min_samples() == 5);
}

TEST_CASE("spec: malformed specs, unknown names, parameters and bad values are ConfigErrors",
          "[estimators][spec]") {
  using Row = std::pair<nlohmann::json, const char*>;
  const auto [j, expected] = GENERATE(
      Row{"ksgg", "name must be one of bi-ksg, cca, doe, dv, external, gaussian"},
      Row{"ksg:k", "key=value"}, Row{"ksg:k=1,k=2", "parameter k must be given once"},
      Row{"ksg:kk=3",
          "parameter name must be one of clip, k, noise, standardize, threads (closest: k)"},
      Row{"histogram:bin=10", "(closest: bins)"},
      // Labels become cell keys and table cells: no '|', no control characters.
      Row{nlohmann::json{{"name", "ksg"}, {"label", "two\nlines"}},
          "the label must be free of '|' and control characters (newlines, tabs), but is "
          "\"two\\nlines\""},
      Row{nlohmann::json{{"name", "ksg"}, {"label", "a|b"}}, "the label must be free of '|'"},
      Row{nlohmann::json{{"name", "ksg"}, {"label", "tab\there"}}, "the label must be free of"},
      Row{"external:command=[sh,-c,a|b]", "the label must be free of '|'"},
      Row{"ksg:k=0", "k must be an integer >= 1, but is 0"},
      Row{"ksg:k=abc", "k must be an integer, but is \"abc\""},
      Row{"gaussian:k=3", "absent (no parameters)"}, Row{":k=3", "estimator spec must be"},
      Row{nlohmann::json{{"params", {{"k", 3}}}}, "name must be a non-empty string"},
      Row{nlohmann::json{{"name", "ksg"}, {"extra", 1}}, "key must be one of name, params, label"},
      Row{nlohmann::json{{"name", "ksg"}, {"params", 3}}, "params must be an object"},
      Row{nlohmann::json(42), "a spec string or an object"});
  CAPTURE(j.dump());
  MIB_CHECK_THROWS(mib::resolve(mib::parse_spec(j, "where"), mib::builtin_estimators(), "where"),
                   mib::ConfigError, Contains(expected) && Contains("where"));
}

TEST_CASE("spec: isolation and the memory limit are object-form keys with checked values",
          "[estimators][spec]") {
  const auto s = mib::parse_spec(
      nlohmann::json{{"name", "ksg"}, {"isolation", "process"}, {"memory_limit_mb", 512}}, "cfg");
  CHECK(s.isolation == mib::Isolation::kProcess);
  CHECK(s.memory_limit_mb == 512);
  CHECK(s.label == "ksg");  // isolation does not change what is estimated
  CHECK(mib::parse_spec(std::string("ksg"), "cli").isolation == mib::Isolation::kThread);
  MIB_CHECK_THROWS(mib::parse_spec(nlohmann::json{{"name", "ksg"}, {"isolation", "fork"}}, "cfg"),
                   mib::ConfigError, Contains("isolation must be \"thread\" or \"process\""));
  MIB_CHECK_THROWS(
      mib::parse_spec(nlohmann::json{{"name", "ksg"}, {"memory_limit_mb", 512}}, "cfg"),
      mib::ConfigError, Contains("memory_limit_mb must be given with \"isolation\": \"process\""));
  MIB_CHECK_THROWS(
      mib::parse_spec(
          nlohmann::json{{"name", "ksg"}, {"isolation", "process"}, {"memory_limit_mb", -1}},
          "cfg"),
      mib::ConfigError, Contains("memory_limit_mb must be an integer in [1, 1073741824]"));
}

TEST_CASE("spec: bytes that are not UTF-8 are a ConfigError, not a crash (found by fuzzing)",
          "[estimators][spec]") {
  const std::string text =
      "lnc:k=~6<alpha=0.1~3\xff\xff"
      "7";
  MIB_CHECK_THROWS(mib::parse_spec(text, "cli"), mib::ConfigError,
                   Contains("cli: the estimator spec must be valid UTF-8"));
}

TEST_CASE("spec: a number given to a text parameter is taken as its text", "[estimators][spec]") {
  // kde:bandwidth=0.5 (the spec parser reads 0.5 as a JSON number) means bandwidth "0.5".
  const auto kde = mib::resolve(mib::parse_spec(std::string("kde:bandwidth=0.5"), "cli"),
                                mib::builtin_estimators(), "cli");
  const auto quoted = mib::resolve(mib::parse_spec(std::string("kde:bandwidth=\"0.5\""), "cli"),
                                   mib::builtin_estimators(), "cli");
  const auto data = mib::test::correlated(200, 1, 1, 0.6, 3);
  mib::Rng a(1), b(1);
  CHECK(kde.estimator->estimate(data.x, data.y, a).mi ==
        quoted.estimator->estimate(data.x, data.y, b).mi);
  CHECK_THROWS_WITH(mib::resolve(mib::parse_spec(std::string("kde:bandwidth=-0.5"), "cli"),
                                 mib::builtin_estimators(), "cli"),
                    Contains("bandwidth must be scott, silverman or a positive number"));
}

TEST_CASE("spec: a list of bare words is a list of strings (external:command=[python3,est.py])",
          "[estimators][spec]") {
  const auto bare =
      mib::parse_spec(std::string("external:command=[python3,est.py,{x},{y}]"), "cli");
  CHECK(bare.params["command"] == nlohmann::json::array({"python3", "est.py", "{x}", "{y}"}));
  // The JSON form means the same; a JSON value that is not a list of strings stays what it is.
  CHECK(mib::parse_spec(std::string(R"(external:command=["python3","est.py","{x}","{y}"])"), "cli")
            .params == bare.params);
  CHECK(mib::parse_spec(std::string("ksg-bmi:ks=[5,10]"), "cli").params["ks"] ==
        nlohmann::json::array({5, 10}));
  CHECK_NOTHROW(mib::resolve(bare, mib::builtin_estimators(), "cli"));
}
