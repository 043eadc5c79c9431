#pragma once
// Comma-separated numeric tables: an optional header line (detected when a field of the first
// line is not a number), then one sample per line. Ragged rows, non-numeric or non-finite
// cells are DataErrors naming the file, line and column.

#include <string>
#include <vector>

#include "core/matrix.hpp"

namespace mib {

struct CsvTable {
  std::vector<std::string> header;  ///< empty when the file has none
  Matrix values;
};

/// Parses CSV text; `name` (the file) prefixes error messages.
CsvTable parse_csv(const std::string& text, const std::string& name);
CsvTable read_csv(const std::string& path);

/// Formats m as CSV with round-trip precision; a header line when `header` is non-empty.
std::string format_csv(const Matrix& m, const std::vector<std::string>& header = {});
void write_csv(const std::string& path, const Matrix& m,
               const std::vector<std::string>& header = {});

}  // namespace mib
