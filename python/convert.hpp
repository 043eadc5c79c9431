#pragma once
// Conversions at the Python seam (no logic of mibench's own here): NumPy arrays to the
// libraries' row-major matrices — without a copy when the layout allows — and back, JSON
// values to and from Python objects, and mibench's errors to Python exceptions.

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "core/matrix.hpp"

namespace mib::python {

namespace py = pybind11;

/// A NumPy array (or anything np.asarray takes) read as an n × d sample, rows are samples: a
/// 1-D array is n × 1. A C-contiguous float64 array is used in place; any other real dtype
/// (float32, integers, bool) or layout (Fortran order, strides) is copied once into a
/// C-contiguous float64 array, which `copied` reports. ValueError naming `name` for other
/// dtypes or dimensions.
class SampleArray {
 public:
  SampleArray(const py::handle& object, const std::string& name);
  MatrixRef matrix() const { return *map_; }
  bool copied() const { return copied_; }

 private:
  py::array array_;  ///< keeps the data alive (the caller's array, or the copy)
  bool copied_ = false;
  std::optional<Eigen::Map<const Matrix>> map_;
};

/// The matrix as a NumPy float64 array of the same shape, owning the matrix's memory (no copy).
py::array to_numpy(Matrix&& m);
/// A vector as a 1-D NumPy float64 array (no copy).
py::array to_numpy(Eigen::VectorXd&& v);

/// JSON to Python: objects to dicts, arrays to lists, numbers, strings, bools, null to None.
py::object to_python(const nlohmann::json& j);
/// Python to JSON: dicts with string keys, lists/tuples, numbers, strings, bools, None,
/// NumPy scalars and arrays (as numbers and nested lists), and os.PathLike as strings;
/// TypeError naming `where` for anything else.
nlohmann::json to_json(const py::handle& object, const std::string& where);

/// A path argument: a str or any os.PathLike (pathlib.Path), through os.fspath.
std::string path_of(const py::handle& object);

/// Translates mib::Error into Python exceptions: UnknownName -> mibench.UnknownNameError (a
/// KeyError whose str() is the message), MissingFile -> FileNotFoundError,
/// TimeLimitExceeded -> TimeoutError, other mib::Error -> ValueError; each with the CLI's
/// message.
void register_exceptions(py::module_& m);

}  // namespace mib::python
