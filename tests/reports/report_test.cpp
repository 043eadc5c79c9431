#include <map>

#include "check.hpp"
#include "core/error.hpp"
#include "reports/figures.hpp"
#include "reports/reporter.hpp"
#include "reports/svg.hpp"

namespace {

// Typed rows from short JSON rows: the fields the reports do not read get neutral values.
std::vector<mib::CellResult> cells(const nlohmann::json& short_rows) {
  std::vector<mib::CellResult> out;
  for (nlohmann::json r : short_rows) {
    for (const char* key : {"dim_x", "dim_y", "replicate", "seed"})
      if (!r.contains(key)) r[key] = 0;
    for (const char* key : {"key", "spec", "message"})
      if (!r.contains(key)) r[key] = "";
    if (!r.contains("params")) r["params"] = nlohmann::json::object();
    if (!r.contains("info")) r["info"] = nlohmann::json::object();
    if (!r.contains("cpu_seconds")) r["cpu_seconds"] = 0;
    out.push_back(mib::cell_from_json(r, "rows"));
  }
  return out;
}

std::vector<mib::CellResult> rows() {
  const auto j = nlohmann::json::parse(R"([
    {"estimator": "ksg", "task": "t1", "n": 100, "mi_true": 0.5, "mi_true_se": 0, "estimate": 0.4, "status": "ok", "seconds": 0.01},
    {"estimator": "ksg", "task": "t1", "n": 100, "mi_true": 0.5, "mi_true_se": 0, "estimate": 0.6, "status": "ok", "seconds": 0.03, "info": {"ceiling": 0.7, "saturated": true}},
    {"estimator": "ksg", "task": "t1", "n": 100, "mi_true": 0.5, "mi_true_se": 0, "estimate": null, "status": "timeout", "seconds": 2.0},
    {"estimator": "ksg", "task": "t1", "n": 50, "mi_true": 0.5, "mi_true_se": 0, "estimate": 0.3, "status": "ok", "seconds": 0.001},
    {"estimator": "gauss", "task": "t2", "n": 100, "mi_true": 1.25, "mi_true_se": 0.001, "estimate": null, "status": "error", "seconds": 0.5}
  ])");
  return cells(j);
}

std::string render(const char* format, mib::TableOptions options = {}) {
  mib::Report report{mib::aggregate(rows()),
                     {{"config_hash", "abc"},
                      {"mibench_version", "0.1.0"},
                      {"git_commit", "f00"},
                      {"compiler", "GNU-12.2.0"},
                      {"boost_version", "1.74.0"},
                      {"eigen_version", "3.4.0"},
                      {"seed", 7},
                      {"started_at", "2026-11-28T06:00:00Z"},
                      {"machine", {{"host", "h"}, {"cpu", "c"}, {"hardware_threads", 2}}}},
                     std::move(options)};
  return mib::builtin_reporters().at(format, "test").make({}, "test")->render(report);
}

}  // namespace

TEST_CASE("aggregate: bias, std, RMSE, median time and failures per (estimator, task, n)",
          "[reports]") {
  const auto a = mib::aggregate(rows());
  REQUIRE(a.size() == 3);
  CHECK(a[0].n == 50);  // n ascending within (estimator, task)
  CHECK(a[1].n == 100);
  CHECK(a[1].replicates == 2);
  CHECK(a[1].failures == 1);
  CHECK(a[1].mean == Approx(0.5));
  CHECK(a[1].bias == Approx(0.0).margin(1e-15));
  CHECK(a[1].std == Approx(std::sqrt(0.02)));  // ddof 1: ((0.1)² + (0.1)²) / 1
  CHECK(a[1].rmse == Approx(0.1));
  CHECK(a[1].median_seconds == Approx(0.03));  // over all three replicates
  CHECK(std::isnan(a[0].std));                 // one replicate: undefined
  CHECK(a[2].estimator == "gauss");
  CHECK(std::isnan(a[2].mean));
}

