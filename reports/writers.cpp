#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/text.hpp"
#include "reports/figures.hpp"
#include "reports/html.hpp"
#include "reports/reporter.hpp"
#include "reports/tables.hpp"

namespace mib {
namespace {

constexpr const char* kConditionalNote =
    "Tasks with a conditioning variable Z (the rows' dim_z > 0): the true value and the "
    "estimates are the conditional MI I(X; Y | Z) (or a transfer entropy).";

std::string fixed(double v) { return format_fixed(v, 4); }

// Markdown: the summary table (tables.hpp), then one row per (estimator, task, n) with MI
// columns in nats and 4 decimals.
class MarkdownReporter final : public Reporter {
 public:
  std::string render(const Report& report) const override {
    std::string out =
        render_markdown_summary(summary_table(report)) +
        "\nEvery (estimator, task, n), in nats:\n\n"
        "| estimator | task | n | true MI | mean | bias | std | RMSE | median s | ok | "
        "failed |\n"
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n";
    for (const auto& a : report.aggregates) {
      std::string truth = fixed(a.mi_true);
      if (a.mi_true_se > 0) truth += " ± " + fixed(a.mi_true_se);
      out += "| " + a.estimator + " | " + a.task + " | " + std::to_string(a.n) + " | " + truth +
             " | " + fixed(a.mean) + " | " + fixed(a.bias) + " | " + fixed(a.std) + " | " +
             fixed(a.rmse) + " | " + format_significant(a.median_seconds, 3) + " | " +
             std::to_string(a.replicates) + " | " + std::to_string(a.failures) + " |\n";
    }
    if (std::any_of(report.aggregates.begin(), report.aggregates.end(),
                    [](const Aggregate& a) { return a.dim_z > 0; }))
      out += "\n" + std::string(kConditionalNote) + "\n";
    return out + "\n" + provenance_line(report.provenance) + "\n";
  }
};

std::string csv_number(double v) { return std::isfinite(v) ? format_number(v) : ""; }

std::string csv_text(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string quoted = "\"";
  for (char c : s) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

// CSV: full precision, empty cells where a statistic is undefined; the columns of report.json's
// aggregates (saturated, then dim_z last, so earlier columns keep their positions).
class CsvReporter final : public Reporter {
 public:
  std::string render(const Report& report) const override {
    std::string out =
        "estimator,task,n,mi_true,mi_true_se,replicates,failures,mean,bias,std,rmse,median_"
        "seconds,saturated,dim_z\n";
    for (const auto& a : report.aggregates) {
      out += csv_text(a.estimator) + "," + csv_text(a.task) + "," + std::to_string(a.n) + "," +
             csv_number(a.mi_true) + "," + csv_number(a.mi_true_se) + "," +
             std::to_string(a.replicates) + "," + std::to_string(a.failures) + "," +
             csv_number(a.mean) + "," + csv_number(a.bias) + "," + csv_number(a.std) + "," +
             csv_number(a.rmse) + "," + csv_number(a.median_seconds) + "," +
             std::to_string(a.saturated) + "," + std::to_string(a.dim_z) + "\n";
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
      nlohmann::json row = {{"estimator", a.estimator},
                            {"task", a.task},
                            {"n", a.n},
                            {"mi_true", a.mi_true},
                            {"mi_true_se", a.mi_true_se},
                            {"replicates", a.replicates},
                            {"failures", a.failures},
                            {"saturated", a.saturated},
                            {"mean", json_number(a.mean)},
                            {"bias", json_number(a.bias)},
                            {"std", json_number(a.std)},
                            {"rmse", json_number(a.rmse)},
                            {"median_seconds", json_number(a.median_seconds)}};
      if (a.dim_z > 0) row["dim_z"] = a.dim_z;
      rows.push_back(std::move(row));
    }
    return nlohmann::json{{"schema_version", 1},
                          {"units", "nats"},
                          {"provenance", report.provenance},
                          {"aggregates", rows}}
               .dump(2) +
           "\n";
  }
};

// LaTeX: the summary table as a booktabs tabular.
class LatexReporter final : public Reporter {
 public:
  std::string render(const Report& report) const override {
    return render_latex(summary_table(report), report.provenance);
  }
};

// SVG: one file per figure (figures.hpp), report.<figure>.svg.
class SvgReporter final : public Reporter {
 public:
  std::string render(const Report& report) const override {
    const auto all = figures(report);
    return all.empty() ? std::string() : all.front().second;
  }
  std::vector<std::pair<std::string, std::string>> files(const Report& report,
                                                         const std::string&) const override {
    std::vector<std::pair<std::string, std::string>> out;
    for (auto& [name, svg] : figures(report))
      out.emplace_back("report." + name + ".svg", std::move(svg));
    return out;
  }
};

class HtmlReporter final : public Reporter {
 public:
  std::string render(const Report& report) const override { return render_html(report); }
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
    r.add(format<LatexReporter>("tex", "LaTeX booktabs summary table (mean ± sd at one n)"));
    r.add(format<SvgReporter>("svg", "figures, one SVG file each"));
    r.add(format<HtmlReporter>("html",
                               "one self-contained page: tables, figures, failures, provenance"));
    return r;
  }();
  return registry;
}

}  // namespace mib
