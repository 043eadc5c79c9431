#include "core/npy.hpp"

#include <cstdint>
#include <cstring>
#include <regex>

#include "core/error.hpp"
#include "core/files.hpp"

namespace mib {
namespace {

constexpr char kMagic[] = "\x93NUMPY";
constexpr std::size_t kMagicSize = 6;

std::uint32_t little_endian(const std::string& bytes, std::size_t at, std::size_t width) {
  std::uint32_t value = 0;
  for (std::size_t i = 0; i < width; ++i) {
    value |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[at + i])) << (8 * i);
  }
  return value;
}

// The value text of `key` in the header's Python dict literal, or "" when absent.
std::string dict_value(const std::string& header, const std::string& key) {
  const std::regex pattern("['\"]" + key + "['\"]\\s*:\\s*('[^']*'|\"[^\"]*\"|\\([^)]*\\)|\\w+)");
  std::smatch match;
  return std::regex_search(header, match, pattern) ? match[1].str() : "";
}

}  // namespace

Matrix parse_npy(const std::string& bytes, const std::string& name) {
  auto bad = [&](const std::string& what, const std::string& rule, const std::string& value) {
    fail<DataError>(name, what, rule, value);
  };
  if (bytes.size() < kMagicSize + 4 || bytes.compare(0, kMagicSize, kMagic, kMagicSize) != 0) {
    bad("the file", "a .npy file (starting with \\x93NUMPY)", "something else");
  }
  const int major = static_cast<unsigned char>(bytes[6]);
  const int minor = static_cast<unsigned char>(bytes[7]);
  if (major < 1 || major > 3 || minor != 0) {
    bad("the .npy format version", "1.0, 2.0 or 3.0",
        std::to_string(major) + "." + std::to_string(minor));
  }
  const std::size_t width = major == 1 ? 2 : 4;
  if (bytes.size() < 8 + width) bad("the .npy header", "complete", "truncated");
  const std::size_t header_size = little_endian(bytes, 8, width);
  const std::size_t data_start = 8 + width + header_size;
  if (bytes.size() < data_start) bad("the .npy header", "complete", "truncated");
  const std::string header = bytes.substr(8 + width, header_size);

  const std::string descr = dict_value(header, "descr");
  const std::string fortran = dict_value(header, "fortran_order");
  const std::string shape = dict_value(header, "shape");
  if (descr.empty() || fortran.empty() || shape.empty()) {
    bad("the .npy header", "a dict with descr, fortran_order and shape", header);
  }
  const std::string dtype = descr.substr(1, descr.size() - 2);
  std::size_t item = 0;
  if (dtype == "<f8") {
    item = 8;
  } else if (dtype == "<f4") {
    item = 4;
  } else if (dtype == ">f8" || dtype == ">f4") {
    bad("the dtype", "little-endian", dtype + " (big-endian)");
  } else {
    bad("the dtype", "float64 or float32 ('<f8' or '<f4')", dtype);
  }
  if (fortran != "False") bad("fortran_order", "False (C order)", fortran);

  std::vector<std::size_t> extents;
  const std::regex integer("\\d+");
  const std::string inner = shape.substr(1, shape.size() - 2);
  for (std::sregex_iterator it(inner.begin(), inner.end(), integer), end; it != end; ++it) {
    extents.push_back(std::stoull(it->str()));
  }
  if (extents.empty() || extents.size() > 2) {
    bad("the array", "1-D or 2-D", std::to_string(extents.size()) + "-D, shape " + shape);
  }
  const std::size_t rows = extents[0];
  const std::size_t cols = extents.size() == 2 ? extents[1] : 1;
  const std::size_t expected = rows * cols * item;
  if (bytes.size() - data_start != expected) {
    bad("the data", std::to_string(expected) + " bytes for shape " + shape,
        std::to_string(bytes.size() - data_start) + " bytes" +
            (bytes.size() - data_start < expected ? " (truncated)" : ""));
  }
  Matrix m(rows, cols);
  const char* data = bytes.data() + data_start;
  if (item == 8) {
    std::memcpy(m.data(), data, expected);
  } else {
    for (std::size_t i = 0; i < rows * cols; ++i) {
      float value;
      std::memcpy(&value, data + 4 * i, 4);
      m.data()[i] = value;
    }
  }
  return m;
}

Matrix read_npy(const std::string& path) { return parse_npy(read_file(path), path); }

std::string format_npy(const Matrix& m, NpyDtype dtype) {
  const bool f64 = dtype == NpyDtype::kFloat64;
  std::string header = std::string("{'descr': '") + (f64 ? "<f8" : "<f4") +
                       "', 'fortran_order': False, 'shape': (" + std::to_string(m.rows()) + ", " +
                       std::to_string(m.cols()) + "), }";
  // Pad with spaces so that the data starts at a multiple of 64 bytes, newline last.
  const std::size_t unpadded = kMagicSize + 4 + header.size() + 1;
  header.append((64 - unpadded % 64) % 64, ' ');
  header += '\n';
  std::string out(kMagic, kMagicSize);
  out += '\x01';
  out += '\x00';
  out += static_cast<char>(header.size() & 0xff);
  out += static_cast<char>(header.size() >> 8);
  out += header;
  const std::size_t count = static_cast<std::size_t>(m.size());
  if (f64) {
    out.append(reinterpret_cast<const char*>(m.data()), count * 8);
  } else {
    for (std::size_t i = 0; i < count; ++i) {
      const float value = static_cast<float>(m.data()[i]);
      out.append(reinterpret_cast<const char*>(&value), 4);
    }
  }
  return out;
}

void write_npy(const std::string& path, const Matrix& m, NpyDtype dtype) {
  write_file_atomic(path, format_npy(m, dtype));
}

}  // namespace mib
