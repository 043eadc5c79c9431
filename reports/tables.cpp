#include "reports/tables.hpp"

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

// The entries of `wanted` (all of `present`, in order, when wanted is empty); InvalidArgument
// naming the option for one the run does not have.
std::vector<std::string> choose(const std::vector<std::string>& present,
                                const std::vector<std::string>& wanted, const char* option) {
  if (wanted.empty()) return present;
  for (const auto& w : wanted) {
    if (std::find(present.begin(), present.end(), w) == present.end())
      fail("report", option, "names from the run (" + join(present, ", ") + ")", quoted(w));
  }
  return wanted;
}

std::string latex_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '\\':
        out += "\\textbackslash{}";
        break;
      case '~':
        out += "\\textasciitilde{}";
        break;
      case '^':
        out += "\\textasciicircum{}";
        break;
      case '_':
      case '%':
      case '&':
      case '#':
      case '$':
      case '{':
      case '}':
        out += '\\';
        out += c;
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string markdown_escape(const std::string& s) {
  std::string out;
  for (char c : s) out += c == '|' ? std::string("\\|") : std::string(1, c);
  return out;
}

std::size_t replicates_per_cell(const SummaryTable& t) {
  std::size_t r = 0;
  for (const auto& row : t.cells)
    for (const Aggregate* a : row)
      if (a) r = std::max(r, a->replicates + a->failures);
  return r;
}

}  // namespace

std::string truth_text(const SummaryTable& t, std::size_t r, const std::string& pm) {
  std::string s = format_fixed(t.truth[r], t.precision);
  if (t.truth_se[r] > 0) s += pm + format_fixed(t.truth_se[r], t.precision);
  return s;
}

SummaryTable summary_table(const Report& report) {
  const TableOptions& o = report.options;
  SummaryTable t;
  require(o.units == "nats" || o.units == "bits", "report", "--units", "nats or bits",
          quoted(o.units));
  require(o.precision >= 0 && o.precision <= 10, "report", "--precision", "in [0, 10]",
          o.precision);
  t.unit = o.units;
  t.scale = o.units == "bits" ? 1 / std::log(2.0) : 1.0;
  t.precision = o.precision;
  std::vector<std::string> estimators, tasks;
  std::set<std::size_t> ns;
  for (const auto& a : report.aggregates) {
    if (std::find(estimators.begin(), estimators.end(), a.estimator) == estimators.end())
      estimators.push_back(a.estimator);
    if (std::find(tasks.begin(), tasks.end(), a.task) == tasks.end()) tasks.push_back(a.task);
    ns.insert(a.n);
  }
  require(!ns.empty(), "report", "the run", "one with results", "empty");
  t.n = o.n ? o.n : *ns.rbegin();
  if (!ns.count(t.n)) {
    std::vector<std::string> sizes;
    for (std::size_t n : ns) sizes.push_back(std::to_string(n));
    fail("report", "--n", "one of the run's sample sizes (" + join(sizes, ", ") + ")", t.n);
  }
  t.estimators = choose(estimators, o.estimators, "--estimators");
  const std::vector<std::string> chosen_tasks = choose(tasks, o.tasks, "--tasks");
  std::map<std::tuple<std::string, std::string>, const Aggregate*> at_n;
  for (const auto& a : report.aggregates)
    if (a.n == t.n) at_n[{a.estimator, a.task}] = &a;
  for (const auto& task : chosen_tasks) {
    std::vector<const Aggregate*> row;
    const Aggregate* any = nullptr;
    for (const auto& e : t.estimators) {
      auto it = at_n.find({e, task});
      row.push_back(it == at_n.end() ? nullptr : it->second);
      if (row.back()) any = row.back();
    }
    if (!any) continue;  // the task was not run at this n
    t.tasks.push_back(task);
    t.truth.push_back(any->mi_true * t.scale);
    t.truth_se.push_back(any->mi_true_se * t.scale);
    int best = -1;
    double best_error = 0;
    for (std::size_t e = 0; e < row.size(); ++e) {
      if (!row[e] || !std::isfinite(row[e]->mean)) continue;
      const double error = std::abs(row[e]->mean - any->mi_true);
      if (best < 0 || error < best_error) best = static_cast<int>(e), best_error = error;
    }
    t.best.push_back(best);
    t.cells.push_back(std::move(row));
  }
  return t;
}

std::string cell_text(const SummaryTable& t, const Aggregate* a) {
  if (!a || !std::isfinite(a->mean)) return "–";
  std::string s = format_fixed(a->mean * t.scale, t.precision);
  if (std::isfinite(a->std)) s += " ± " + format_fixed(a->std * t.scale, t.precision);
  return s;
}

