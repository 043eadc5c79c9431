#include "core/params.hpp"

#include "check.hpp"
#include "core/error.hpp"

using Catch::Matchers::Contains;

namespace {
struct Example {
  int k = 3;
  double alpha = 0.5;
  bool flag = false;
  std::string mode = "a";
  template <class V>
  void visit(V& v) {
    v("k", k, ">= 1", [](int value) { return value >= 1; });
    v("alpha", alpha, "in (0, 1)", [](double a) { return a > 0 && a < 1; });
    v("flag", flag);
    v("mode", mode, "a or b", [](const std::string& m) { return m == "a" || m == "b"; });
  }
};
}  // namespace

TEST_CASE("params: defaults, parsing and the defaults' JSON come from one declaration",
          "[core][params]") {
  CHECK(mib::params_to_json(Example{}) ==
        nlohmann::json{{"k", 3}, {"alpha", 0.5}, {"flag", false}, {"mode", "a"}});
  const Example e = mib::parse_params<Example>({{"k", 5}, {"mode", "b"}, {"flag", true}}, "ex");
  CHECK(e.k == 5);
  CHECK(e.mode == "b");
  CHECK(e.flag);
  CHECK(e.alpha == 0.5);
  CHECK(mib::parse_params<Example>({{"k", 4.0}}, "ex").k == 4);  // integral float accepted
}

TEST_CASE("params: unknown keys, wrong types and out-of-range values name the key",
          "[core][params]") {
  using Row = std::pair<nlohmann::json, const char*>;
  const auto [j, expected] = GENERATE(
      Row{{{"kk", 1}}, "parameter name must be one of"},
      Row{{{"k", 0}}, "ex: k must be >= 1, but is 0"},
      Row{{{"k", 2.5}}, "ex: k must be an integer, but is 2.5"},
      Row{{{"k", "x"}}, "k must be an integer"}, Row{{{"alpha", 1.0}}, "alpha must be in (0, 1)"},
      Row{{{"flag", 1}}, "flag must be a boolean"}, Row{{{"mode", "c"}}, "mode must be a or b"},
      Row{nlohmann::json::array(), "params must be an object"});
  CAPTURE(j.dump());
  MIB_CHECK_THROWS(mib::parse_params<Example>(j, "ex"), mib::ConfigError, Contains(expected));
}

namespace {
struct IntParams {
  int k = 3;
  template <class V>
  void visit(V& v) {
    v("k", k);
  }
};
}  // namespace

TEST_CASE("params: integers out of the field's range are refused, never wrapped (found by fuzzing)",
          "[core][params]") {
  using P = IntParams;
  CHECK(mib::parse_params<P>({{"k", 7.0}}, "t").k == 7);  // a whole float is fine
  for (const auto& bad :
       {nlohmann::json(3e112), nlohmann::json(4294967299LL), nlohmann::json(-4294967299LL),
        nlohmann::json(18446744073709551615ULL), nlohmann::json(2.5)}) {
    CAPTURE(bad.dump());
    CHECK_THROWS_AS(mib::parse_params<P>({{"k", bad}}, "t"), mib::ConfigError);
  }
}

namespace {
enum class Shape { kRound, kSquare, kLong };
const mib::NameTable<Shape>& names(Shape) {
  static const mib::NameTable<Shape> table = {
      {"round", Shape::kRound}, {"square", Shape::kSquare}, {"long", Shape::kLong}};
  return table;
}
struct ShapeParams {
  Shape shape = Shape::kSquare;
  template <class V>
  void visit(V& v) {
    v("shape", shape);
  }
};
}  // namespace

TEST_CASE("params: a choice is an enum whose one name table parses, writes and lists it",
          "[core][params]") {
  CHECK(mib::parse_params<ShapeParams>({{"shape", "long"}}, "t").shape == Shape::kLong);
  CHECK(mib::parse_params<ShapeParams>(nullptr, "t").shape == Shape::kSquare);
  CHECK(mib::params_to_json(ShapeParams{}) == nlohmann::json{{"shape", "square"}});
  CHECK(mib::params_rules(ShapeParams{}) ==
        nlohmann::json{{"shape", "one of round, square, long"}});
  CHECK(mib::name_of(Shape::kRound) == "round");
  for (const auto& bad : {nlohmann::json("Long"), nlohmann::json("circle"), nlohmann::json(1),
                          nlohmann::json::array()}) {
    CAPTURE(bad.dump());
    MIB_CHECK_THROWS(mib::parse_params<ShapeParams>({{"shape", bad}}, "t"), mib::ConfigError,
                     Contains("t: shape must be one of round, square, long, but is"));
  }
  // Every field's rule, with the type where a field states none.
  CHECK(mib::params_rules(IntParams{}) == nlohmann::json{{"k", "an integer"}});
}
