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

std::vector<std::pair<std::string, std::string>> render_report(
    const Report& report, const std::vector<std::string>& formats, const std::string& where) {
  const Registry<Reporter>& reporters = builtin_reporters();
  std::vector<std::unique_ptr<Reporter>> chosen;
  for (const auto& name : formats) chosen.push_back(reporters.at(name, where).make({}, where));
  std::vector<std::pair<std::string, std::string>> files;
  for (std::size_t i = 0; i < formats.size(); ++i) {
    for (auto& f : chosen[i]->files(report, formats[i])) files.push_back(std::move(f));
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
