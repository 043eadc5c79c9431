#include "core/text.hpp"

#include <catch2/catch.hpp>

TEST_CASE("format_float: matches Python's str(float) used in bmi's task ids", "[core][text]") {
  CHECK(mib::format_float(0.75) == "0.75");
  CHECK(mib::format_float(0.1) == "0.1");
  CHECK(mib::format_float(2.0) == "2.0");
  CHECK(mib::format_float(5) == "5.0");
  CHECK(mib::format_float(-0.5) == "-0.5");
  CHECK(mib::format_float(1.0 / 3.0) == "0.3333333333333333");
  CHECK(mib::format_float(10.0) == "10.0");
  CHECK(mib::format_float(123456.789) == "123456.789");
  CHECK(mib::format_float(1e-7) == "1e-07");
  CHECK(mib::format_float(1.5e16) == "1.5e+16");
  CHECK(mib::format_number(0.001) == "0.001");
  CHECK(mib::format_number(-2.0) == "-2");
}

TEST_CASE("closest: ranks candidates by edit distance", "[core][text]") {
  const std::vector<std::string> names{"ksg", "ksg2", "gaussian"};
  CHECK(mib::closest("ksg3", names, 1) == std::vector<std::string>{"ksg"});
  CHECK(mib::closest("gausian", names, 1) == std::vector<std::string>{"gaussian"});
  // Case is ignored, and a name listed twice is suggested once.
  CHECK(mib::closest("KSG", {"cca", "doe", "ksg", "dv"}, 1) == std::vector<std::string>{"ksg"});
  CHECK(mib::closest("a-2-2", {"a-2-2-0.5", "zzzzzzzzzz", "a-2-2-0.5", "a-2-3-0.5"}, 2) ==
        std::vector<std::string>{"a-2-2-0.5", "a-2-3-0.5"});
}
