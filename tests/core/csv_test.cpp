#include "core/csv.hpp"

#include "check.hpp"
#include "core/error.hpp"

using Catch::Matchers::Contains;

TEST_CASE("csv: a header line is detected and numbers parse", "[core][csv]") {
  const auto t = mib::parse_csv("x0, x1\n1.5,-2\r\n3e-3,4\n\n", "a.csv");
  CHECK(t.header == std::vector<std::string>{"x0", "x1"});
  REQUIRE(t.values.rows() == 2);
  CHECK(t.values(0, 1) == -2.0);
  CHECK(t.values(1, 0) == 3e-3);
  const auto plain = mib::parse_csv("1,2,3\n4,5,6", "b.csv");
  CHECK(plain.header.empty());
  CHECK(plain.values.rows() == 2);
  CHECK(plain.values(1, 2) == 6.0);
}

TEST_CASE("csv: round trip keeps every bit", "[core][csv]") {
  mib::Matrix m(2, 2);
  m << 0.1, 1.0 / 3.0, -1e-310, 2.5e300;
  CHECK(mib::parse_csv(mib::format_csv(m, {"a", "b"}), "m.csv").values == m);
}

TEST_CASE("csv: bad cells are DataErrors naming file, line and column", "[core][csv]") {
  using Row = std::pair<const char*, const char*>;
  const auto [text, expected] =
      GENERATE(Row{"1,2\n3\n", "f.csv:2"}, Row{"1,2\n3,abc\n", "f.csv:2 column 2"},
               Row{"a,b\n1,2\n3,nan\n", "f.csv:3 column 2"}, Row{"1,inf\n", "f.csv:1 column 2"},
               Row{"a,b,c\n1,2\n", "f.csv:2"}, Row{"", "empty"}, Row{"a,b\n", "a header only"});
  CAPTURE(text);
  MIB_CHECK_THROWS(mib::parse_csv(text, "f.csv"), mib::DataError, Contains(expected));
}
