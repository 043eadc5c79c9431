// The Python package's native module, mibench._mibench: the catalogue, the estimators and
// the self-consistency tests over NumPy arrays. A client of the libraries like the CLI: what
// it does beyond converting arguments and results is in suite/ (sampling, estimate,
// consistency), so the numbers are the CLI's. Sweeps are in sweep.cpp.

#include <pybind11/stl.h>

#include "core/build_info.hpp"
#include "core/error.hpp"
#include "distributions/catalog.hpp"
#include "estimators/builtin.hpp"
#include "python/convert.hpp"
#include "python/sweep.hpp"
#include "suite/config.hpp"
#include "suite/estimate.hpp"
#include "suite/sampling.hpp"

namespace mib::python {
namespace {

// One spec (a string such as "ksg:k=5", or a config's object form) or a list of them; `single`
// tells which, so that the result has the same shape.
std::vector<ResolvedEstimator> resolve_specs(const py::handle& specs, bool* single) {
  std::vector<py::handle> items;
  *single = !py::isinstance<py::list>(specs) && !py::isinstance<py::tuple>(specs);
  if (*single) {
    items.push_back(specs);
  } else {
    for (const auto& s : specs) items.push_back(s);
  }
  require<ConfigError>(!items.empty(), "estimator", "the list of specs", "non-empty", "empty");
  std::vector<ResolvedEstimator> out;
  for (const auto& item : items) {
    const nlohmann::json spec = to_json(item, "estimator");
    out.push_back(resolve(parse_spec(spec, "estimator"), builtin_estimators(), "estimator"));
  }
  return out;
}

py::object shaped(std::vector<py::object> rows, bool single) {
  if (single) return rows.front();
  py::list out;
  for (auto& r : rows) out.append(std::move(r));
  return std::move(out);
}

py::object estimate(const py::handle& x, const py::handle& y, const py::handle& specs,
                    std::uint64_t seed, const std::optional<double>& ci, int resamples,
                    const std::string& resample, const py::handle& z) {
  bool single = false;
  const auto estimators = resolve_specs(specs, &single);
  const SampleArray xs(x, "x"), ys(y, "y");
  const std::optional<SampleArray> zs =
      z.is_none() ? std::nullopt : std::optional<SampleArray>(std::in_place, z, "z");
  const Matrix no_z(xs.matrix().rows(), 0);
  const MatrixRef zm = zs ? zs->matrix() : MatrixRef(no_z);
  const IntervalOptions interval{ci.value_or(0), resamples, resample};
  const OptionNames names{""};
  check_interval(interval, estimators, names);
  check_user_data(estimators, xs.matrix(), ys.matrix(), zm, zs ? "x, y and z" : "x and y", 1,
                  names);
  std::vector<py::object> rows;
  for (const auto& e : estimators) {
    nlohmann::json row;
    {
      py::gil_scoped_release release;
      row = estimate_row(e, xs.matrix(), ys.matrix(), zm, seed, interval, names);
    }
    row["copied"] = {{"x", xs.copied()}, {"y", ys.copied()}};
    if (zs) row["copied"]["z"] = zs->copied();
    rows.push_back(to_python(row));
  }
  return shaped(std::move(rows), single);
}

py::object consistency(const py::handle& x, const py::handle& y, const py::handle& specs,
                       int permutations, double tolerance, std::uint64_t seed) {
  bool single = false;
  const auto estimators = resolve_specs(specs, &single);
  const SampleArray xs(x, "x"), ys(y, "y");
  const ConsistencyOptions options{permutations, tolerance, seed};
  check_consistency_options(options, estimators, OptionNames{""});
  // The additivity test estimates on half of the rows.
  check_user_data(estimators, xs.matrix(), ys.matrix(), Matrix(xs.matrix().rows(), 0), "x and y", 2,
                  OptionNames{""});
  std::vector<py::object> rows;
  for (const auto& e : estimators) {
    ConsistencyResult r;
    {
      py::gil_scoped_release release;
      r = check_consistency(*e.estimator, xs.matrix(), ys.matrix(), options);
    }
    nlohmann::json row = r.to_json();
    row["estimator"] = e.spec.label;
    row["consistent"] = r.consistent();
    rows.push_back(to_python(row));
  }
  return shaped(std::move(rows), single);
}

py::list tasks(const std::optional<std::string>& list) {
  const TaskCatalog& catalog = builtin_catalog();
  py::list out;
  if (!list) {
    for (const Task& t : catalog.tasks()) out.append(to_python(task_summary(t)));
    return out;
  }
  const std::string name = list->rfind('@', 0) == 0 ? list->substr(1) : *list;
  for (const auto& id : catalog.list(name, "list")) {
    out.append(to_python(task_summary(catalog.find(id, "list"))));
  }
  return out;
}

py::tuple sample(const Task& task, std::size_t n, std::uint64_t seed, bool standardize) {
  require<ConfigError>(n >= 1 && n <= kMaxSampleSize, "n", "the number of samples",
                       "in [1, " + std::to_string(kMaxSampleSize) + "]", n);
  require_sample_fits(task, n, "n");
  Sample s;
  {
    py::gil_scoped_release release;
    s = draw_sample(task, n, seed, standardize);
  }
  if (task.distribution->dims().z > 0)
    return py::make_tuple(to_numpy(std::move(s.x)), to_numpy(std::move(s.y)),
                          to_numpy(std::move(s.z)));
  return py::make_tuple(to_numpy(std::move(s.x)), to_numpy(std::move(s.y)));
}

py::array pmi(const Task& task, const py::handle& x, const py::handle& y, const py::handle& z) {
  const SampleArray xs(x, "x"), ys(y, "y");
  const Dims d = task.distribution->dims();
  const std::string where = "Task(" + quoted(task.id) + ").pmi";
  require<DataError>(
      z.is_none() == (d.z == 0), where, "z",
      d.z > 0 ? "given: the task has a conditioning variable (dim_z = " + std::to_string(d.z) + ")"
              : "None: the task has no conditioning variable",
      z.is_none() ? "None" : "an array");
  Matrix zm;
  if (!z.is_none()) {
    const SampleArray zs(z, "z");
    require<DataError>(zs.matrix().cols() == static_cast<Eigen::Index>(d.z), where,
                       "the columns of z", "dim_z = " + std::to_string(d.z), zs.matrix().cols());
    require<DataError>(zs.matrix().rows() == xs.matrix().rows(), where, "the rows of z",
                       "those of x (" + std::to_string(xs.matrix().rows()) + ")",
                       zs.matrix().rows());
    zm = zs.matrix();
  }
  require<DataError>(xs.matrix().cols() == static_cast<Eigen::Index>(d.x), where,
                     "the columns of x", "dim_x = " + std::to_string(d.x), xs.matrix().cols());
  require<DataError>(ys.matrix().cols() == static_cast<Eigen::Index>(d.y), where,
                     "the columns of y", "dim_y = " + std::to_string(d.y), ys.matrix().cols());
  require<DataError>(xs.matrix().rows() == ys.matrix().rows(), where, "the rows of y",
                     "those of x (" + std::to_string(xs.matrix().rows()) + ")", ys.matrix().rows());
  std::optional<Eigen::VectorXd> values;
  {
    py::gil_scoped_release release;
    values = task.distribution->pmi(Sample{xs.matrix(), ys.matrix(), zm});
  }
  if (!values) {
    fail<InvalidArgument>(where, "the task", "one with a closed-form density",
                          "a law whose pointwise MI is not known exactly");
  }
  return to_numpy(std::move(*values));
}

}  // namespace

PYBIND11_MODULE(_mibench, m) {
  m.doc() = "mibench's native module; use the package `mibench`.";
  m.attr("__version__") = build_info().version;
  register_exceptions(m);

  m.def("tasks", &tasks, py::arg("list") = py::none(),
        R"(The task catalogue: one dict per task with id, family, dim_x, dim_y, mi and mi_se
(nats; mi_se is 0 for a closed form), method and source.

list: a named list ("@bmi-v1" or "bmi-v1"); None gives every task of every list.
Raises UnknownNameError (a KeyError) for an unknown list.)");

  py::class_<Task>(m, "Task", R"(A catalogue task: a joint law of (X, Y) with known MI.

Task("multinormal-dense-5-5-0.5") takes any id `mibench list tasks` accepts (transforms and
concat(...) included). Raises UnknownNameError (a KeyError) for an id that does not resolve,
ValueError for parameters out of their domain.)")
      .def(py::init([](const std::string& id) { return builtin_catalog().find(id, "Task"); }),
           py::arg("id"))
      .def_readonly("id", &Task::id, "The canonical task id.")
      .def_readonly("family", &Task::family, "The family that built the law.")
      .def_readonly("source", &Task::source, "Where the ground truth comes from.")
      .def_property_readonly(
          "mi", [](const Task& t) { return t.distribution->mutual_information().mi; },
          "The true MI in nats.")
      .def_property_readonly(
          "mi_se", [](const Task& t) { return t.distribution->mutual_information().std_error; },
          "The standard error of the true MI (0 for a closed form; Monte Carlo truths state "
          "theirs).")
      .def_property_readonly(
          "method", [](const Task& t) { return t.distribution->mutual_information().method; },
          "How the true MI was computed.")
      .def_property_readonly(
          "dim_x", [](const Task& t) { return t.distribution->dims().x; }, "Columns of X.")
      .def_property_readonly(
          "dim_y", [](const Task& t) { return t.distribution->dims().y; }, "Columns of Y.")
      .def_property_readonly(
          "dim_z", [](const Task& t) { return t.distribution->dims().z; },
          "Columns of the conditioning variable Z (0: none; otherwise mi is I(X; Y | Z)).")
      .def("sample", &sample, py::arg("n"), py::arg("seed"), py::arg("standardize") = false,
           R"(Draws n rows: (x, y), float64 arrays of shape (n, dim_x) and (n, dim_y) — and
(x, y, z) for a task with a conditioning variable (dim_z > 0).

Bit-identical to `mibench sample TASK --n n --seed seed` (and to the sample of a results
row with this seed); standardize=True standardises each column as a config's "standardize".)")
      .def("pmi", &pmi, py::arg("x"), py::arg("y"), py::arg("z") = py::none(),
           R"(The exact pointwise MI ln p(x, y) − ln p(x) − ln p(y) of each row (nats), as a
1-D float64 array; for a task with Z (pass z) the conditional one,
ln p(x, y | z) − ln p(x | z) − ln p(y | z). Raises ValueError for a task without a closed-form density or for arrays
whose shapes do not match the task.)")
      .def("__repr__", [](const Task& t) {
        return "Task(" + quoted(t.id) +
               ", mi=" + std::to_string(t.distribution->mutual_information().mi) + ")";
      });

  m.def(
      "estimators", [] { return to_python(builtin_estimators().summaries()); },
      R"(The registered estimators: one dict per estimator with name, description, params
(the defaults) and rules (each parameter's valid values).)");

  m.def("estimate", &estimate, py::arg("x"), py::arg("y"), py::arg("estimator") = "ksg",
        py::arg("seed") = 0, py::arg("ci") = py::none(), py::arg("resamples") = 50,
        py::arg("resample") = "subsample", py::arg("z") = py::none(),
        R"(Estimates I(X; Y) in nats — I(X; Y | Z) given z and an estimator of it (ksg-cmi,
mixed-ksg-cmi, gaussian-cmi, gcmi-cmi, chain:<estimator>) — as `mibench estimate --json`
does.

x, y: arrays with one row per sample (n × dx and n × dy; a 1-D array is one column), any
  real dtype. A C-contiguous float64 array is read in place; float32, integer or
  Fortran-ordered input is copied once to C-ordered float64 (the result's "copied" says so).
estimator: a spec string ("ksg:k=5"), a config's object form ({"name": "ksg", "params":
  {"k": 5}, "label": "KSG-5"}), or a list of them.
seed: the seed of the estimator's own randomness.
ci: a confidence level (e.g. 0.95) for an interval from `resamples` re-estimates
  (resample="subsample": n/2 rows without replacement, the default; "bootstrap").

Returns a dict (a list of dicts for a list of specs) with estimator, params, mi (None unless
status is "ok"), status, message, seconds, cpu_seconds, n, dim_x, dim_y, info, copied and,
with ci, "ci" (low, high, ...). A failing estimator is a status, not an exception; bad
arguments raise ValueError, unknown names UnknownNameError (a KeyError).)");

  m.def("consistency", &consistency, py::arg("x"), py::arg("y"), py::arg("estimator"),
        py::arg("permutations") = 20, py::arg("tolerance") = 0.1, py::arg("seed") = 0,
        R"(Song & Ermon's self-consistency tests (no ground truth needed), as `mibench
consistency --json`: independence (a permutation null), data processing and additivity, per
estimator. Returns a dict per spec (a list for a list of specs) with mi, the three tests
(value, ok, applicable, message), saturated and consistent.)");

  add_sweep_functions(m);
}

}  // namespace mib::python
