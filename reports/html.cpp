// HTML: one self-contained page (inline CSS and SVG, no scripts, no network): the line to cite
// with the results, the summary table, every figure, the failed cells with their messages, the
// provenance block and the long table. Responsive: figures scale down to the column, wide tables
// scroll inside their box.
#include "reports/html.hpp"

#include <cmath>
#include <cstdio>

#include "core/text.hpp"
#include "reports/figures.hpp"
#include "reports/svg.hpp"
#include "reports/tables.hpp"

namespace mib {
namespace {

using svg::escape;

std::string summary_html(const SummaryTable& t) {
  std::string out = "<table>\n<caption>" + escape(caption(t)) +
                    "</caption>\n<thead><tr><th>task</th><th>true MI</th>";
  for (const auto& e : t.estimators) out += "<th>" + escape(e) + "</th>";
  out += "</tr></thead>\n<tbody>\n";
  for (std::size_t r = 0; r < t.tasks.size(); ++r) {
    out += "<tr><th>" + escape(t.tasks[r]) + "</th><td>" + truth_text(t, r) + "</td>";
    for (std::size_t e = 0; e < t.estimators.size(); ++e) {
      const Aggregate* a = t.cells[r][e];
      std::string text = escape(cell_text(t, a));
      if (t.best[r] == static_cast<int>(e)) text = "<b>" + text + "</b>";
      const std::string marks = cell_marks(a);
      if (!marks.empty()) text += " <span class=\"mark\">" + escape(marks) + "</span>";
      out += "<td>" + text + "</td>";
    }
    out += "</tr>\n";
  }
  return out + "</tbody>\n</table>\n";
}

std::string failures_html(const Report& report) {
  std::string items;
  for (const auto& a : report.aggregates) {
    if (!a.failures) continue;
    items += "<li><b>" + escape(a.estimator) + "</b> on <b>" + escape(a.task) +
             "</b>, n = " + std::to_string(a.n) + ": " + std::to_string(a.failures) + " of " +
             std::to_string(a.failures + a.replicates) + " failed<ul>";
    for (const auto& m : a.failure_messages) items += "<li><code>" + escape(m) + "</code></li>";
    items += "</ul></li>\n";
  }
  return items.empty() ? "<p>No cell failed.</p>\n" : "<ul>\n" + items + "</ul>\n";
}

// A manifest value as a reader would write it: text as itself, an object as "key: value, ...",
// a list comma-separated (the machine block is "host: …, cpu: …, hardware_threads: 2").
std::string plain(const nlohmann::json& value) {
  if (value.is_string()) return value.get<std::string>();
  std::vector<std::string> parts;
  if (value.is_object()) {
    for (const auto& [key, v] : value.items()) parts.push_back(key + ": " + plain(v));
  } else if (value.is_array()) {
    for (const auto& v : value) parts.push_back(plain(v));
  } else {
    return value.dump();
  }
  return join(parts, ", ");
}

std::string provenance_html(const nlohmann::json& provenance) {
  if (!provenance.is_object()) return "<p>No manifest.</p>\n";
  std::string out = "<div class=\"scroll\"><table class=\"provenance\">\n";
  for (const auto& [key, value] : provenance.items()) {
    if (key == "config") continue;  // shown in full below
    out +=
        "<tr><th>" + escape(key) + "</th><td><code>" + escape(plain(value)) + "</code></td></tr>\n";
  }
  out += "</table></div>\n";
  if (provenance.contains("config"))
    out += "<details><summary>config</summary><pre>" + escape(provenance["config"].dump(2)) +
           "</pre></details>\n";
  return out;
}

std::string long_html(const Report& report) {
  std::string out =
      "<table>\n<thead><tr><th>estimator</th><th>task</th><th>n</th><th>true MI</th><th>mean</th>"
      "<th>bias</th><th>std</th><th>RMSE</th><th>median s</th><th>ok</th><th>failed</th>"
      "<th>saturated</th></tr></thead>\n<tbody>\n";
  for (const auto& a : report.aggregates) {
    out += "<tr><td>" + escape(a.estimator) + "</td><td>" + escape(a.task) + "</td><td>" +
           std::to_string(a.n) + "</td><td>" + format_fixed(a.mi_true, 4) + "</td><td>" +
           format_fixed(a.mean, 4) + "</td><td>" + format_fixed(a.bias, 4) + "</td><td>" +
           format_fixed(a.std, 4) + "</td><td>" + format_fixed(a.rmse, 4) + "</td><td>" +
           format_significant(a.median_seconds, 3) + "</td><td>" + std::to_string(a.replicates) +
           "</td><td>" + std::to_string(a.failures) + "</td><td>" + std::to_string(a.saturated) +
           "</td></tr>\n";
  }
  return out + "</tbody>\n</table>\n";
}

}  // namespace

std::string render_html(const Report& report) {
  const SummaryTable t = summary_table(report);
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<title>mibench report</title>\n<style>\n"
      "body{font-family:Helvetica,Arial,sans-serif;margin:2em;max-width:1400px;color:#222}\n"
      "table{border-collapse:collapse;margin:1em 0;font-size:13px}\n"
      "th,td{border-bottom:1px solid #ddd;padding:3px 8px;text-align:right}\n"
      "th:first-child,td:first-child{text-align:left}\n"
      "caption{text-align:left;font-size:12px;color:#555;padding-bottom:4px}\n"
      "table.provenance td,table.provenance th{text-align:left}\n"
      ".mark{color:#b35806;font-size:11px}\nfigure{margin:1.5em 0}\n"
      "figure svg{max-width:100%;height:auto}\n.scroll{overflow-x:auto}\n"
      "pre.cite{white-space:pre-wrap;background:#f6f6f6;padding:6px 8px;font-size:12px}\n"
      "</style>\n</head>\n<body>\n<h1>mibench report</h1>\n";
  out +=
      "<p>Cite with these results (rerunning the config with this build gives the same numbers "
      "bit for bit; the full manifest is under Provenance):</p>\n<pre class=\"cite\">" +
      escape(provenance_line(report.provenance)) + "</pre>\n";
  out += "<h2>Summary at n = " + std::to_string(t.n) + "</h2>\n<div class=\"scroll\">" +
         summary_html(t) + "</div>\n";
  out += "<h2>Figures</h2>\n";
  for (const auto& [name, svg] : figures(report))
    out += "<figure id=\"" + escape(name) + "\">\n" + svg + "</figure>\n";
  out += "<h2>Failures</h2>\n" + failures_html(report);
  out += "<h2>Provenance</h2>\n" + provenance_html(report.provenance);
  out += "<h2>Every (estimator, task, n), in nats</h2>\n<div class=\"scroll\">" +
         long_html(report) + "</div>\n";
  return out + "</body>\n</html>\n";
}

}  // namespace mib
