#include "suite/estimate.hpp"

#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <cmath>

#include "core/error.hpp"
#include "core/rng.hpp"
#include "core/stats.hpp"
#include "core/text.hpp"
#include "estimators/builtin.hpp"
#include "estimators/harness.hpp"

namespace mib {
namespace {

// A confidence interval for an estimate from re-estimates on resampled rows:
//   subsample — resamples of n/2 rows without replacement (valid for k-NN estimators, which
//     duplicated rows would bias); the estimate ± z·sd·√(m/n), the sd rescaled from m = n/2 to
//     n rows assuming a variance ∝ 1/n (Politis, Romano & Wolf 1999);
//   bootstrap — n rows with replacement; the percentile interval.
nlohmann::json resampled_interval(const Estimator& e, MatrixRef x, MatrixRef y, MatrixRef z,
                                  double estimate, const IntervalOptions& ci, std::uint64_t seed,
                                  const OptionNames& names) {
  const auto n = static_cast<std::size_t>(x.rows());
  const bool subsample = ci.method == "subsample";
  const std::size_t m = subsample ? n / 2 : n;
  if (m < e.min_samples())
    fail<ConfigError>(names.name(names.level), "the resampled size",
                      ">= " + std::to_string(e.min_samples()) + " rows for this estimator", m);
  Rng rng(derive_seed(seed, "resample"));
  std::vector<double> values;
  std::vector<std::size_t> order(n);
  for (std::size_t i = 0; i < n; ++i) order[i] = i;
  std::size_t failed = 0;
  for (int b = 0; b < ci.resamples; ++b) {
    Matrix xb(static_cast<Eigen::Index>(m), x.cols()), yb(static_cast<Eigen::Index>(m), y.cols()),
        zb(static_cast<Eigen::Index>(m), z.cols());
    for (std::size_t i = 0; i < m; ++i) {
      std::size_t row;
      if (subsample) {  // partial Fisher–Yates: m distinct rows
        boost::random::uniform_int_distribution<std::size_t> pick(i, n - 1);
        std::swap(order[i], order[pick(rng)]);
        row = order[i];
      } else {
        boost::random::uniform_int_distribution<std::size_t> pick(0, n - 1);
        row = pick(rng);
      }
      xb.row(static_cast<Eigen::Index>(i)) = x.row(static_cast<Eigen::Index>(row));
      yb.row(static_cast<Eigen::Index>(i)) = y.row(static_cast<Eigen::Index>(row));
      if (z.cols() > 0)
        zb.row(static_cast<Eigen::Index>(i)) = z.row(static_cast<Eigen::Index>(row));
    }
    Rng estimator_rng(derive_seed(seed, "resample-" + std::to_string(b)));
    const CallOutcome r = call_estimator(e, xb, yb, zb, estimator_rng, 0);
    if (r.ok()) {
      values.push_back(r.mi);
    } else {
      ++failed;
    }
  }
  nlohmann::json out{
      {"level", ci.level}, {"method", ci.method}, {"resamples", ci.resamples}, {"failed", failed}};
  if (!subsample) {
    out["warning"] =
        "bootstrap resamples repeat rows, which estimators may read as dependence (neural "
        "critics memorise them): the interval can be biased upwards; subsample is the default";
  }
  if (values.size() < 2) return out;
  if (subsample) {
    const double sd =
        stats::sample_sd(values) * std::sqrt(static_cast<double>(m) / static_cast<double>(n));
    const double q = boost::math::quantile(boost::math::normal(), 0.5 + ci.level / 2);
    out["low"] = estimate - q * sd;
    out["high"] = estimate + q * sd;
    out["sd"] = sd;
  } else {
    out["low"] = stats::quantile(values, 0.5 - ci.level / 2);
    out["high"] = stats::quantile(values, 0.5 + ci.level / 2);
    if (estimate < out["low"].get<double>() || estimate > out["high"].get<double>())
      out["warning"] = out["warning"].get<std::string>() + "; this interval excludes the estimate";
  }
  return out;
}

}  // namespace

void check_interval(const IntervalOptions& ci, const std::vector<ResolvedEstimator>& estimators,
                    const OptionNames& names) {
  require<ConfigError>(ci.level == 0 || (ci.level > 0 && ci.level < 1), names.name(names.level),
                       "the level", "in (0, 1)", ci.level);
  require<ConfigError>(ci.resamples >= 2, names.name("resamples"), "the number of resamples",
                       ">= 2", ci.resamples);
  require<ConfigError>(ci.method == "subsample" || ci.method == "bootstrap", names.name("resample"),
                       "the method", "subsample or bootstrap", quoted(ci.method));
  // Resampling with replacement duplicates rows; a k-NN estimator reads them as ties (its
  // k-th neighbour distance 0) and as dependence, so its bootstrap interval can exclude its
  // own estimate (ksg 0.636 with [0.862, 1.036]). The estimator knows: it has a tie_limit().
  if (ci.level == 0 || ci.method != "bootstrap") return;
  for (const auto& e : estimators) {
    require<ConfigError>(e.estimator->tie_limit() == 0, names.name("resample"), "bootstrap",
                         "used only with estimators that tolerate duplicated rows, not with " +
                             e.spec.label +
                             " (a k-NN estimator reads them as dependence); use subsample, "
                             "the default",
                         "bootstrap");
  }
}

void check_consistency_options(const ConsistencyOptions& o,
                               const std::vector<ResolvedEstimator>& estimators,
                               const OptionNames& names) {
  for (const auto& e : estimators) {
    require<ConfigError>(!e.estimator->conditional(), names.name("estimator"), e.spec.label,
                         "an estimator of I(X; Y): the self-consistency tests have no "
                         "conditional form",
                         "an estimator of I(X; Y | Z)");
  }
  require<ConfigError>(o.permutations >= 2, names.name("permutations"), "the number of shuffles",
                       ">= 2", o.permutations);
  require<ConfigError>(o.tolerance > 0, names.name("tolerance"), "the tolerance", "> 0",
                       o.tolerance);
}

void check_user_data(const std::vector<ResolvedEstimator>& estimators, MatrixRef x, MatrixRef y,
                     MatrixRef z, const std::string& where, std::size_t factor,
                     const OptionNames& names) {
  check_inputs(x, y, 1, where);
  const std::string z_option = names.name("z");
  for (const auto& e : estimators) {
    if (e.estimator->conditional()) {
      require<DataError>(z.cols() >= 1, where, "the conditioning variable Z",
                         "given (" + z_option + "): " + e.spec.label + " estimates I(X; Y | Z)",
                         "missing");
    } else {
      require<DataError>(z.cols() == 0, where, z_option,
                         "given only with estimators of I(X; Y | Z) (" +
                             join(conditional_estimator_names(), ", ") + ", or chain:" +
                             e.spec.label + "), but " + e.spec.label + " estimates I(X; Y)",
                         "given");
    }
    check_conditioning(*e.estimator, x, z, where);
    // Name the estimator and the parameters that set its minimum ("n must be >= 1001" alone
    // did not say that ksg:k=1000 asked for it, nor 512 that infonce's batch did).
    std::vector<std::string> sizes;
    for (const char* key : {"k", "ks", "batch", "split"})
      if (e.params.contains(key)) sizes.push_back(std::string(key) + "=" + e.params[key].dump());
    const std::size_t need = factor * e.estimator->min_samples();
    require<DataError>(
        static_cast<std::size_t>(x.rows()) >= need, where, "the number of samples n",
        ">= " + std::to_string(need) + " for " + e.spec.label +
            (sizes.empty() ? "" : " (set by " + join(sizes, ", ") + ")") +
            (factor > 1 ? ", twice its minimum: the additivity test uses half the rows" : ""),
        x.rows());
  }
}

nlohmann::json estimate_row(const ResolvedEstimator& e, MatrixRef x, MatrixRef y, MatrixRef z,
                            std::uint64_t seed, const IntervalOptions& ci,
                            const OptionNames& names) {
  Rng rng(seed);
  const CallOutcome r = call_estimator(*e.estimator, x, y, z, rng, 0);
  nlohmann::json row{{"estimator", e.spec.label},
                     {"params", e.params},
                     {"mi", r.ok() ? nlohmann::json(r.mi) : nlohmann::json()},
                     {"status", status_name(r.status)},
                     {"message", r.message},
                     {"seconds", r.seconds},
                     {"cpu_seconds", r.cpu_seconds},
                     {"n", x.rows()},
                     {"dim_x", x.cols()},
                     {"dim_y", y.cols()},
                     {"info", info_json(r.info, r.diagnostics)}};
  if (z.cols() > 0) row["dim_z"] = z.cols();
  if (ci.level > 0 && r.ok())
    row["ci"] = resampled_interval(*e.estimator, x, y, z, r.mi, ci, seed, names);
  return row;
}

}  // namespace mib
