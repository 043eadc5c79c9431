#include "suite/consistency.hpp"

#include <boost/random/uniform_int_distribution.hpp>
#include <cmath>

#include "core/rng.hpp"
#include "core/standardize.hpp"
#include "core/stats.hpp"
#include "estimators/harness.hpp"

namespace mib {
namespace {

// Î, or NaN when the estimator fails; the first failure's reason goes to *why.
double estimate(const Estimator& e, MatrixRef x, MatrixRef y, std::uint64_t seed,
                std::string* why) {
  Rng rng(seed);
  const CallOutcome r = call_estimator(e, x, y, rng, 0);
  if (!r.ok() && why->empty())
    *why = "not applicable: the estimator failed (" + std::string(status_name(r.status)) +
           "): " + r.message;
  return r.ok() ? r.mi : std::nan("");
}

bool near_one(double ratio, double tolerance) {
  return std::isfinite(ratio) && std::abs(ratio - 1) <= tolerance;
}

}  // namespace

nlohmann::json ConsistencyResult::to_json() const {
  auto number = [](double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(); };
  return {{"status", status_name(status)},
          {"message", message},
          {"mi", number(mi)},
          {"independence",
           {{"null_mean", number(null_mean)},
            {"null_sd", number(null_sd)},
            {"p_value", number(p_value)},
            {"ok", independence_ok},
            {"applicable", independence_na.empty()},
            {"message", independence_na}}},
          {"data_processing",
           {{"ratio", number(processing_ratio)},
            {"ok", processing_ok},
            {"applicable", processing_na.empty()},
            {"message", processing_na}}},
          {"additivity",
           {{"ratio", number(additivity_ratio)},
            {"ok", additivity_ok},
            {"applicable", additivity_na.empty()},
            {"message", additivity_na}}},
          {"saturated", saturated}};
}

ConsistencyResult check_consistency(const Estimator& e, MatrixRef x, MatrixRef y,
                                    const ConsistencyOptions& o) {
  ConsistencyResult out;
  const Eigen::Index n = x.rows(), dx = x.cols(), dy = y.cols();
  {
    Rng rng(o.seed);
    const CallOutcome r = call_estimator(e, x, y, rng, 0);
    out.status = r.status;
    out.message = r.message;
    if (!r.ok()) return out;
    out.mi = r.mi;
    out.saturated = r.diagnostics.saturated();
  }
  // Independence: P shuffles of Y's rows.
  Rng shuffle_rng(derive_seed(o.seed, "consistency-shuffle"));
  std::vector<double> null;
  std::vector<Eigen::Index> order(static_cast<std::size_t>(n));
  for (Eigen::Index i = 0; i < n; ++i) order[static_cast<std::size_t>(i)] = i;
  Matrix shuffled(n, dy);
  for (int p = 0; p < o.permutations; ++p) {
    for (Eigen::Index i = n - 1; i > 0; --i) {
      boost::random::uniform_int_distribution<Eigen::Index> pick(0, i);
      std::swap(order[static_cast<std::size_t>(i)],
                order[static_cast<std::size_t>(pick(shuffle_rng))]);
    }
    for (Eigen::Index i = 0; i < n; ++i)
      shuffled.row(i) = y.row(order[static_cast<std::size_t>(i)]);
    null.push_back(estimate(e, x, shuffled, derive_seed(o.seed, "null-" + std::to_string(p)),
                            &out.independence_na));
  }
  std::vector<double> finite;
  int at_least = 0;
  for (double v : null) {
    if (!std::isfinite(v)) continue;
    finite.push_back(v);
    if (v >= out.mi) ++at_least;
  }
  out.null_mean = stats::mean(finite);
  out.null_sd = stats::sample_sd(finite);
  out.p_value = static_cast<double>(1 + at_least) / static_cast<double>(1 + finite.size());
  out.independence_ok = !out.independence_na.empty() || std::abs(out.null_mean) <= o.tolerance;
  // Data processing: X against [Y, z³] with z the first ⌈dy/2⌉ columns of Y standardised.
  const Eigen::Index half = (dy + 1) / 2;
  Matrix z = y.leftCols(half);
  standardize_columns(z);
  Matrix yh(n, dy + half);
  yh << y, z.array().cube().matrix();
  out.processing_ratio =
      estimate(e, x, yh, derive_seed(o.seed, "processing"), &out.processing_na) / out.mi;
  out.processing_ok = !out.processing_na.empty() || near_one(out.processing_ratio, o.tolerance);
  // Additivity: the two halves of the rows side by side.
  const Eigen::Index m = n / 2;
  Matrix x12(m, 2 * dx), y12(m, 2 * dy);
  x12 << x.topRows(m), x.middleRows(m, m);
  y12 << y.topRows(m), y.middleRows(m, m);
  std::string* why = &out.additivity_na;
  const double joint = estimate(e, x12, y12, derive_seed(o.seed, "additivity"), why);
  const double parts =
      estimate(e, x.topRows(m), y.topRows(m), derive_seed(o.seed, "half-1"), why) +
      estimate(e, x.middleRows(m, m), y.middleRows(m, m), derive_seed(o.seed, "half-2"), why);
  out.additivity_ratio = joint / parts;
  out.additivity_ok = !out.additivity_na.empty() || near_one(out.additivity_ratio, o.tolerance);
  return out;
}

}  // namespace mib
