#pragma once
// A run folder's report, as `mibench report`, `check`, `baseline` and the Python package's
// mibench.report() make it: the folder read by the rules of suite/run_folder.hpp, aggregated,
// and rendered by the registered reporters.

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "reports/reporter.hpp"
#include "suite/run_folder.hpp"

namespace mib {

/// The aggregates and provenance (the manifest) of run folder `dir`; *duplicates gets the
/// number of identical duplicate rows the folder held (each counted once). Throws as
/// read_run_folder.
Report load_report(const std::string& dir, const Registry<Estimator>& estimators,
                   std::size_t* duplicates);

/// The reporters of the registered format names `names` (UnknownName naming `where` for
/// others), resolved before any folder is read, so that a bad name fails first.
struct ReportFormats {
  std::vector<std::string> names;
  std::vector<std::unique_ptr<Reporter>> reporters;
};
ReportFormats report_formats(const std::vector<std::string>& names, const std::string& where);

/// The files of every format for `report`, as (file name, content). Everything is rendered
/// before anything is written, so that a bad option fails with no file touched.
std::vector<std::pair<std::string, std::string>> render_report(const Report& report,
                                                               const ReportFormats& formats);

/// Writes rendered files into folder `out` (created if missing), each atomically; DataError
/// when the folder cannot be made or a file written.
void write_report_files(const std::vector<std::pair<std::string, std::string>>& files,
                        const std::string& out);

}  // namespace mib
