#pragma once
// The reporter seam: a Reporter renders plain aggregates (plus the run's provenance block)
// as text. Formats are registered by name; the name is also the file extension.

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "core/registry.hpp"
#include "reports/aggregate.hpp"

namespace mib {

/// What the summary tables and figures show (the long-form outputs show every aggregate).
struct TableOptions {
  std::size_t n = 0;           ///< sample size of the summary table; 0: the largest in the run
  std::string units = "nats";  ///< "nats" or "bits"
  int precision = 2;           ///< decimals in the summary tables
  std::vector<std::string> estimators;  ///< columns, in this order; empty: all, as they appear
  std::vector<std::string> tasks;       ///< rows, in this order; empty: all, as they appear
};

struct Report {
  std::vector<Aggregate> aggregates;
  nlohmann::json provenance;  ///< the run's manifest (version, commit, config, seed, ...)
  TableOptions options;
};

class Reporter {
 public:
  virtual ~Reporter() = default;
  virtual std::string render(const Report& report) const = 0;
  /// The files this format writes, as (file name, content): by default report.<format>.
  virtual std::vector<std::pair<std::string, std::string>> files(const Report& report,
                                                                 const std::string& format) const {
    return {{"report." + format, render(report)}};
  }
};

/// "md" (summary table and long table), "csv" (one line per aggregate), "json" (aggregates +
/// provenance), "tex" (booktabs summary table), "svg" (figures), "html" (all in one page).
const Registry<Reporter>& builtin_reporters();

}  // namespace mib