TEST_CASE("reports: golden Markdown and CSV text", "[reports]") {
  CHECK(render("md") ==
        "Mean ± sd of the estimates at n = 100 over 3 replicates, in nats; bold: closest to the "
        "true MI of the task; †k: k failed replicates; ‡k: k replicates saturated near a known "
        "ceiling (InfoNCE ln K, KSG ψ(N) − ψ(k), histogram ln N).\n"
        "\n"
        "| task | true MI | ksg | gauss |\n"
        "|---|---:|---:|---:|\n"
        "| t1 | 0.50 | **0.50 ± 0.14** †1 ‡1 | – |\n"
        "| t2 | 1.25 ± 0.00 | – | – †1 |\n"
        "\n"
        "Every (estimator, task, n), in nats:\n"
        "\n"
        "| estimator | task | n | true MI | mean | bias | std | RMSE | median s | ok | failed |\n"
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n"
        "| ksg | t1 | 50 | 0.5000 | 0.3000 | -0.2000 | – | 0.2000 | 0.001 | 1 | 0 |\n"
        "| ksg | t1 | 100 | 0.5000 | 0.5000 | 0.0000 | 0.1414 | 0.1000 | 0.03 | 2 | 1 |\n"
        "| gauss | t2 | 100 | 1.2500 ± 0.0010 | – | – | – | – | 0.5 | 0 | 1 |\n"
        "\n"
        "mibench 0.1.0 (commit f00), GNU-12.2.0, Boost 1.74.0, Eigen 3.4.0; config abc, seed 7; "
        "started 2026-11-28T06:00:00Z on h (c)\n");
  CHECK(render("csv") ==
        "estimator,task,n,mi_true,mi_true_se,replicates,failures,mean,bias,std,rmse,median_seconds,"
        "saturated,dim_z\n"
        "ksg,t1,50,0.5,0,1,0,0.3,-0.2,,0.2,0.001,0,0\n"
        "ksg,t1,100,0.5,0,2,1,0.5,0,0.14142135623730948,0.09999999999999998,0.03,1,0\n"
        "gauss,t2,100,1.25,0.001,0,1,,,,,0.5,0,0\n");
}

TEST_CASE("reports: the JSON carries provenance and nulls for undefined statistics", "[reports]") {
  const auto j = nlohmann::json::parse(render("json"));
  CHECK(j["provenance"]["config_hash"] == "abc");
  CHECK(j["units"] == "nats");
  CHECK(j["aggregates"].size() == 3);
  CHECK(j["aggregates"][0]["std"].is_null());
  CHECK(j["aggregates"][1]["failures"] == 1);
}

TEST_CASE("reports: golden LaTeX table", "[reports]") {
  CHECK(
      render("tex") ==
      "% mibench 0.1.0 (commit f00), GNU-12.2.0, Boost 1.74.0, Eigen 3.4.0; config abc, seed 7; "
      "started 2026-11-28T06:00:00Z on h (c)\n"
      "% Needs \\usepackage{booktabs}.\n"
      "\\begin{tabular}{lrrr}\n"
      "\\toprule\n"
      "Task & True MI & ksg & gauss \\\\\n"
      "\\midrule\n"
      "t1 & 0.50 & \\textbf{0.50 $\\pm$ 0.14}$^{\\dagger 1\\,\\ddagger 1}$ & --- \\\\\n"
      "t2 & 1.25 $\\pm$ 0.00 & --- & ---$^{\\dagger 1}$ \\\\\n"
      "\\bottomrule\n"
      "\\multicolumn{4}{@{}l}{\\footnotesize Mean $\\pm$ sd at $n = 100$ over 3 replicates, in "
      "nats; bold: closest to the true MI; $\\dagger k$: $k$ failed; $\\ddagger k$: $k$ saturated "
      "(InfoNCE $\\ln K$, KSG $\\psi(N) - \\psi(k)$, histogram $\\ln N$).}\n"
      "\\end{tabular}\n");
}

TEST_CASE("reports: the summary follows --n, --units, --precision, --estimators, --tasks",
          "[reports]") {
  mib::TableOptions o;
  o.n = 50;
  o.units = "bits";
  o.precision = 3;
  o.estimators = {"gauss", "ksg"};
  o.tasks = {"t1"};
  const std::string md = render("md", o);
  // 0.3 nats = 0.433 bits, one replicate (no sd); gauss has no cell at n = 50.
  CHECK_THAT(md,
             Catch::StartsWith("Mean ± sd of the estimates at n = 50 over 1 replicates, in bits"));
  CHECK_THAT(md, Catch::Contains("| task | true MI | gauss | ksg |\n|---|---:|---:|---:|\n"
                                 "| t1 | 0.721 | – | **0.433** |\n\n"));
  auto bad = [](auto change) {
    mib::TableOptions b;
    change(b);
    return render("md", b);
  };
  MIB_CHECK_THROWS(bad([](auto& b) { b.n = 75; }), mib::InvalidArgument,
                   Catch::Contains("report: --n must be one of the run's sample sizes (50, 100), "
                                   "but is 75"));
  MIB_CHECK_THROWS(bad([](auto& b) { b.units = "nits"; }), mib::InvalidArgument,
                   Catch::Contains("--units must be nats or bits"));
  MIB_CHECK_THROWS(
      bad([](auto& b) {
        b.estimators = {"ksg", "knn"};
      }),
      mib::InvalidArgument,
      Catch::Contains("--estimators must be names from the run (ksg, gauss), but is \"knn\""));
  MIB_CHECK_THROWS(bad([](auto& b) { b.tasks = {"t3"}; }), mib::InvalidArgument,
                   Catch::Contains("--tasks"));
  MIB_CHECK_THROWS(bad([](auto& b) { b.precision = 11; }), mib::InvalidArgument,
                   Catch::Contains("--precision"));
}

