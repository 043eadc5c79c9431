#pragma once
// Estimator specs, one parser for both forms:
//   string  "ksg" or "ksg:k=5,other=true"   (command line and configs; values are JSON
//                                             literals where they parse as one, else strings)
//   object  {"name": "ksg", "params": {"k": 5}, "label": "KSG-5"}   (configs)
// A name "chain:<name>" (string form "chain:ksg:k=5") wraps the estimator <name> of I(X; Y)
// in the chain rule I(X; Y | Z) = I(X; (Y, Z)) − I(X; Z) (estimators/cmi.hpp).

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "core/registry.hpp"
#include "estimators/estimator.hpp"

namespace mib {

/// Where an estimator call runs: in the worker thread, or in a forked child per call (so
/// crashes and memory blow-ups fail the cell, not the sweep).
enum class Isolation { kThread, kProcess };

struct EstimatorSpec {
  std::string name;
  nlohmann::json params = nlohmann::json::object();  ///< as given (not merged with defaults)
  std::string label;                                 ///< given label, or canonical()
  /// Object form only: "isolation": "thread" (default) or "process", and a per-call memory
  /// limit in MB for "process" (0: none).
  Isolation isolation = Isolation::kThread;
  std::size_t memory_limit_mb = 0;
  /// "name" or "name:key=value,..." with keys sorted: the spec's canonical string form.
  std::string canonical() const;
};

/// Parses the string form; ConfigError naming `where` on malformed text.
EstimatorSpec parse_spec(const std::string& text, const std::string& where);
/// Parses either form from JSON (a string or an object).
EstimatorSpec parse_spec(const nlohmann::json& j, const std::string& where);

/// An estimator built from a spec, with its full parameters (defaults merged with the spec's).
struct ResolvedEstimator {
  EstimatorSpec spec;
  nlohmann::json params;
  std::shared_ptr<const Estimator> estimator;
};

/// Builds the spec's estimator; ConfigError listing the valid names or parameters otherwise.
ResolvedEstimator resolve(const EstimatorSpec& spec, const Registry<Estimator>& registry,
                          const std::string& where);

}  // namespace mib
