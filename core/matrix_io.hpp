#pragma once
// Sample files chosen by extension: ".npy" or ".csv". Rows are samples.

#include <string>

#include "core/matrix.hpp"

namespace mib {

/// Reads a .npy or .csv matrix; DataError for another extension or a malformed file.
Matrix read_matrix(const std::string& path);

}  // namespace mib