std::string cell_marks(const Aggregate* a) {
  std::string s;
  if (a && a->failures) s += "†" + std::to_string(a->failures);
  if (a && a->saturated)
    s += std::string(s.empty() ? "" : " ") + "‡" + std::to_string(a->saturated);
  return s;
}

std::string caption(const SummaryTable& t) {
  return "Mean ± sd of the estimates at n = " + std::to_string(t.n) + " over " +
         std::to_string(replicates_per_cell(t)) + " replicates, in " + t.unit +
         "; bold: closest to the true MI of the task; †k: k failed replicates; ‡k: k replicates "
         "saturated near a known ceiling (InfoNCE ln K, KSG ψ(N) − ψ(k), histogram ln N).";
}

std::string provenance_line(const nlohmann::json& p) {
  auto get = [&](const char* key) {
    auto it = p.is_object() ? p.find(key) : p.end();
    if (it == p.end()) return std::string("?");
    return it->is_string() ? it->get<std::string>() : it->dump();
  };
  std::string line = "mibench " + get("mibench_version") + " (commit " + get("git_commit") + "), " +
                     get("compiler") + ", Boost " + get("boost_version") + ", Eigen " +
                     get("eigen_version") + "; config " + get("config_hash") + ", seed " +
                     get("seed");
  if (p.is_object() && p.contains("started_at")) line += "; started " + get("started_at");
  if (p.is_object() && p.contains("machine") && p["machine"].is_object()) {
    const auto& m = p["machine"];
    line +=
        " on " + m.value("host", std::string("?")) + " (" + m.value("cpu", std::string("?")) + ")";
  }
  return line;
}

std::string render_markdown_summary(const SummaryTable& t) {
  std::string out = caption(t) + "\n\n| task | true MI |";
  std::string rule = "|---|---:|";
  for (const auto& e : t.estimators) {
    out += " " + markdown_escape(e) + " |";
    rule += "---:|";
  }
  out += "\n" + rule + "\n";
  for (std::size_t r = 0; r < t.tasks.size(); ++r) {
    out += "| " + markdown_escape(t.tasks[r]) + " | " + truth_text(t, r) + " |";
    for (std::size_t e = 0; e < t.estimators.size(); ++e) {
      const Aggregate* a = t.cells[r][e];
      std::string text = cell_text(t, a);
      if (t.best[r] == static_cast<int>(e)) text = "**" + text + "**";
      const std::string marks = cell_marks(a);
      out += " " + text + (marks.empty() ? "" : " " + marks) + " |";
    }
    out += "\n";
  }
  return out;
}

std::string render_latex(const SummaryTable& t, const nlohmann::json& provenance) {
  std::string out = "% " + provenance_line(provenance) + "\n% Needs \\usepackage{booktabs}.\n";
  out += "\\begin{tabular}{lr" + std::string(t.estimators.size(), 'r') +
         "}\n\\toprule\nTask & True MI";
  for (const auto& e : t.estimators) out += " & " + latex_escape(e);
  out += " \\\\\n\\midrule\n";
  auto number = [&](const Aggregate* a) {
    if (!a || !std::isfinite(a->mean)) return std::string("---");
    std::string s = format_fixed(a->mean * t.scale, t.precision);
    if (std::isfinite(a->std)) s += " $\\pm$ " + format_fixed(a->std * t.scale, t.precision);
    return s;
  };
  for (std::size_t r = 0; r < t.tasks.size(); ++r) {
    out += latex_escape(t.tasks[r]) + " & " + truth_text(t, r, " $\\pm$ ");
    for (std::size_t e = 0; e < t.estimators.size(); ++e) {
      const Aggregate* a = t.cells[r][e];
      std::string cell = number(a);
      if (t.best[r] == static_cast<int>(e)) cell = "\\textbf{" + cell + "}";
      std::string marks;
      if (a && a->failures) marks += "\\dagger " + std::to_string(a->failures);
      if (a && a->saturated)
        marks +=
            std::string(marks.empty() ? "" : "\\,") + "\\ddagger " + std::to_string(a->saturated);
      if (!marks.empty()) cell += "$^{" + marks + "}$";
      out += " & " + cell;
    }
    out += " \\\\\n";
  }
  out += "\\bottomrule\n\\multicolumn{" + std::to_string(t.estimators.size() + 2) +
         "}{@{}l}{\\footnotesize Mean $\\pm$ sd at $n = " + std::to_string(t.n) + "$ over " +
         std::to_string(replicates_per_cell(t)) + " replicates, in " + t.unit +
         "; bold: closest to the true MI; $\\dagger k$: $k$ failed; $\\ddagger k$: $k$ "
         "saturated (InfoNCE $\\ln K$, KSG $\\psi(N) - \\psi(k)$, histogram $\\ln "
         "N$).}\n\\end{tabular}\n";
  return out;
}

}  // namespace mib