TEST_CASE("reports: the figures that apply, as whole SVG documents", "[reports]") {
  mib::Report report{
      mib::aggregate(rows()), {{"mibench_version", "0.1.0"}, {"git_commit", "f00"}}, {}};
  std::vector<std::string> names;
  for (const auto& [name, svg] : mib::figures(report)) {
    names.push_back(name);
    CHECK_THAT(svg, Catch::StartsWith("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    CHECK_THAT(svg, Catch::EndsWith("</svg>\n"));
    CHECK_THAT(svg, Catch::Contains("<desc>mibench 0.1.0 (commit f00)"));
  }
  // Two sample sizes, no dimensions in the rows, no neural training curves.
  CHECK(names == std::vector<std::string>{"estimate-vs-n", "runtime", "heatmap", "samples-needed"});
  const std::string html = render("html");
  CHECK_THAT(html, Catch::StartsWith("<!DOCTYPE html>"));
  CHECK_THAT(html, Catch::Contains("<li><b>ksg</b> on <b>t1</b>, n = 100: 1 of 3 "
                                   "failed<ul><li><code>timeout: </code></li></ul></li>"));
  CHECK_THAT(html, Catch::Contains("<tr><th>config_hash</th><td><code>abc</code></td></tr>"));
  // The machine as a reader writes it, not as JSON.
  CHECK_THAT(html, Catch::Contains("<tr><th>machine</th><td><code>cpu: c, hardware_threads: 2, "
                                   "host: h</code></td></tr>"));
  // The line to cite comes first, before the summary; figures scale, tables scroll.
  const auto cite = html.find("<pre class=\"cite\">mibench 0.1.0 (commit f00)");
  CHECK(cite != std::string::npos);
  CHECK(cite < html.find("<h2>Summary"));
  CHECK_THAT(html, Catch::Contains("figure svg{max-width:100%;height:auto}"));
  CHECK_THAT(html, Catch::Contains("<div class=\"scroll\"><table>"));
  // Nothing is fetched: the only URLs are the SVG namespace.
  for (std::size_t at = html.find("http"); at != std::string::npos; at = html.find("http", at + 1))
    CHECK(html.compare(at, 26, "http://www.w3.org/2000/svg") == 0);
}

TEST_CASE("reports: samples-needed counts only the n an estimator ran at", "[reports]") {
  // ksg is within a factor 1.5 from n = 100 on and has no cells at 400 (max_n); lnc is good at
  // 100 and 200 but every cell at 400 failed, so it never qualifies; kl fails at 200.
  const auto j = nlohmann::json::parse(R"([
    {"estimator": "ksg", "task": "t", "n": 100, "mi_true": 1.0, "mi_true_se": 0, "estimate": 0.9, "status": "ok", "seconds": 0.01},
    {"estimator": "ksg", "task": "t", "n": 200, "mi_true": 1.0, "mi_true_se": 0, "estimate": 0.95, "status": "ok", "seconds": 0.01},
    {"estimator": "lnc", "task": "t", "n": 100, "mi_true": 1.0, "mi_true_se": 0, "estimate": 0.9, "status": "ok", "seconds": 0.01},
    {"estimator": "lnc", "task": "t", "n": 200, "mi_true": 1.0, "mi_true_se": 0, "estimate": 0.9, "status": "ok", "seconds": 0.01},
    {"estimator": "lnc", "task": "t", "n": 400, "mi_true": 1.0, "mi_true_se": 0, "estimate": null, "status": "timeout", "seconds": 9},
    {"estimator": "kl", "task": "t", "n": 100, "mi_true": 1.0, "mi_true_se": 0, "estimate": 0.9, "status": "ok", "seconds": 0.01},
    {"estimator": "kl", "task": "t", "n": 200, "mi_true": 1.0, "mi_true_se": 0, "estimate": 0.5, "status": "ok", "seconds": 0.01},
    {"estimator": "kl", "task": "t", "n": 400, "mi_true": 1.0, "mi_true_se": 0, "estimate": 0.98, "status": "ok", "seconds": 0.01}
  ])");
  mib::Report report{mib::aggregate(cells(j)), {{"mibench_version", "0.1.0"}}, {}};
  std::string svg;
  for (const auto& [name, figure] : mib::figures(report))
    if (name == "samples-needed") svg = figure;
  REQUIRE_FALSE(svg.empty());
  // The cells' texts, in the table's estimator order (a cell is a white-stroked rect and its
  // text).
  std::vector<std::string> texts;
  const std::string cell = "stroke=\"white\"/>\n<text";
  for (std::size_t at = svg.find(cell); at != std::string::npos; at = svg.find(cell, at + 1)) {
    const auto open = svg.find('>', at + cell.size()) + 1;
    texts.push_back(svg.substr(open, svg.find('<', open) - open));
  }
  CHECK(texts == std::vector<std::string>{"100", "–", "400"});
  // ksg stops at 200: its column says so; the others ran at every n.
  CHECK(svg.find("ksg (n ≤ 200)") != std::string::npos);
  CHECK(svg.find("lnc (n") == std::string::npos);
}

TEST_CASE("reports: a diverged estimate neither sets the bias figure's scale nor floods a cell",
          "[reports]") {
  // NWJ reaches −1e54 on high-dimensional views: the bias figure takes the median over tasks
  // and clips at ± twice the largest true MI; the heat map writes such a mean in exponent form.
  const auto j = nlohmann::json::parse(R"([
    {"estimator": "ksg", "task": "a", "n": 100, "dim_x": 1, "dim_y": 1, "mi_true": 1.0, "mi_true_se": 0, "estimate": 0.9, "status": "ok", "seconds": 0.01},
    {"estimator": "ksg", "task": "b", "n": 100, "dim_x": 2, "dim_y": 2, "mi_true": 2.0, "mi_true_se": 0, "estimate": 1.5, "status": "ok", "seconds": 0.01},
    {"estimator": "nwj", "task": "a", "n": 100, "dim_x": 1, "dim_y": 1, "mi_true": 1.0, "mi_true_se": 0, "estimate": 1.1, "status": "ok", "seconds": 0.01},
    {"estimator": "nwj", "task": "b", "n": 100, "dim_x": 2, "dim_y": 2, "mi_true": 2.0, "mi_true_se": 0, "estimate": -1e54, "status": "ok", "seconds": 0.01}
  ])");
  const mib::Report report{mib::aggregate(cells(j)), {{"mibench_version", "0.1.0"}}, {}};
  std::map<std::string, std::string> figures;
  for (auto& [name, svg] : mib::figures(report)) figures[name] = svg;
  REQUIRE(figures.count("bias-vs-dimension"));
  CHECK_THAT(figures["bias-vs-dimension"], Catch::Contains("clipped at \u00b14.00"));
  // No 1e54 tick labels: the one "e+" is the clipped point's own label.
  const std::string& bias = figures["bias-vs-dimension"];
  CHECK(bias.find("e+") == bias.rfind("e+"));
  CHECK_THAT(bias, Catch::Contains(">-1e+54</text>"));
  CHECK_THAT(figures["heatmap"], Catch::Contains(">-1e+54<"));
}

