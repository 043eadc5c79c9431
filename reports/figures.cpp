#include "reports/figures.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>

#include "core/stats.hpp"
#include "core/text.hpp"
#include "reports/svg.hpp"
#include "reports/tables.hpp"

namespace mib {
namespace {

svg::ChartOptions chart(std::string title, std::string x_label, std::string y_label, bool log_x,
                        bool log_y, int columns) {
  svg::ChartOptions o;
  o.title = std::move(title);
  o.x_label = std::move(x_label);
  o.y_label = std::move(y_label);
  o.log_x = log_x;
  o.log_y = log_y;
  o.columns = columns;
  return o;
}

// The median of the finite values.
double median(std::vector<double> v) {
  v.erase(std::remove_if(v.begin(), v.end(), [](double e) { return !std::isfinite(e); }), v.end());
  return stats::median(std::move(v));
}

struct Index {
  std::map<std::tuple<std::string, std::string, std::size_t>, const Aggregate*> at;
  std::vector<std::size_t> ns;
  const Aggregate* find(const std::string& e, const std::string& t, std::size_t n) const {
    auto it = at.find({e, t, n});
    return it == at.end() ? nullptr : it->second;
  }
};

Index index(const Report& report) {
  Index ix;
  std::set<std::size_t> ns;
  for (const auto& a : report.aggregates) {
    ix.at[{a.estimator, a.task, a.n}] = &a;
    ns.insert(a.n);
  }
  ix.ns.assign(ns.begin(), ns.end());
  return ix;
}

std::string unit_label(const SummaryTable& t) { return "MI (" + t.unit + ")"; }

std::string estimate_vs_n(const SummaryTable& t, const Index& ix) {
  std::vector<svg::Panel> panels;
  for (std::size_t r = 0; r < t.tasks.size(); ++r) {
    svg::Panel p{t.tasks[r], {}, {t.truth[r]}};
    for (const auto& e : t.estimators) {
      svg::Series s;
      s.name = e;
      for (std::size_t n : ix.ns) {
        const Aggregate* a = ix.find(e, t.tasks[r], n);
        if (!a) continue;
        const double sd = std::isfinite(a->std) ? a->std : 0;
        s.x.push_back(static_cast<double>(n));
        s.y.push_back(a->mean * t.scale);
        s.low.push_back((a->mean - sd) * t.scale);
        s.high.push_back((a->mean + sd) * t.scale);
      }
      p.series.push_back(std::move(s));
    }
    panels.push_back(std::move(p));
  }
  svg::ChartOptions o = chart("Estimate against sample size (mean ± sd; black dashes: true MI)",
                              "n (samples)", unit_label(t), true, false, 3);
  o.x_ticks.assign(ix.ns.begin(), ix.ns.end());
  return svg::line_chart(panels, o);
}

std::string bias_vs_dimension(const SummaryTable& t) {
  // The median over the tasks of each dimension (one diverging task — NWJ reaches −1e54 on the
  // 1024-dim views — would otherwise set the scale), clipped to ± twice the largest true MI so
  // the estimators that work stay readable; a clipped point is an arrowhead labelled with its
  // value. Markers only: the tasks of one dimension are not those of the next, so no line
  // joins them.
  double largest = 0;
  for (const auto& row : t.cells)
    for (const Aggregate* a : row)
      if (a && std::isfinite(a->mi_true)) largest = std::max(largest, std::abs(a->mi_true));
  const double limit = 2 * largest * t.scale;
  bool clipped = false;
  std::set<double> dims;
  svg::Panel p{"n = " + std::to_string(t.n), {}, {0.0}};
  for (std::size_t e = 0; e < t.estimators.size(); ++e) {
    std::map<int, std::vector<double>> by_dim;
    for (std::size_t r = 0; r < t.tasks.size(); ++r) {
      const Aggregate* a = t.cells[r][e];
      if (a && a->dims > 0 && std::isfinite(a->bias)) by_dim[a->dims].push_back(a->bias * t.scale);
    }
    svg::Series s;
    s.name = t.estimators[e];
    s.line = false;
    for (auto& [d, biases] : by_dim) {
      const double y = median(biases);
      s.unclipped.push_back(y);
      if (limit > 0 && std::abs(y) > limit) clipped = true;
      s.x.push_back(d);
      s.y.push_back(limit > 0 && std::abs(y) > limit ? std::copysign(limit, y) : y);
      dims.insert(d);
    }
    p.series.push_back(std::move(s));
  }
  std::string title = "Bias against dimension (median over the tasks of each dimension)";
  if (clipped) title += ", clipped at \u00b1" + format_fixed(limit, 2);
  svg::ChartOptions o = chart(title, "dim X + dim Y", "bias (" + t.unit + ")", true, false, 1);
  o.x_ticks.assign(dims.begin(), dims.end());
  if (clipped) {
    o.caption = "An arrowhead on the edge is a median beyond \u00b1" + format_fixed(limit, 2) +
                " (twice the largest true MI), labelled with its value.";
  }
  return svg::line_chart({p}, o);
}

std::string runtime(const SummaryTable& t, const Index& ix) {
  svg::Panel p{"median over tasks", {}, {}};
  for (const auto& e : t.estimators) {
    svg::Series s;
    s.name = e;
    for (std::size_t n : ix.ns) {
      std::vector<double> seconds;
      for (const auto& task : t.tasks)
        if (const Aggregate* a = ix.find(e, task, n)) seconds.push_back(a->median_seconds);
      if (seconds.empty()) continue;
      s.x.push_back(static_cast<double>(n));
      s.y.push_back(median(seconds));
    }
    p.series.push_back(std::move(s));
  }
  svg::ChartOptions o = chart("Runtime per call against sample size", "n (samples)",
                              "seconds (median)", true, true, 1);
  o.x_ticks.assign(ix.ns.begin(), ix.ns.end());
  return svg::line_chart({p}, o);
}

std::string heat_map(const SummaryTable& t) {
  svg::HeatMap m;
  m.title = "ln(mean estimate / true MI) at n = " + std::to_string(t.n);
  m.legend =
      "Each cell: the mean estimate, and below it ln(estimate / true), which the colour shows:\n"
      "under (purple) … over (orange); grey: no positive estimate";
  m.rows = t.tasks;
  m.columns = t.estimators;
  m.notes_title = "true MI";
  m.high = 1;
  for (std::size_t r = 0; r < t.tasks.size(); ++r) {
    m.notes.push_back(format_fixed(t.truth[r], 2));
    std::vector<double> values;
    std::vector<std::string> text;
    for (const Aggregate* a : t.cells[r]) {
      const bool ok = a && std::isfinite(a->mean) && a->mean > 0 && a->mi_true > 0;
      const double ratio = ok ? std::log(a->mean / a->mi_true) : std::nan("");
      values.push_back(ratio);
      // A diverged estimate (−1e54) in a cell's width.
      const double v = a ? a->mean * t.scale : std::nan("");
      text.push_back((std::abs(v) < 1e4 ? format_fixed(v, 2) : format_scientific(v, 0)) + "\n" +
                     (std::isfinite(ratio) ? format_fixed(ratio, 2) : std::string()));
    }
    m.values.push_back(std::move(values));
    m.text.push_back(std::move(text));
  }
  return svg::heat_map(m);
}

std::string samples_needed(const SummaryTable& t, const Index& ix) {
  svg::HeatMap m;
  m.title = "Samples needed: the smallest n from which |ln(estimate / true)| < ln 1.5";
  m.legend = "n, on a log scale (grey: never within the run)";
  m.low_label = std::to_string(ix.ns.front());
  m.high_label = std::to_string(ix.ns.back());
  m.rows = t.tasks;
  // An estimator that stops below the run's largest n (max_n) says so in its column label, so
  // its "–" is read as "not within its n", not "never".
  for (const auto& e : t.estimators) {
    std::size_t largest = 0;
    for (const auto& task : t.tasks)
      for (std::size_t n : ix.ns)
        if (ix.find(e, task, n)) largest = std::max(largest, n);
    m.columns.push_back(
        largest && largest < ix.ns.back() ? e + " (n ≤ " + std::to_string(largest) + ")" : e);
  }
  m.diverging = false;
  m.low = std::log10(static_cast<double>(ix.ns.front()));
  m.high = std::log10(static_cast<double>(ix.ns.back()));
  if (m.high <= m.low) m.high = m.low + 1;
  for (const auto& task : t.tasks) {
    std::vector<double> values;
    std::vector<std::string> text;
    for (const auto& e : t.estimators) {
      // An n without rows for this estimator (a config's max_n leaves it out) is not one it
      // failed at; an n whose cells all failed has an aggregate with no mean, and is.
      std::size_t needed = 0;
      for (auto it = ix.ns.rbegin(); it != ix.ns.rend(); ++it) {
        const Aggregate* a = ix.find(e, task, *it);
        if (!a) continue;
        const bool good = std::isfinite(a->mean) && a->mean > 0 && a->mi_true > 0 &&
                          std::abs(std::log(a->mean / a->mi_true)) < std::log(1.5);
        if (!good) break;
        needed = *it;
      }
      values.push_back(needed ? std::log10(static_cast<double>(needed)) : std::nan(""));
      text.push_back(needed ? std::to_string(needed) : "–");
    }
    m.values.push_back(std::move(values));
    m.text.push_back(std::move(text));
  }
  return svg::heat_map(m);
}

std::string training_curves(const SummaryTable& t) {
  std::vector<svg::Panel> panels;
  for (std::size_t r = 0; r < t.tasks.size(); ++r) {
    svg::Panel p{t.tasks[r], {}, {t.truth[r]}};
    for (std::size_t e = 0; e < t.estimators.size(); ++e) {
      const Aggregate* a = t.cells[r][e];
      if (!a || a->curve.empty()) continue;
      svg::Series s;
      s.name = t.estimators[e];
      for (const auto& [step, value] : a->curve)
        s.x.push_back(step), s.y.push_back(value * t.scale);
      p.series.push_back(std::move(s));
    }
    if (!p.series.empty()) panels.push_back(std::move(p));
  }
  if (panels.empty()) return "";
  return svg::line_chart(
      panels, chart("Neural estimators: test value during training (first replicate, n = " +
                        std::to_string(t.n) + "; black dashes: true MI)",
                    "training step", unit_label(t), false, false, 3));
}

}  // namespace

std::vector<std::pair<std::string, std::string>> figures(const Report& report) {
  const SummaryTable t = summary_table(report);
  const Index ix = index(report);
  std::vector<std::pair<std::string, std::string>> out;
  if (ix.ns.size() > 1) out.emplace_back("estimate-vs-n", estimate_vs_n(t, ix));
  std::set<int> dims;
  for (const auto& row : t.cells)
    for (const Aggregate* a : row)
      if (a && a->dims > 0) dims.insert(a->dims);
  if (dims.size() > 1) out.emplace_back("bias-vs-dimension", bias_vs_dimension(t));
  if (ix.ns.size() > 1) out.emplace_back("runtime", runtime(t, ix));
  out.emplace_back("heatmap", heat_map(t));
  if (ix.ns.size() > 1) out.emplace_back("samples-needed", samples_needed(t, ix));
  if (std::string curves = training_curves(t); !curves.empty())
    out.emplace_back("training-curves", std::move(curves));
  // Each figure names its run in a <desc> element, so a file on its own still says where it
  // came from.
  const std::string desc = "<desc>" + svg::escape(provenance_line(report.provenance)) + "</desc>\n";
  for (auto& figure : out) figure.second.insert(figure.second.find('\n') + 1, desc);
  return out;
}

}  // namespace mib
