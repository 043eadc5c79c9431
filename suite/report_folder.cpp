#include "suite/report_folder.hpp"

#include <filesystem>
#include <memory>

#include "core/error.hpp"
#include "core/files.hpp"

namespace mib {

Report load_report(const std::string& dir, const Registry<Estimator>& estimators,
                   std::size_t* duplicates) {
  RunFolder folder = read_run_folder(dir, builtin_catalog(), estimators);
  *duplicates = folder.results.duplicates;
  Report report;
  report.aggregates = aggregate(folder.results.rows);
  report.provenance = std::move(folder.manifest);
  return report;
}

ReportFormats report_formats(const std::vector<std::string>& names, const std::string& where) {
  ReportFormats out{names, {}};
  for (const auto& name : names)
    out.reporters.push_back(builtin_reporters().at(name, where).make({}, where));
  return out;
}

std::vector<std::pair<std::string, std::string>> render_report(const Report& report,
                                                               const ReportFormats& formats) {
  std::vector<std::pair<std::string, std::string>> files;
  for (std::size_t i = 0; i < formats.names.size(); ++i) {
    for (auto& f : formats.reporters[i]->files(report, formats.names[i]))
      files.push_back(std::move(f));
  }
  return files;
}

void write_report_files(const std::vector<std::pair<std::string, std::string>>& files,
                        const std::string& out) {
  std::error_code ec;
  std::filesystem::create_directories(out, ec);
  if (ec) fail<DataError>(out, "the report folder", "creatable", ec.message());
  for (const auto& [name, content] : files) write_file_atomic(out + "/" + name, content);
}

}  // namespace mib
