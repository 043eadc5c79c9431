#include "core/matrix_io.hpp"

#include "core/csv.hpp"
#include "core/error.hpp"
#include "core/npy.hpp"

namespace mib {
namespace {
bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}
}  // namespace

Matrix read_matrix(const std::string& path) {
  if (ends_with(path, ".npy")) return read_npy(path);
  if (ends_with(path, ".csv")) return read_csv(path).values;
  fail<DataError>(path, "the file extension", ".npy or .csv", path);
}

}  // namespace mib
