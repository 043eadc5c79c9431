#include "python/sweep.hpp"

#include <pybind11/stl.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "core/error.hpp"
#include "core/params.hpp"
#include "core/text.hpp"
#include "estimators/builtin.hpp"
#include "estimators/python_callable.hpp"
#include "suite/config.hpp"
#include "suite/report_folder.hpp"
#include "suite/result_store.hpp"
#include "suite/run_folder.hpp"
#include "suite/runner.hpp"

namespace mib::python {
namespace {

// A Python function f(x, y, seed) -> float | {"mi": float, ...} as an Estimator. It holds the
// GIL only while the function runs, so built-in cells keep running in the other workers. x and
// y are fresh float64 arrays (the function may keep them); seed is one 64-bit draw from the
// cell's estimator stream, so it is the same for the same cell whatever the thread or order.
class CallableEstimator final : public Estimator {
 public:
  CallableEstimator(py::object function, std::string label)
      : function_(std::move(function)), label_(std::move(label)) {}
  ~CallableEstimator() override {
    py::gil_scoped_acquire gil;
    function_ = py::object();
  }
  CallableEstimator(const CallableEstimator&) = delete;
  CallableEstimator& operator=(const CallableEstimator&) = delete;

  Estimate estimate(MatrixRef x, MatrixRef y, Rng& rng) const override {
    const std::uint64_t seed = rng();
    py::gil_scoped_acquire gil;
    try {
      const py::object result = function_(to_numpy(Matrix(x)), to_numpy(Matrix(y)), seed);
      if (py::isinstance<py::dict>(result)) {
        nlohmann::json info = to_json(result, label_);
        require<DataError>(info.contains("mi") && info["mi"].is_number(), label_,
                           "the returned dict", "one with a number \"mi\"",
                           std::string(py::repr(result)).substr(0, 200));
        const double mi = info["mi"].get<double>();
        info.erase("mi");
        return Estimate(mi, std::move(info));
      }
      const nlohmann::json value = to_json(result, label_);
      require<DataError>(value.is_number(), label_, "the returned value",
                         "a float or a dict with \"mi\"",
                         std::string(py::repr(result)).substr(0, 200));
      return Estimate(value.get<double>());
    } catch (py::error_already_set& e) {
      // The traceback's last line, as Python prints it: "ValueError: the message".
      throw Error(std::string(py::str(e.type().attr("__name__"))) + ": " +
                  std::string(py::str(e.value())));
    } catch (const py::builtin_exception& e) {
      throw Error(e.what());
    }
  }

