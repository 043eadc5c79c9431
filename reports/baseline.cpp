#include "reports/baseline.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <tuple>

#include "core/error.hpp"
#include "core/text.hpp"

namespace mib {
namespace {

using Key = std::tuple<std::string, std::string, std::size_t>;

double standard_error(const Aggregate& a) {
  return a.replicates > 1 && std::isfinite(a.std)
             ? a.std / std::sqrt(static_cast<double>(a.replicates))
             : std::nan("");
}

nlohmann::json number_or_null(double v) {
  return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json();
}

std::string num(double v) { return std::isfinite(v) ? format_number(v) : "none"; }

}  // namespace

nlohmann::json make_baseline(const std::vector<Aggregate>& aggregates,
                             const nlohmann::json& provenance) {
  nlohmann::json entries = nlohmann::json::array();
  for (const auto& a : aggregates) {
    entries.push_back({{"estimator", a.estimator},
                       {"task", a.task},
                       {"n", a.n},
                       {"mean", number_or_null(a.mean)},
                       {"std_error", number_or_null(standard_error(a))},
                       {"replicates", a.replicates},
                       {"failures", a.failures}});
  }
  return {{"schema_version", 1}, {"provenance", provenance}, {"entries", entries}};
}

CheckResult check_against(const std::vector<Aggregate>& run, const nlohmann::json& baseline,
                          const CheckOptions& options, const std::string& where) {
  if (!baseline.is_object() || !baseline.contains("entries") || !baseline["entries"].is_array()) {
    fail<DataError>(where, "the baseline", "an object with an \"entries\" list", "not");
  }
  std::map<Key, const Aggregate*> cells;
  for (const auto& a : run) cells[{a.estimator, a.task, a.n}] = &a;
  CheckResult result;
  std::map<Key, bool> known;
  for (std::size_t i = 0; i < baseline["entries"].size(); ++i) {
    const auto& e = baseline["entries"][i];
    const std::string here = where + ": entries[" + std::to_string(i) + "]";
    Key key;
    double mean = 0, se = 0;
    std::size_t failures = 0;
    try {
      key = {e.at("estimator").get<std::string>(), e.at("task").get<std::string>(),
             e.at("n").get<std::size_t>()};
      mean = e.at("mean").is_null() ? std::nan("") : e.at("mean").get<double>();
      se = e.at("std_error").is_null() ? std::nan("") : e.at("std_error").get<double>();
      failures = e.at("failures").get<std::size_t>();
    } catch (const nlohmann::json::exception& ex) {
      fail<DataError>(here, "the entry",
                      "{estimator, task, n, mean, std_error, replicates, failures}", ex.what());
    }
    known[key] = true;
    const auto& [estimator, task, n] = key;
    auto it = cells.find(key);
    if (it == cells.end() || (it->second->replicates == 0 && std::isfinite(mean))) {
      result.regressions.push_back(
          {estimator, task, n, "missing", "in the baseline, not in the run"});
      continue;
    }
    ++result.compared;
    const Aggregate& a = *it->second;
    if (a.failures > failures) {
      result.regressions.push_back({estimator, task, n, "new failure",
                                    std::to_string(a.failures) + " failed replicates, baseline " +
                                        std::to_string(failures)});
    }
    if (!std::isfinite(mean) || !std::isfinite(a.mean)) continue;
    const double run_se = standard_error(a);
    const bool statistical = std::isfinite(se) && std::isfinite(run_se);
    // Never below the absolute floor: a zero standard error must not turn the last bit of
    // another compiler build into a regression.
    const double tolerance =
        statistical ? std::max(options.sigmas * std::hypot(se, run_se), options.absolute)
                    : options.absolute;
    const double difference = a.mean - mean;
    if (std::abs(difference) > tolerance) {
      result.regressions.push_back(
          {estimator, task, n, "shifted",
           "mean " + num(a.mean) + " vs " + num(mean) + " (difference " + num(difference) +
               ", tolerance " + num(tolerance) +
               (statistical ? " = " + format_number(options.sigmas) + " sigma)" : ", absolute)")});
    }
  }
  for (const auto& [key, a] : cells) {
    if (!known.count(key)) {
      result.fresh.push_back(std::get<0>(key) + "|" + std::get<1>(key) + "|" +
                             std::to_string(std::get<2>(key)));
    }
  }
  return result;
}

std::string format_check(const CheckResult& result) {
  std::string out;
  if (result.regressions.empty()) {
    out = "check passed: " + std::to_string(result.compared) + " cells agree with the baseline";
  } else {
    out = "| estimator | task | n | regression | detail |\n|---|---|---:|---|---|\n";
    for (const auto& r : result.regressions) {
      out += "| " + r.estimator + " | " + r.task + " | " + std::to_string(r.n) + " | " + r.kind +
             " | " + r.detail + " |\n";
    }
    // A cell can regress in two ways at once (a new failure and a shifted mean), and a missing
    // cell is a regression that was not compared: say each count for what it is.
    std::set<std::tuple<std::string, std::string, std::size_t>> cells;
    std::size_t missing = 0;
    for (const auto& r : result.regressions) {
      cells.emplace(r.estimator, r.task, r.n);
      missing += r.kind == "missing";
    }
    out += "\ncheck failed: " + std::to_string(result.regressions.size()) + " regressions in " +
           std::to_string(cells.size()) + " cells (" + std::to_string(result.compared) +
           " cells compared, " + std::to_string(missing) + " baseline cells missing from the run)";
  }
  if (!result.fresh.empty())
    out += "\n(" + std::to_string(result.fresh.size()) + " cells not in the baseline)";
  return out + "\n";
}

}  // namespace mib
