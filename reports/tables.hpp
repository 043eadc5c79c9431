#pragma once
// The summary table: one row per task, the true MI, then one column per estimator with the
// mean ± sample sd of its estimates at one n; the estimate closest to the truth per task is
// marked, with failed replicates (†k) and saturated ones (‡k: near a known ceiling, e.g.
// InfoNCE's ln K or KSG's ψ(N) − ψ(k)). Rendered as Markdown, LaTeX (booktabs) and HTML.

#include <string>
#include <vector>

#include "reports/reporter.hpp"

namespace mib {

struct SummaryTable {
  std::size_t n = 0;
  double scale = 1;  ///< multiplies nats into the chosen unit
  std::string unit;  ///< "nats" or "bits"
  int precision = 2;
  std::vector<std::string> estimators, tasks;
  std::vector<double> truth, truth_se;               ///< per task, in the unit
  std::vector<std::vector<const Aggregate*>> cells;  ///< [task][estimator]; null: not run
  std::vector<int> best;  ///< per task: the estimator column closest to the truth, −1: none
};

/// The table for report.options; InvalidArgument naming the option when an n, unit,
/// estimator or task asked for is not in the run.
SummaryTable summary_table(const Report& report);

/// Row r's true MI with the table's precision, "± se" when it has a standard error (`pm` is
/// the plus-minus sign of the target format).
std::string truth_text(const SummaryTable& t, std::size_t r, const std::string& pm = " ± ");

/// How a cell reads in plain text: "mean ± sd" with the precision, "–" when it has no
/// successful replicate; sd omitted with one replicate.
std::string cell_text(const SummaryTable& t, const Aggregate* a);
/// Failure and saturation marks of a cell: "†k" and "‡k" (k replicates), space-separated.
std::string cell_marks(const Aggregate* a);
/// "n = 5000; mean ± sd over replicates, in nats; …" — the caption every format prints.
std::string caption(const SummaryTable& t);

/// One line naming the run: mibench version and commit, compiler, Boost and Eigen versions,
/// config hash, seed, start time and machine (what the manifest has of them).
std::string provenance_line(const nlohmann::json& provenance);

std::string render_markdown_summary(const SummaryTable& t);
std::string render_latex(const SummaryTable& t, const nlohmann::json& provenance);

}  // namespace mib
