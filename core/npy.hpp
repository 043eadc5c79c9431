#pragma once
// NumPy .npy files (format versions 1.0, 2.0 and 3.0; see numpy/lib/format.py's docstring).
// Read: little-endian float64 or float32, C order, 1-D (one column) or 2-D (rows are samples).
// Anything else is a DataError naming the file and the reason.

#include <string>

#include "core/matrix.hpp"

namespace mib {

enum class NpyDtype { kFloat64, kFloat32 };

/// Parses .npy bytes; `name` (the file) prefixes error messages.
Matrix parse_npy(const std::string& bytes, const std::string& name);
Matrix read_npy(const std::string& path);

/// Serialises m as a version 1.0 .npy, 2-D, C order, in the given dtype.
std::string format_npy(const Matrix& m, NpyDtype dtype = NpyDtype::kFloat64);
void write_npy(const std::string& path, const Matrix& m, NpyDtype dtype = NpyDtype::kFloat64);

}  // namespace mib