TEST_CASE(
    "figures: ticks at the sampled values, clipped points marked, each series its own "
    "marker and dashes, the heat map's numbers named",
    "[reports]") {
  nlohmann::json j = nlohmann::json::array();
  for (int n : {250, 1000, 4000}) {
    for (const char* e : {"ksg", "gauss", "nwj"}) {
      j.push_back({{"estimator", e},
                   {"task", "a"},
                   {"n", n},
                   {"dim_x", 1},
                   {"dim_y", 1},
                   {"mi_true", 1.0},
                   {"mi_true_se", 0},
                   {"estimate", 0.9},
                   {"status", "ok"},
                   {"seconds", 0.001 * n}});
      // At n = 4000 nwj and gauss diverge: two clipped points at one x of the bias figure.
      const double diverged = n != 4000                   ? 0
                              : std::string(e) == "nwj"   ? -50
                              : std::string(e) == "gauss" ? -30
                                                          : 0;
      j.push_back({{"estimator", e},
                   {"task", "b"},
                   {"n", n},
                   {"dim_x", 2},
                   {"dim_y", 2},
                   {"mi_true", 2.0},
                   {"mi_true_se", 0},
                   {"estimate", diverged != 0 ? diverged : 1.5},
                   {"status", "ok"},
                   {"seconds", 0.002 * n}});
    }
  }
  const mib::Report report{mib::aggregate(cells(j)), {{"mibench_version", "0.1.0"}}, {}};
  std::map<std::string, std::string> f;
  for (auto& [name, svg] : mib::figures(report)) f[name] = svg;
  // The sample sizes are the ticks of the n axes, both ends labelled; no "nice" 500 or 2000.
  for (const char* name : {"estimate-vs-n", "runtime"}) {
    CAPTURE(name);
    for (const char* tick : {">250</text>", ">1000</text>", ">4000</text>"})
      CHECK_THAT(f[name], Catch::Contains(tick));
    CHECK_THAT(f[name], !Catch::Contains(">500</text>") && !Catch::Contains(">2000</text>"));
  }
  // Series differ in marker shape and dash pattern, in the plot and in the legend.
  CHECK_THAT(f["estimate-vs-n"], Catch::Contains("width=\"5.2\" height=\"5.2\""));
  CHECK_THAT(f["estimate-vs-n"], Catch::Contains("stroke-dasharray=\"6 3\""));
  CHECK_THAT(f["estimate-vs-n"], Catch::Contains("<polygon points="));
  // Bias against dimension: ticks at the dimensions 2 and 4; NWJ's median bias at 4 dims is
  // −52, beyond ±4 (twice the largest true MI): an arrowhead labelled −52, explained in the
  // caption; markers only, no line across tasks.
  const std::string& bias = f["bias-vs-dimension"];
  CHECK_THAT(bias, Catch::Contains(">2</text>") && Catch::Contains(">4</text>"));
  CHECK_THAT(bias, Catch::Contains(">-52</text>"));
  // gauss's −32 is clipped at the same x: its label sits a line above NWJ's, not on it.
  auto label_y = [&bias](const std::string& label) {
    const std::size_t end = bias.find(">" + label + "</text>");
    REQUIRE(end != std::string::npos);
    const std::size_t y = bias.rfind(" y=\"", end) + 4;
    return std::stod(bias.substr(y, bias.find('"', y) - y));
  };
  CHECK(std::abs(label_y("-52") - label_y("-32")) >= 10);
  CHECK_THAT(bias, Catch::Contains("An arrowhead on the edge is a median beyond ±4.00"));
  CHECK_THAT(bias, !Catch::Contains("<polyline"));
  // The heat map: the true MI beside each task, and in each cell the mean with ln(mean / true)
  // below it — the quantity the colour shows.
  const std::string& heat = f["heatmap"];
  CHECK_THAT(heat, Catch::Contains(">true MI</text>") && Catch::Contains(">2.00</text>"));
  CHECK_THAT(heat, Catch::Contains(">0.90</text>") && Catch::Contains(">-0.11</text>"));
  CHECK_THAT(heat, Catch::Contains("which the colour shows"));
}

TEST_CASE("svg: every given x tick gets its mark; a label that would overlap the last is left out",
          "[reports]") {
  mib::svg::Series s;
  s.name = "a";
  s.x = {100, 101, 4000};
  s.y = {1, 2, 3};
  mib::svg::ChartOptions o;
  o.log_x = true;
  o.x_ticks = {100, 101, 4000};
  const std::string svg = mib::svg::line_chart({{"p", {s}, {}}}, o);
  // Three tick marks (short grey lines below the axis), two labels: 101 sits on top of 100.
  std::size_t marks = 0;
  for (auto at = svg.find("stroke=\"#888\"/>"); at != std::string::npos;
       at = svg.find("stroke=\"#888\"/>", at + 1))
    ++marks;
  CHECK(marks == 3 + 1);  // + the panel's frame
  CHECK_THAT(svg, Catch::Contains(">100</text>") && Catch::Contains(">4000</text>"));
  CHECK_THAT(svg, !Catch::Contains(">101</text>"));
}
