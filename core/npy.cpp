#include "core/npy.hpp"

#include <cstdint>
#include <cstring>
#include <limits>
#include <map>
#include <set>
#include <vector>

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

// The header's Python dict literal, parsed strictly: {'key': value, ...} with values that are
// string literals, True/False, or tuples of non-negative decimal integers (the shape). A key
// given twice is refused (NumPy would silently take the last one).
struct NpyHeader {
  std::map<std::string, std::string> text;                   // strings and booleans
  std::map<std::string, std::vector<std::uint64_t>> tuples;  // the shape
};

NpyHeader parse_header(const std::string& h, const std::string& name) {
  std::size_t i = 0;
  auto bad = [&](const std::string& rule) {
    fail<DataError>(name, "the .npy header", rule, quoted(h.substr(0, 200)));
  };
  auto skip = [&] {
    while (i < h.size() && (h[i] == ' ' || h[i] == '\n' || h[i] == '\t')) ++i;
  };
  auto literal = [&]() -> std::string {
    const char quote = h[i];
    const std::size_t end = h.find(quote, i + 1);
    if (end == std::string::npos) bad("a dict literal with closed quotes");
    std::string out = h.substr(i + 1, end - i - 1);
    i = end + 1;
    return out;
  };
  NpyHeader out;
  std::set<std::string> keys;
  skip();
  if (i >= h.size() || h[i] != '{') bad("a Python dict literal");
  ++i;
  for (;;) {
    skip();
    if (i < h.size() && h[i] == '}') break;
    if (i >= h.size() || (h[i] != '\'' && h[i] != '"')) bad("a dict with quoted keys");
    const std::string key = literal();
    if (!keys.insert(key).second)
      fail<DataError>(name, "each key of the .npy header", "given once", quoted(key) + " twice");
    skip();
    if (i >= h.size() || h[i] != ':') bad("a dict literal (key: value)");
    ++i;
    skip();
    if (i < h.size() && (h[i] == '\'' || h[i] == '"')) {
      out.text[key] = literal();
    } else if (h.compare(i, 4, "True") == 0 || h.compare(i, 5, "False") == 0) {
      out.text[key] = h[i] == 'T' ? "True" : "False";
      i += h[i] == 'T' ? 4 : 5;
    } else if (i < h.size() && h[i] >= '0' && h[i] <= '9') {  // a number NumPy does not use
      const std::size_t start = i;
      while (i < h.size() && h[i] >= '0' && h[i] <= '9') ++i;
      out.text[key] = h.substr(start, i - start);
    } else if (i < h.size() && h[i] == '(') {
      ++i;
      std::vector<std::uint64_t>& extents = out.tuples[key];
      for (;;) {
        skip();
        if (i < h.size() && h[i] == ')') break;
        const std::size_t start = i;
        std::uint64_t value = 0;
        while (i < h.size() && h[i] >= '0' && h[i] <= '9') {
          if (__builtin_mul_overflow(value, 10u, &value) ||
              __builtin_add_overflow(value, static_cast<unsigned>(h[i] - '0'), &value))
            fail<DataError>(name, "each extent of " + key, "at most 2^64 - 1",
                            h.substr(start, 40) + "...");
          ++i;
        }
        if (i == start) bad("a shape of non-negative integers, e.g. (1000, 5)");
        extents.push_back(value);
        skip();
        if (i < h.size() && h[i] == ',') ++i;
      }
      ++i;
    } else {
      bad("a dict of strings, True/False and integer tuples");
    }
    skip();
    if (i < h.size() && h[i] == ',') {
      ++i;
    } else {
      skip();
      if (i >= h.size() || h[i] != '}') bad("a dict literal with comma-separated entries");
    }
  }
  return out;
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

  const NpyHeader parsed = parse_header(header, name);
  if (!parsed.text.count("descr") || !parsed.text.count("fortran_order") ||
      !parsed.tuples.count("shape")) {
    bad("the .npy header", "a dict with descr, fortran_order and shape", header);
  }
  const std::string dtype = parsed.text.at("descr");
  const std::string fortran = parsed.text.at("fortran_order");
  const std::vector<std::uint64_t>& extents = parsed.tuples.at("shape");
  std::string shape = "(";
  for (std::size_t k = 0; k < extents.size(); ++k)
    shape += (k ? ", " : "") + std::to_string(extents[k]);
  shape += extents.size() == 1 ? ",)" : ")";
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

  if (extents.empty() || extents.size() > 2) {
    bad("the array", "1-D or 2-D", std::to_string(extents.size()) + "-D, shape " + shape);
  }
  const std::size_t rows = extents[0];
  const std::size_t cols = extents.size() == 2 ? extents[1] : 1;
  std::size_t expected = 0;
  if (__builtin_mul_overflow(rows, cols, &expected) ||
      __builtin_mul_overflow(expected, item, &expected) ||
      rows > static_cast<std::size_t>(std::numeric_limits<Eigen::Index>::max()) ||
      cols > static_cast<std::size_t>(std::numeric_limits<Eigen::Index>::max())) {
    bad("the shape", "one whose data fits in memory (rows × columns × item size < 2^63 bytes)",
        shape);
  }
  if (bytes.size() - data_start != expected) {
    bad("the data", std::to_string(expected) + " bytes for shape " + shape,
        std::to_string(bytes.size() - data_start) + " bytes" +
            (bytes.size() - data_start < expected ? " (truncated)" : ""));
  }
  Matrix m(static_cast<Eigen::Index>(rows), static_cast<Eigen::Index>(cols));
  const char* data = bytes.data() + data_start;
  if (expected == 0) return m;  // no rows or no columns: m.data() may be null (UB in memcpy)
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
