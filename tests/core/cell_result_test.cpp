#include "core/cell_result.hpp"

#include <cmath>

#include "check.hpp"
#include "core/error.hpp"

using Catch::Matchers::Contains;

namespace {

nlohmann::json row() {
  return nlohmann::json::parse(R"({"key": "t|100|0|ksg", "task": "t", "n": 100, "replicate": 0,
    "seed": 18446744073709551615, "estimator": "ksg", "spec": "ksg", "params": {"k": 3},
    "dim_x": 1, "dim_y": 2, "mi_true": 0.5, "mi_true_se": 0.0, "estimate": 0.25, "status": "ok",
    "message": "", "seconds": 0.5, "cpu_seconds": 0.25,
    "info": {"mean_nx": 4.5, "ceiling": 6.5, "saturated": false,
             "test_curve": [[100, 0.5], [200, null]]}})");
}

}  // namespace

TEST_CASE("cell result: a row round-trips through the typed form byte for byte", "[core][cell]") {
  const auto j = row();
  const mib::CellResult c = mib::cell_from_json(j, "r");
  CHECK(c.seed == 18446744073709551615ull);
  CHECK(c.outcome.status == mib::CellStatus::kOk);
  REQUIRE(c.outcome.diagnostics.ceiling);
  CHECK(c.outcome.diagnostics.ceiling->value == 6.5);
  CHECK_FALSE(c.outcome.diagnostics.saturated());
  REQUIRE(c.outcome.diagnostics.test_curve.size() == 2);
  CHECK(c.outcome.diagnostics.test_curve[0].step == 100);
  CHECK(std::isnan(c.outcome.diagnostics.test_curve[1].value));
  CHECK(c.outcome.info == nlohmann::json{{"mean_nx", 4.5}});  // typed fields moved out
  CHECK(mib::to_json(c).dump() == j.dump());
  // The isolated child's answer goes through the same spelling.
  const auto answer = mib::to_json(c.outcome);
  CHECK(mib::to_json(mib::call_outcome_from_json(answer, "child")).dump() == answer.dump());
}

TEST_CASE("cell result: every status name parses back, anything else is a DataError",
          "[core][cell]") {
  for (auto s : {mib::CellStatus::kOk, mib::CellStatus::kError, mib::CellStatus::kNonfinite,
                 mib::CellStatus::kTimeout, mib::CellStatus::kCrash, mib::CellStatus::kMemory})
    CHECK(mib::parse_status(mib::status_name(s), "r") == s);
  for (const char* bad : {"OK", "", "failed", "ok "}) {
    CAPTURE(bad);
    CHECK_THROWS_AS(mib::parse_status(bad, "r"), mib::DataError);
  }
}

TEST_CASE("cell result: malformed rows are DataErrors naming the field", "[core][cell]") {
  struct Case {
    const char* field;
    nlohmann::json value;  // null: remove the field
    const char* message;
  };
  const Case cases[] = {
      {"n", 2.5, "field n must be of the right type"},
      {"n", -1, "field n must be of the right type"},
      {"seed", "7", "field seed must be of the right type"},
      {"replicate", nullptr, "field replicate must be present"},
      {"estimate", nullptr, "field estimate must be present"},
      {"estimate", "0.3", "field estimate must be a number or null"},
      {"status", "timeout", "field estimate must be null when the cell failed"},
      {"params", nlohmann::json::array(), "field params must be an object"},
      {"info", "none", "field info must be an object"},
      {"seconds", true, "field seconds must be of the right type"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.field, c.value.dump());
    auto j = row();
    if (c.value.is_null())
      j.erase(c.field);
    else
      j[c.field] = c.value;
    MIB_CHECK_THROWS(mib::cell_from_json(j, "r.jsonl:4"), mib::DataError,
                     Contains("r.jsonl:4") && Contains(c.message));
  }
  // Typed diagnostics: a ceiling needs its flag, a curve point is [step, value].
  for (const char* info :
       {R"({"ceiling": 1.0})", R"({"saturated": true})", R"({"ceiling": 1.0, "saturated": 1})",
        R"({"test_curve": []})", R"({"test_curve": [[1.5, 0.2]]})", R"({"test_curve": [[1]]})"}) {
    CAPTURE(info);
    auto j = row();
    j["info"] = nlohmann::json::parse(info);
    CHECK_THROWS_AS(mib::cell_from_json(j, "r"), mib::DataError);
  }
}
