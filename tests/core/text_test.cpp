#include "core/text.hpp"

#include <catch2/catch.hpp>
#include <cmath>

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

TEST_CASE(
    "format_fixed, format_significant, format_scientific: printf's conversions, a dash "
    "for what is not a number",
    "[core][text]") {
  CHECK(mib::format_fixed(0.123456, 4) == "0.1235");
  CHECK(mib::format_fixed(-2, 2) == "-2.00");
  CHECK(mib::format_fixed(2.5, 0) == "2");  // round half to even, as printf
  // What rounds to zero has no sign; a visible digit keeps it.
  CHECK(mib::format_fixed(-0.001, 2) == "0.00");
  CHECK(mib::format_fixed(-0.0, 0) == "0");
  CHECK(mib::format_fixed(-0.006, 2) == "-0.01");
  // From 1e9 on, exponent form: a diverged estimate (NWJ's −5·10⁶⁶) is not 67 digits wide.
  CHECK(mib::format_fixed(999999999.25, 1) == "999999999.2");
  CHECK(mib::format_fixed(-5.2446e66, 2) == "-5.24e+66");
  CHECK(mib::format_fixed(1e308, 1) == "1.0e+308");
  CHECK(mib::format_significant(0.000123456, 3) == "0.000123");
  CHECK(mib::format_significant(123456, 3) == "1.23e+05");
  CHECK(mib::format_significant(100, 6) == "100");
  CHECK(mib::format_scientific(-123456, 0) == "-1e+05");
  for (double bad : {std::nan(""), HUGE_VAL, -HUGE_VAL}) {
    CHECK(mib::format_fixed(bad, 2) == "–");
    CHECK(mib::format_significant(bad, 3) == "–");
    CHECK(mib::format_scientific(bad, 0) == "–");
  }
}
