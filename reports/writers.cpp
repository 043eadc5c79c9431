#include <cmath>
#include <cstdio>

#include "core/text.hpp"
#include "reports/reporter.hpp"

namespace mib {
namespace {

std::string fixed(double v, int digits = 4) {
  if (!std::isfinite(v)) return "–";
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", digits, v);
  return buffer;
}

std::string significant(double v) {
  if (!std::isfinite(v)) return "–";
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.3g", v);
  return buffer;
}

// Markdown: one row per (estimator, task, n); MI columns in nats with 4 decimals.
class MarkdownReporter final : public Reporter {
 public:
  std::string render(const Report& report) const override {
    std::string out =
        "| estimator | task | n | true MI | mean | bias | std | RMSE | median s | ok | failed |\n"
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n";
    for (const auto& a : report.aggregates) {
      std::string truth = fixed(a.mi_true);
      if (a.mi_true_se > 0) truth += " ± " + fixed(a.mi_true_se);
      out += "| " + a.estimator + " | " + a.task + " | " + std::to_string(a.n) + " | " + truth +
             " | " + fixed(a.mean) + " | " + fixed(a.bias) + " | " + fixed(a.std) + " | " +
             fixed(a.rmse) + " | " + significant(a.median_seconds) + " | " +
             std::to_string(a.replicates) + " | " + std::to_string(a.failures) + " |\n";
    }
    return out;
  }
};

std::string csv_number(double v) { return std::isfinite(v) ? format_number(v) : ""; }

std::string csv_text(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string quoted = "\"";
  for (char c : s) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

// CSV: full precision, empty cells where a statistic is undefined.
class CsvReporter final : public Reporter {
 public:
  std::string render(const Report& report) const override {
    std::string out =
        "estimator,task,n,mi_true,mi_true_se,replicates,failures,mean,bias,std,rmse,median_"
        "seconds\n";
    for (const auto& a : report.aggregates) {
      out += csv_text(a.estimator) + "," + csv_text(a.task) + "," + std::to_string(a.n) + "," +
             csv_number(a.mi_true) + "," + csv_number(a.mi_true_se) + "," +
             std::to_string(a.replicates) + "," + std::to_string(a.failures) + "," +
             csv_number(a.mean) + "," + csv_number(a.bias) + "," + csv_number(a.std) + "," +
             csv_number(a.rmse) + "," + csv_number(a.median_seconds) + "\n";
    }
    return out;
  }
};

nlohmann::json json_number(double v) {
  return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json();
}

// JSON: the aggregates (null where undefined) and the provenance block.
class JsonReporter final : public Reporter {
 public:
  std::string render(const Report& report) const override {
    nlohmann::json rows = nlohmann::json::array();
    for (const auto& a : report.aggregates) {
      rows.push_back({{"estimator", a.estimator},
                      {"task", a.task},
                      {"n", a.n},
                      {"mi_true", a.mi_true},
                      {"mi_true_se", a.mi_true_se},
                      {"replicates", a.replicates},
                      {"failures", a.failures},
                      {"mean", json_number(a.mean)},
                      {"bias", json_number(a.bias)},
                      {"std", json_number(a.std)},
                      {"rmse", json_number(a.rmse)},
                      {"median_seconds", json_number(a.median_seconds)}});
    }
    return nlohmann::json{{"schema_version", 1},
                          {"units", "nats"},
                          {"provenance", report.provenance},
                          {"aggregates", rows}}
               .dump(2) +
           "\n";
  }
};

template <class R>
Registry<Reporter>::Entry format(std::string name, std::string description) {
  return {std::move(name), std::move(description), nlohmann::json::object(),
          [](const nlohmann::json&, const std::string&) { return std::make_unique<R>(); }};
}

}  // namespace

const Registry<Reporter>& builtin_reporters() {
  static const Registry<Reporter> registry = [] {
    Registry<Reporter> r;
    r.add(format<MarkdownReporter>("md", "Markdown table"));
    r.add(format<CsvReporter>("csv", "CSV, one line per (estimator, task, n)"));
    r.add(format<JsonReporter>("json", "JSON with the provenance block"));
    return r;
  }();
  return registry;
}

}  // namespace mib
