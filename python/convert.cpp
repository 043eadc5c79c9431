#include "python/convert.hpp"

#include <cmath>
#include <memory>

#include "core/deadline.hpp"
#include "core/error.hpp"

namespace mib::python {

SampleArray::SampleArray(const py::handle& object, const std::string& name) {
  array_ = py::array::ensure(object);
  if (!array_) {
    PyErr_Clear();
    throw py::type_error(name + ": the sample must be an array (rows are samples), but is a " +
                         std::string(py::str(object.get_type().attr("__name__"))));
  }
  const char kind = array_.dtype().kind();
  if (kind != 'f' && kind != 'i' && kind != 'u' && kind != 'b') {
    throw py::value_error(name + ": the dtype must be a real number type (float64, float32, " +
                          "integers or bool), but is " + std::string(py::str(array_.dtype())));
  }
  if (array_.ndim() != 1 && array_.ndim() != 2) {
    throw py::value_error(name + ": the array must be 1-D or 2-D (rows are samples), but has " +
                          std::to_string(array_.ndim()) + " dimensions");
  }
  using Doubles = py::array_t<double, py::array::c_style | py::array::forcecast>;
  if (!Doubles::check_(array_)) {
    array_ = Doubles::ensure(array_);
    if (!array_) throw py::error_already_set();
    copied_ = true;
  }
  const auto rows = static_cast<Eigen::Index>(array_.shape(0));
  const auto cols = array_.ndim() == 2 ? static_cast<Eigen::Index>(array_.shape(1)) : 1;
  map_.emplace(static_cast<const double*>(array_.data()), rows, cols);
}

py::array to_numpy(Matrix&& m) {
  auto* owned = new Matrix(std::move(m));
  py::capsule owner(owned, [](void* p) { delete static_cast<Matrix*>(p); });
  const auto rows = static_cast<py::ssize_t>(owned->rows());
  const auto cols = static_cast<py::ssize_t>(owned->cols());
  return py::array_t<double>({rows, cols}, {cols * py::ssize_t{8}, py::ssize_t{8}}, owned->data(),
                             owner);
}

py::array to_numpy(Eigen::VectorXd&& v) {
  auto* owned = new Eigen::VectorXd(std::move(v));
  py::capsule owner(owned, [](void* p) { delete static_cast<Eigen::VectorXd*>(p); });
  return py::array_t<double>({static_cast<py::ssize_t>(owned->size())}, {py::ssize_t{8}},
                             owned->data(), owner);
}

py::object to_python(const nlohmann::json& j) {
  switch (j.type()) {
    case nlohmann::json::value_t::object: {
      py::dict d;
      for (const auto& [key, value] : j.items()) d[py::str(key)] = to_python(value);
      return std::move(d);
    }
    case nlohmann::json::value_t::array: {
      py::list l;
      for (const auto& value : j) l.append(to_python(value));
      return std::move(l);
    }
    case nlohmann::json::value_t::string:
      return py::str(j.get_ref<const std::string&>());
    case nlohmann::json::value_t::boolean:
      return py::bool_(j.get<bool>());
    case nlohmann::json::value_t::number_integer:
      return py::int_(j.get<std::int64_t>());
    case nlohmann::json::value_t::number_unsigned:
      return py::int_(j.get<std::uint64_t>());
    case nlohmann::json::value_t::number_float:
      return py::float_(j.get<double>());
    default:
      return py::none();
  }
}

nlohmann::json to_json(const py::handle& o, const std::string& where) {
  if (o.is_none()) return nullptr;
  if (py::isinstance<py::bool_>(o)) return o.cast<bool>();
  if (py::isinstance<py::int_>(o)) {
    // Python integers are unbounded; JSON's here are 64-bit, signed or not.
    if (o.cast<py::int_>() < py::int_(0)) return o.cast<std::int64_t>();
    return o.cast<std::uint64_t>();
  }
  if (py::isinstance<py::float_>(o)) return o.cast<double>();
  if (py::isinstance<py::str>(o)) return o.cast<std::string>();
  if (py::isinstance<py::dict>(o)) {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [key, value] : o.cast<py::dict>()) {
      if (!py::isinstance<py::str>(key))
        throw py::type_error(where + ": every key must be a string, but one is " +
                             std::string(py::repr(key)));
      const auto name = key.cast<std::string>();
      out[name] = to_json(value, where + "." + name);
    }
    return out;
  }
  if (py::isinstance<py::list>(o) || py::isinstance<py::tuple>(o)) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& value : o) out.push_back(to_json(value, where + "[]"));
    return out;
  }
  if (py::hasattr(o, "__fspath__")) return py::str(o.attr("__fspath__")()).cast<std::string>();
  // NumPy scalars and arrays (np.float64(0.5), np.zeros(3)) through their Python values.
  if (py::hasattr(o, "tolist") && py::hasattr(o, "dtype"))
    return to_json(o.attr("tolist")(), where);
  throw py::type_error(where +
                       ": the value must be JSON-like (dict, list, str, number, bool, "
                       "None), but is a " +
                       std::string(py::str(o.get_type().attr("__name__"))));
}

std::string path_of(const py::handle& object) {
  return py::str(py::module_::import("os").attr("fspath")(object)).cast<std::string>();
}

void register_exceptions(py::module_& m) {
  static py::exception<UnknownName> unknown(m, "UnknownNameError", PyExc_KeyError);
  // KeyError's str() is the repr of its key; the message reads better as it is.
  unknown.attr("__str__") = py::module_::import("builtins").attr("BaseException").attr("__str__");
  unknown.attr("__doc__") =
      "A task id, estimator name, task list or report format that mibench does not know (a "
      "KeyError); the message lists the closest valid names.";
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const UnknownName& e) {
      PyErr_SetString(unknown.ptr(), e.what());
    } catch (const MissingFile& e) {
      PyErr_SetString(PyExc_FileNotFoundError, e.what());
    } catch (const TimeLimitExceeded& e) {
      PyErr_SetString(PyExc_TimeoutError, e.what());
    } catch (const Error& e) {
      PyErr_SetString(PyExc_ValueError, e.what());
    }
  });
}

}  // namespace mib::python
