#pragma once
// mibench.run (with Python functions as estimators), mibench.load and mibench.report.

#include "python/convert.hpp"

namespace mib::python {

/// Adds run, load_rows and report to the module.
void add_sweep_functions(py::module_& m);

}  // namespace mib::python
