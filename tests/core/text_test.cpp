#include "core/text.hpp"

#include <catch2/catch.hpp>

TEST_CASE("format_float: matches Python's str(float) used in bmi's task ids", "[core][text]") {
  CHECK(mib::format_float(0.75) == "0.75");
  CHECK(mib::format_float(0.1) == "0.1");
  CHECK(mib::format_float(2.0) == "2.0");
  CHECK(mib::format_float(5) == "5.0");
  CHECK(mib::format_float(-0.5) == "-0.5");
  CHECK(mib::format_float(1.0 / 3.0) == "0.3333333333333333");
}

TEST_CASE("closest: ranks candidates by edit distance", "[core][text]") {
  const std::vector<std::string> names{"ksg", "ksg2", "gaussian"};
  CHECK(mib::closest("ksg3", names, 1) == std::vector<std::string>{"ksg"});
  CHECK(mib::closest("gausian", names, 1) == std::vector<std::string>{"gaussian"});
}
