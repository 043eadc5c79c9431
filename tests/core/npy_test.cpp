#include "core/npy.hpp"

#include "check.hpp"
#include "core/error.hpp"

using Catch::Matchers::Contains;

namespace {
const std::string kDir = std::string(MIB_TEST_DATA) + "/npy/";

mib::Matrix expected_2x3() {
  mib::Matrix a(2, 3);
  a << 1.5, -2.0, 3.25, 0.0, 1e-300, -7.125;
  return a;
}
}  // namespace

TEST_CASE("npy: files written by NumPy read correctly", "[core][npy]") {
  const mib::Matrix a = expected_2x3();
  CHECK(mib::read_npy(kDir + "f8_2x3.npy") == a);
  CHECK(mib::read_npy(kDir + "f8_v2.npy") == a);
  CHECK(mib::read_npy(kDir + "f8_v3.npy") == a);
  const mib::Matrix f = mib::read_npy(kDir + "f4_2x3.npy");
  CHECK(f(0, 2) == 3.25);
  CHECK(f(1, 1) == 0.0);  // 1e-300 underflows in float32
  CHECK(f(1, 2) == -7.125);
  const mib::Matrix v = mib::read_npy(kDir + "f8_1d.npy");
  CHECK(v.rows() == 4);
  CHECK(v.cols() == 1);
  CHECK(v(3, 0) == 3.5);
}

TEST_CASE("npy: round trip in float64 is exact and in float32 is float rounding", "[core][npy]") {
  mib::Matrix a(3, 2);
  a << 0.1, -1e10, 3.0, 1.0 / 3.0, -0.0, 123456.789;
  CHECK(mib::parse_npy(mib::format_npy(a), "mem") == a);
  const mib::Matrix f = mib::parse_npy(mib::format_npy(a, mib::NpyDtype::kFloat32), "mem");
  CHECK(f == a.cast<float>().cast<double>());
  const std::string bytes = mib::format_npy(a);
  CHECK((bytes.size() - 3 * 2 * 8) % 64 == 0);  // header padded to 64 bytes like NumPy
}

TEST_CASE("npy: unsupported or damaged files are DataErrors naming file and reason",
          "[core][npy]") {
  using Row = std::pair<const char*, const char*>;
  const auto [file, reason] = GENERATE(
      Row{"fortran.npy", "fortran_order"}, Row{"big_endian.npy", "big-endian"},
      Row{"int64.npy", "float64 or float32"}, Row{"three_d.npy", "1-D or 2-D"},
      Row{"object.npy", "float64 or float32"}, Row{"truncated.npy", "truncated"},
      Row{"bad_header.npy", "descr, fortran_order and shape"}, Row{"missing.npy", "readable"});
  CAPTURE(file);
  MIB_CHECK_THROWS(mib::read_npy(kDir + file), mib::DataError, Contains(file) && Contains(reason));
}

TEST_CASE("npy: an unknown format version or magic is refused", "[core][npy]") {
  std::string bytes = mib::format_npy(expected_2x3());
  bytes[6] = '\x04';
  CHECK_THROWS_WITH(mib::parse_npy(bytes, "v4.npy"), Contains("v4.npy") && Contains("4.0"));
  CHECK_THROWS_WITH(mib::parse_npy("PK\x03\x04 not numpy at all", "zip.npy"),
                    Contains("\\x93NUMPY"));
}

TEST_CASE("npy: empty arrays (no rows or no columns) read as empty matrices", "[core][npy]") {
  // Found by the npy fuzzer: a (0, 1) shape passed a null pointer to memcpy.
  for (const auto& [rows, cols] : {std::pair{0, 1}, std::pair{3, 0}, std::pair{0, 0}}) {
    CAPTURE(rows, cols);
    const mib::Matrix m(rows, cols);
    const mib::Matrix back = mib::parse_npy(mib::format_npy(m), "empty.npy");
    CHECK(back.rows() == rows);
    CHECK(back.cols() == cols);
  }
}