 private:
  py::object function_;
  std::string label_;
};

// The built-in estimators with the `python` entry building CallableEstimators of `functions`.
Registry<Estimator> registry_with(const std::map<std::string, py::object>& functions) {
  Registry<Estimator> out;
  for (const auto* entry : builtin_estimators().entries()) {
    Registry<Estimator>::Entry e = *entry;
    if (e.name == "python") {
      e.make = [&functions](const nlohmann::json& params, const std::string& where) {
        const auto p = parse_params<PythonCallableParams>(params, where);
        const auto it = functions.find(p.callable);
        if (it == functions.end()) {
          std::vector<std::string> labels;
          for (const auto& [label, f] : functions) labels.push_back(label);
          fail<UnknownName>(where, "the callable",
                            "a label of run()'s estimators (" + join(labels, ", ") + ")",
                            quoted(p.callable));
        }
        return std::make_unique<CallableEstimator>(it->second, p.callable);
      };
    }
    out.add(std::move(e));
  }
  return out;
}

// Runs the sweep on a thread of its own while this (the main) thread, without the GIL, looks
// for signals every 50 ms: Ctrl-C sets the runner's cancel flag, the cells in flight stop
// without a row, and KeyboardInterrupt is raised once the workers are done (what finished is
// in the folder; the same run() resumes).
RunSummary run_interruptibly(const Config& config, RunOptions options) {
  std::atomic<bool> cancel{false};
  options.cancel = &cancel;
  RunSummary summary;
  std::exception_ptr failure;
  std::mutex mutex;
  std::condition_variable done_cv;
  bool done = false;
  std::optional<py::error_already_set> interrupt;  // KeyboardInterrupt, or what a handler raised
  {
    py::gil_scoped_release release;
    std::thread runner([&] {
      try {
        summary = run_sweep(config, options);
      } catch (...) {
        failure = std::current_exception();
      }
      std::lock_guard<std::mutex> lock(mutex);
      done = true;
      done_cv.notify_all();
    });
    std::unique_lock<std::mutex> lock(mutex);
    while (!done_cv.wait_for(lock, std::chrono::milliseconds(50), [&] { return done; })) {
      if (cancel) continue;
      lock.unlock();
      {
        py::gil_scoped_acquire gil;
        if (PyErr_CheckSignals() != 0) {
          cancel = true;
          interrupt.emplace();  // takes the pending exception
        }
      }
      lock.lock();
    }
    lock.unlock();
    runner.join();
  }
  if (failure) std::rethrow_exception(failure);
  if (interrupt) throw *interrupt;
  return summary;
}

py::dict run(const py::handle& config, const py::handle& out_path, std::optional<unsigned> threads,
             const std::optional<py::dict>& estimators, const std::string& shard,
             bool allow_mixed_builds, bool progress) {
  // The config's JSON and its name in messages: a path is read, a dict converted.
  std::string name = "config";
  nlohmann::json j;
  if (py::isinstance<py::dict>(config)) {
    j = to_json(config, name);
  } else {
    name = path_of(config);
    j = read_config_json(name);
  }
  // Each Python function joins the config's estimators as {"name": "python", ...}, so that the
  // run folder records it (and the CLI can report the folder).
  std::map<std::string, py::object> functions;
  if (estimators) {
    require<ConfigError>(j.is_object() && j.contains("estimators") && j["estimators"].is_array(),
                         name, "the config", "an object with an \"estimators\" list",
                         "without one");
    for (const auto& [key, f] : *estimators) {
      if (!py::isinstance<py::str>(key))
        throw py::type_error("estimators: every key must be a label (a string), but one is " +
                             std::string(py::repr(key)));
      const auto label = key.cast<std::string>();
      if (!PyCallable_Check(f.ptr()))
        throw py::type_error("estimators[" + quoted(label) + "]: the value must be a callable " +
                             "f(x, y, seed), but is a " +
                             std::string(py::str(f.get_type().attr("__name__"))));
      const std::string qualname =
          py::str(py::getattr(f, "__module__", py::str("?"))).cast<std::string>() + "." +
          py::str(py::getattr(f, "__qualname__", py::getattr(f.get_type(), "__qualname__")))
              .cast<std::string>();
      j["estimators"].push_back({{"name", "python"},
                                 {"label", label},
                                 {"params", {{"callable", label}, {"function", qualname}}}});
      functions.emplace(label, py::reinterpret_borrow<py::object>(f));
    }
  }
  const std::string out = path_of(out_path);
  const Registry<Estimator> registry = registry_with(functions);
  const Config parsed = parse_config(j, name, builtin_catalog(), registry);
  require<ConfigError>(!threads || (*threads >= 1 && *threads <= 4096), "threads",
                       "the number of worker threads", "in [1, 4096]", threads.value_or(0));
  const RunOptions options{out,
                           threads.value_or(std::max(1u, std::thread::hardware_concurrency())),
                           progress,
                           parse_shard(shard, "shard"),
                           allow_mixed_builds,
                           nullptr};
  const RunSummary s = run_interruptibly(parsed, options);
  py::dict summary;
  summary["cells"] = s.cells;
  summary["skipped"] = s.skipped;
  summary["ran"] = s.ran;
  summary["failed"] = s.failed;
  summary["duplicates"] = s.duplicates;
  summary["results"] = ResultStore::results_path(out);
  return summary;
}

py::list load_rows(const py::handle& dir) {
  const RunFolder folder = read_run_folder(path_of(dir), builtin_catalog(), builtin_estimators());
  py::list rows;
  for (const CellResult& row : folder.results.rows) rows.append(to_python(mib::to_json(row)));
  return rows;
}

py::list report(const py::handle& dir_path, const std::optional<std::vector<std::string>>& formats,
                const py::handle& out_path, std::size_t n, const std::string& units, int precision,
                const std::vector<std::string>& estimators, const std::vector<std::string>& tasks) {
  const std::string dir = path_of(dir_path);
  const ReportFormats chosen =
      report_formats(formats.value_or(builtin_reporters().names()), "formats");
  std::size_t duplicates = 0;
  Report r = load_report(dir, builtin_estimators(), &duplicates);
  r.options.n = n;
  r.options.units = units;
  r.options.precision = precision;
  r.options.estimators = estimators;
  r.options.tasks = tasks;
  const auto files = render_report(r, chosen);
  const std::string folder = out_path.is_none() ? dir : path_of(out_path);
  write_report_files(files, folder);
  py::list written;
  for (const auto& file : files) written.append(folder + "/" + file.first);
  return written;
}

}  // namespace

void add_sweep_functions(py::module_& m) {
  m.def("run", &run, py::arg("config"), py::arg("out"), py::arg("threads") = py::none(),
        py::arg("estimators") = py::none(), py::arg("shard") = "1/1",
        py::arg("allow_mixed_builds") = false, py::arg("progress") = false,
        R"(Runs a sweep into folder `out`, as `mibench run` (same results.jsonl and manifest.json;
`mibench report` reads them). Returns a dict: cells, skipped (already in the folder), ran,
failed, duplicates, results (the path of results.jsonl).

config: a dict (a config's JSON) or the path of a config file.
estimators: {label: f} — Python functions f(x, y, seed) -> float or {"mi": float, ...}
  joining the sweep as estimators (x, y: float64 arrays of the cell's sample; seed: an
  integer fixed by the cell). An exception or a NaN makes a failed cell whose message is the
  traceback's last line. Built-in cells release the GIL and run in parallel.
threads: worker threads (default: the number of cores).
Ctrl-C stops promptly: cells that finished are kept, and the same call resumes the folder.)");
  m.def("load_rows", &load_rows, py::arg("dir"),
        "The rows of a run folder's results.jsonl (checked as `mibench report` checks them), "
        "as a list of dicts.");
  m.def("report", &report, py::arg("dir"), py::arg("formats") = py::none(),
        py::arg("out") = py::none(), py::arg("n") = 0, py::arg("units") = "nats",
        py::arg("precision") = 2, py::arg("estimators") = std::vector<std::string>{},
        py::arg("tasks") = std::vector<std::string>{},
        R"(Writes a run folder's report, as `mibench report`: formats (default all: md, csv,
json, tex, svg, html), into `out` (default: the run folder). n: the summary tables' sample
size (0: the largest); units "nats" or "bits"; precision: decimals; estimators, tasks: the
summary's columns and rows. Returns the paths written.)");
}

}  // namespace mib::python
