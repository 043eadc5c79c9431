#pragma once
// The reporter seam: a Reporter renders plain aggregates (plus the run's provenance block)
// as text. Formats are registered by name; the name is also the file extension.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/registry.hpp"
#include "reports/aggregate.hpp"

namespace mib {

struct Report {
  std::vector<Aggregate> aggregates;
  nlohmann::json provenance;  ///< the run's manifest (version, commit, config, seed, ...)
};

class Reporter {
 public:
  virtual ~Reporter() = default;
  virtual std::string render(const Report& report) const = 0;
};

/// "md" (Markdown table), "csv" (one line per aggregate), "json" (aggregates + provenance).
const Registry<Reporter>& builtin_reporters();

}  // namespace mib
