#include "core/standardize.hpp"

#include <catch2/catch.hpp>

TEST_CASE("standardize: mean 0 and population sd 1 per column; a constant column is only centred",
          "[core][standardize]") {
  mib::Matrix m(4, 2);
  m << 1, 5, 2, 5, 3, 5, 6, 5;
  mib::standardize_columns(m);
  // Column 0: mean 3, population sd sqrt((4 + 1 + 0 + 9) / 4) = sqrt(3.5).
  CHECK(m(0, 0) == Approx(-2 / std::sqrt(3.5)));
  CHECK(m(3, 0) == Approx(3 / std::sqrt(3.5)));
  CHECK(m.col(0).mean() == Approx(0).margin(1e-15));
  CHECK(m.col(0).squaredNorm() / 4 == Approx(1));
  CHECK(m.col(1).isZero());
}
