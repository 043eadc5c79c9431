#pragma once
// Whole-file reads and atomic writes (a temporary name, then rename), so an interrupted or
// failed command never leaves a half-written output file.

#include <string>

namespace mib {

/// The bytes of a file; DataError naming the file when it cannot be read.
std::string read_file(const std::string& path);

/// Writes `bytes` to `path` through a temporary file in the same folder and a rename.
/// Throws DataError naming the file when it cannot be written.
void write_file_atomic(const std::string& path, const std::string& bytes);

}  // namespace mib
