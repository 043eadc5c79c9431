#include "core/csv.hpp"

#include <cmath>
#include <cstdlib>

#include "core/error.hpp"
#include "core/files.hpp"
#include "core/text.hpp"

namespace mib {
namespace {

std::string trim(const std::string& s) {
  const auto first = s.find_first_not_of(" \t\r");
  if (first == std::string::npos) return "";
  return s.substr(first, s.find_last_not_of(" \t\r") - first + 1);
}

bool parse_number(const std::string& field, double& value) {
  const std::string t = trim(field);
  if (t.empty()) return false;
  char* end = nullptr;
  value = std::strtod(t.c_str(), &end);
  return end == t.c_str() + t.size();
}

}  // namespace

CsvTable parse_csv(const std::string& text, const std::string& name) {
  // A UTF-8 byte-order mark (Excel writes one) is not part of the first cell: pandas and
  // NumPy skip it, and so do we (otherwise a numeric first row would read as a header).
  const bool bom = text.compare(0, 3, "\xEF\xBB\xBF") == 0;
  std::vector<std::string> lines = split(bom ? std::string_view(text).substr(3) : text, '\n');
  while (!lines.empty() && trim(lines.back()).empty()) lines.pop_back();
  if (lines.empty())
    fail<DataError>(name, "the file", "a CSV table with at least one row", "empty");

  CsvTable table;
  std::size_t first = 0;
  {
    double ignored;
    const auto fields = split(lines[0], ',');
    for (const auto& f : fields) {
      if (!parse_number(f, ignored)) {
        for (const auto& h : fields) table.header.push_back(trim(h));
        first = 1;
        break;
      }
    }
  }
  if (first == lines.size())
    fail<DataError>(name, "the file", "at least one data row", "a header only");

  const std::size_t cols = split(lines[first], ',').size();
  if (!table.header.empty() && table.header.size() != cols) {
    fail<DataError>(name + ":2", "the number of columns",
                    std::to_string(table.header.size()) + " (as in the header)", cols);
  }
  table.values.resize(static_cast<Eigen::Index>(lines.size() - first),
                      static_cast<Eigen::Index>(cols));
  for (std::size_t i = first; i < lines.size(); ++i) {
    const std::string where = name + ":" + std::to_string(i + 1);
    const auto fields = split(lines[i], ',');
    if (fields.size() != cols)
      fail<DataError>(where, "the number of columns", std::to_string(cols), fields.size());
    for (std::size_t c = 0; c < cols; ++c) {
      double value;
      const std::string cell = where + " column " + std::to_string(c + 1);
      if (!parse_number(fields[c], value))
        fail<DataError>(cell, "the cell", "a number", quoted(trim(fields[c])));
      if (!std::isfinite(value)) fail<DataError>(cell, "the cell", "finite", trim(fields[c]));
      table.values(static_cast<Eigen::Index>(i - first), static_cast<Eigen::Index>(c)) = value;
    }
  }
  return table;
}

CsvTable read_csv(const std::string& path) { return parse_csv(read_file(path), path); }

std::string format_csv(const Matrix& m, const std::vector<std::string>& header) {
  std::string out;
  if (!header.empty()) out += join(header, ",") + "\n";
  for (Eigen::Index i = 0; i < m.rows(); ++i) {
    for (Eigen::Index j = 0; j < m.cols(); ++j) {
      if (j) out += ',';
      out += format_number(m(i, j));
    }
    out += '\n';
  }
  return out;
}

void write_csv(const std::string& path, const Matrix& m, const std::vector<std::string>& header) {
  write_file_atomic(path, format_csv(m, header));
}

}  // namespace mib
