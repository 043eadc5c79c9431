#include "distributions/id_template.hpp"

#include <catch2/catch.hpp>

#include "check.hpp"
#include "core/error.hpp"
#include "distributions/catalog.hpp"

using Catch::Matchers::Contains;

TEST_CASE("IdTemplate: writes and reads the same ids", "[distributions][catalog]") {
  const nlohmann::json defaults{{"dim", 2}, {"nu", 1.0}, {"strength", 2.0}};
  const mib::IdTemplate t("student-sparse-{dim}-{dim}-{nu:g}-{strength}", defaults);
  CHECK(t.format({{"dim", 3}, {"nu", 1.0}, {"strength", 2.0}}) == "student-sparse-3-3-1-2.0");
  CHECK(t.format({{"dim", 3}, {"nu", 1.5}, {"strength", -0.25}}) == "student-sparse-3-3-1.5--0.25");
  CHECK(*t.parse("student-sparse-3-3-1.5--0.25", "w") ==
        nlohmann::json{{"dim", 3}, {"nu", 1.5}, {"strength", -0.25}});
  // A repeated placeholder must repeat its value; integer keys read digits only; the literal
  // text is matched literally (the "." of a template is not a wildcard).
  CHECK_FALSE(t.parse("student-sparse-3-4-1-2.0", "w"));
  CHECK_FALSE(t.parse("student-sparse-3.0-3.0-1-2.0", "w"));
  CHECK_FALSE(t.parse("student-sparse-3-3-1-2.0-", "w"));
  const mib::IdTemplate dotted("a.b-{dim}", defaults);
  CHECK(dotted.parse("a.b-2", "w"));
  CHECK_FALSE(dotted.parse("axb-2", "w"));
  const mib::IdTemplate fixed("1v1-AI", nlohmann::json::object());
  CHECK(fixed.format(nlohmann::json::object()) == "1v1-AI");
  CHECK(*fixed.parse("1v1-AI", "w") == nlohmann::json::object());
  // A field of the right shape that JSON cannot read is a ConfigError naming the key.
  MIB_CHECK_THROWS(t.parse("student-sparse-03-03-1-2.0", "cfg"), mib::ConfigError,
                   Contains("cfg") && Contains("parameter dim"));
}

TEST_CASE("IdTemplate: a template that names no parameter, or is not closed, is refused",
          "[distributions][catalog]") {
  const nlohmann::json defaults{{"dim", 2}, {"name", "x"}};
  CHECK_THROWS_AS(mib::IdTemplate("a-{size}", defaults), mib::InvalidArgument);
  CHECK_THROWS_AS(mib::IdTemplate("a-{name}", defaults), mib::InvalidArgument);
  CHECK_THROWS_AS(mib::IdTemplate("a-{dim", defaults), mib::InvalidArgument);
}

TEST_CASE("catalogue: every family's default task id reads back to the same task",
          "[distributions][catalog]") {
  const auto& catalog = mib::builtin_catalog();
  for (const auto* family : catalog.families().entries()) {
    CAPTURE(family->name);
    const mib::Task made = catalog.make(family->name, nlohmann::json::object(), "test");
    CHECK(catalog.find(made.id, "test").id == made.id);
    CHECK(catalog.find(made.id, "test").family == family->name);
  }
}
