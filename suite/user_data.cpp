// The verbs on a user's own two sample files: `estimate` (several estimators, resampled
// confidence intervals) and `consistency` (Song & Ermon's self-consistency tests).

#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <cmath>
#include <iostream>

#include "core/error.hpp"
#include "core/matrix_io.hpp"
#include "core/rng.hpp"
#include "core/stats.hpp"
#include "core/text.hpp"
#include "estimators/harness.hpp"
#include "estimators/spec.hpp"
#include "suite/cli_common.hpp"
#include "suite/command.hpp"
#include "suite/consistency.hpp"

namespace mib::cli {
namespace {

/// --ci, --resamples, --resample.
struct IntervalOptions {
  double level = 0;  ///< 0: no interval
  int resamples = 50;
  std::string method = "subsample";
};

// A confidence interval for an estimate from re-estimates on resampled rows:
//   subsample — resamples of n/2 rows without replacement (valid for k-NN estimators, which
//     duplicated rows would bias); the estimate ± z·sd·√(m/n), the sd rescaled from m = n/2 to
//     n rows assuming a variance ∝ 1/n (Politis, Romano & Wolf 1999);
//   bootstrap — n rows with replacement; the percentile interval.
nlohmann::json resampled_interval(const Estimator& e, const Matrix& x, const Matrix& y,
                                  double estimate, double level, int resamples,
                                  const std::string& method, std::uint64_t seed) {
  const auto n = static_cast<std::size_t>(x.rows());
  const std::size_t m = method == "subsample" ? n / 2 : n;
  Rng rng(derive_seed(seed, "resample"));
  std::vector<double> values;
  std::vector<std::size_t> order(n);
  for (std::size_t i = 0; i < n; ++i) order[i] = i;
  std::size_t failed = 0;
  for (int b = 0; b < resamples; ++b) {
    Matrix xb(static_cast<Eigen::Index>(m), x.cols()), yb(static_cast<Eigen::Index>(m), y.cols());
    for (std::size_t i = 0; i < m; ++i) {
      std::size_t row;
      if (method == "subsample") {  // partial Fisher–Yates: m distinct rows
        boost::random::uniform_int_distribution<std::size_t> pick(i, n - 1);
        std::swap(order[i], order[pick(rng)]);
        row = order[i];
      } else {
        boost::random::uniform_int_distribution<std::size_t> pick(0, n - 1);
        row = pick(rng);
      }
      xb.row(static_cast<Eigen::Index>(i)) = x.row(static_cast<Eigen::Index>(row));
      yb.row(static_cast<Eigen::Index>(i)) = y.row(static_cast<Eigen::Index>(row));
    }
    if (m < e.min_samples())
      fail("--ci", "the resampled size",
           ">= " + std::to_string(e.min_samples()) + " rows for this estimator", m);
    Rng estimator_rng(derive_seed(seed, "resample-" + std::to_string(b)));
    const CallOutcome r = call_estimator(e, xb, yb, estimator_rng, 0);
    if (r.ok()) {
      values.push_back(r.mi);
    } else {
      ++failed;
    }
  }
  nlohmann::json out{
      {"level", level}, {"method", method}, {"resamples", resamples}, {"failed", failed}};
  if (method == "bootstrap") {
    out["warning"] =
        "bootstrap resamples repeat rows, which estimators may read as dependence (neural "
        "critics memorise them): the interval can be biased upwards; subsample is the default";
  }
  if (values.size() < 2) return out;
  if (method == "subsample") {
    const double sd =
        stats::sample_sd(values) * std::sqrt(static_cast<double>(m) / static_cast<double>(n));
    const double z = boost::math::quantile(boost::math::normal(), 0.5 + level / 2);
    out["low"] = estimate - z * sd;
    out["high"] = estimate + z * sd;
    out["sd"] = sd;
  } else {
    out["low"] = stats::quantile(values, 0.5 - level / 2);
    out["high"] = stats::quantile(values, 0.5 + level / 2);
    if (estimate < out["low"].get<double>() || estimate > out["high"].get<double>())
      out["warning"] = out["warning"].get<std::string>() + "; this interval excludes the estimate";
  }
  return out;
}

// The estimators of the --estimator specs and the two sample files, checked: each estimator
// needs min_samples() · factor rows.
struct UserData {
  std::vector<ResolvedEstimator> estimators;
  Matrix x, y;
};
UserData load_user_data(const Registry<Estimator>& estimators, const std::string& x_path,
                        const std::string& y_path, const std::vector<std::string>& specs,
                        std::size_t factor) {
  UserData d;
  for (const auto& text : specs)
    d.estimators.push_back(resolve(parse_spec(text, "--estimator"), estimators, "--estimator"));
  d.x = read_matrix(x_path);
  d.y = read_matrix(y_path);
  const std::string where = x_path + " and " + y_path;
  check_inputs(d.x, d.y, 1, where);
  for (const auto& e : d.estimators) {
    // Name the estimator and the parameters that set its minimum ("n must be >= 1001" alone
    // did not say that ksg:k=1000 asked for it, nor 512 that infonce's batch did).
    std::vector<std::string> sizes;
    for (const char* key : {"k", "ks", "batch", "split"})
      if (e.params.contains(key)) sizes.push_back(std::string(key) + "=" + e.params[key].dump());
    const std::size_t need = factor * e.estimator->min_samples();
    require<DataError>(
        static_cast<std::size_t>(d.x.rows()) >= need, where, "the number of samples n",
        ">= " + std::to_string(need) + " for " + e.spec.label +
            (sizes.empty() ? "" : " (set by " + join(sizes, ", ") + ")") +
            (factor > 1 ? ", twice its minimum: the additivity test uses half the rows" : ""),
        d.x.rows());
  }
  return d;
}

// What both verbs read: the two sample files, the estimator specs, --json.
class UserDataCommand : public Command {
 protected:
  void declare_data(CLI::App& app, const char* json_help) {
    app.add_option("--x", x_, "X samples, rows are samples")->required();
    app.add_option("--y", y_, "Y samples, rows are samples")->required();
    app.add_option("--estimator", specs_, "Estimator spec, e.g. ksg:k=5; repeat for several")
        ->required();
    app.add_flag("--json", json_, json_help);
  }
  std::string x_, y_;
  std::vector<std::string> specs_;
  bool json_ = false;
};

class EstimateCommand final : public UserDataCommand {
 public:
  void declare(CLI::App& app) override {
    declare_data(app, "Print one JSON object per estimator (JSON Lines)");
    app.add_option("--ci", interval_.level,
                   "Also a confidence interval at this level (e.g. 0.95) from resamples")
        ->check(in_range(0.0, 1.0));
    app.add_option("--resamples", interval_.resamples, "Resamples for --ci (default 50)")
        ->check(in_range(2, 100000));
    app.add_option("--resample", interval_.method,
                   "subsample (n/2 rows, default; right for k-NN) or bootstrap");
    app.add_option("--seed", seed_, "Seed of the estimator's own randomness (default 0)")
        ->check(seed_range());
  }

  int run(const Registry<Estimator>& registry) override;

 private:
  IntervalOptions interval_;
  std::uint64_t seed_ = 0;
};

class ConsistencyCommand final : public UserDataCommand {
 public:
  void declare(CLI::App& app) override {
    declare_data(app, "One JSON object per estimator");
    app.add_option("--permutations", options_.permutations,
                   "Shuffles of Y for the independence null (default 20)")
        ->check(in_range(2, 100000));
    app.add_option("--tolerance", options_.tolerance,
                   "Allowed |null mean| in nats and |ratio - 1| (default 0.1)")
        ->check(in_range(0.0, 1e6));
    app.add_option("--seed", options_.seed, "Seed (default 0)")->check(seed_range());
  }

  int run(const Registry<Estimator>& registry) override;

 private:
  ConsistencyOptions options_;
};

int EstimateCommand::run(const Registry<Estimator>& registry) {
  const IntervalOptions& ci = interval_;
  require<ConfigError>(ci.level == 0 || (ci.level > 0 && ci.level < 1), "--ci", "the level",
                       "in (0, 1)", ci.level);
  require<ConfigError>(ci.resamples >= 2, "--resamples", "the number of resamples", ">= 2",
                       ci.resamples);
  require<ConfigError>(ci.method == "subsample" || ci.method == "bootstrap", "--resample",
                       "the method", "subsample or bootstrap", quoted(ci.method));
  const UserData data = load_user_data(registry, x_, y_, specs_, 1);
  const auto& [estimators, x, y] = data;
  // Resampling with replacement duplicates rows; a k-NN estimator reads them as ties (its
  // k-th neighbour distance 0) and as dependence, so its bootstrap interval can exclude its
  // own estimate (ksg 0.636 with [0.862, 1.036]). The estimator knows: it has a tie_limit().
  if (ci.level > 0 && ci.method == "bootstrap") {
    for (const auto& e : estimators) {
      require<ConfigError>(e.estimator->tie_limit() == 0, "--resample", "bootstrap",
                           "used only with estimators that tolerate duplicated rows, not with " +
                               e.spec.label +
                               " (a k-NN estimator reads them as dependence); use subsample, "
                               "the default",
                           "bootstrap");
    }
  }
  int status = 0;
  for (const auto& e : estimators) {
    Rng rng(seed_);
    const CallOutcome r = call_estimator(*e.estimator, x, y, rng, 0);
    nlohmann::json interval;
    if (ci.level > 0 && r.ok())
      interval =
          resampled_interval(*e.estimator, x, y, r.mi, ci.level, ci.resamples, ci.method, seed_);
    if (json_) {
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
      if (!interval.is_null()) row["ci"] = interval;
      std::cout << row.dump() << "\n";
    } else if (r.ok()) {
      std::cout << e.spec.label << ": " << format_fixed(r.mi, 6) << " nats";
      if (interval.contains("low"))
        std::cout << " [" << format_fixed(interval["low"].get<double>(), 6) << ", "
                  << format_fixed(interval["high"].get<double>(), 6) << "] ("
                  << format_significant(100 * ci.level, 6) << "% " << ci.method << " interval, "
                  << ci.resamples << " resamples)";
      std::cout << " (" << format_significant(r.seconds, 3) << " s)\n";
      if (interval.contains("warning"))
        std::cerr << "mibench estimate: warning: " << e.spec.label << ": "
                  << interval["warning"].get<std::string>() << "\n";
    }
    if (!r.ok()) {
      std::cerr << "mibench estimate: " << e.spec.label << " failed (" << status_name(r.status)
                << "): " << r.message << "\n";
      status = kFailed;
    }
  }
  return status;
}

int ConsistencyCommand::run(const Registry<Estimator>& registry) {
  const ConsistencyOptions& o = options_;
  require<ConfigError>(o.permutations >= 2, "--permutations", "the number of shuffles", ">= 2",
                       o.permutations);
  require<ConfigError>(o.tolerance > 0, "--tolerance", "the tolerance", "> 0", o.tolerance);
  // The additivity test estimates on half of the rows.
  const UserData data = load_user_data(registry, x_, y_, specs_, 2);
  const auto& [estimators, x, y] = data;
  if (!json_) {
    std::cout << "| estimator | MI (nats) | shuffled Y: mean ± sd (p) | data processing | "
                 "additivity | saturated | verdict |\n|---|---:|---:|---:|---:|---|---|\n";
  }
  int status = 0;
  auto mark = [](bool ok) { return ok ? std::string(" ok") : std::string(" FAIL"); };
  // A value and its mark, or "n/a" with the reason when the test could not be computed.
  auto shown = [&](const std::string& value, bool ok, const std::string& na) {
    return na.empty() ? value + mark(ok) : "n/a (" + na.substr(na.find(':') + 2) + ")";
  };
  for (const auto& e : estimators) {
    const ConsistencyResult r = check_consistency(*e.estimator, x, y, o);
    const bool consistent = r.consistent();
    if (!consistent) status = kFailed;
    if (json_) {
      auto row = r.to_json();
      row["estimator"] = e.spec.label;
      row["consistent"] = consistent;
      std::cout << row.dump() << "\n";
      continue;
    }
    if (r.status != CellStatus::kOk) {
      std::cout << "| " << e.spec.label << " | – | – | – | – | – | failed ("
                << status_name(r.status) << "): " << r.message << " |\n";
      continue;
    }
    std::cout << "| " << e.spec.label << " | " << format_fixed(r.mi, 3) << " | "
              << shown(format_fixed(r.null_mean, 3) + " ± " + format_fixed(r.null_sd, 3) + " (p " +
                           format_significant(r.p_value, 3) + ")",
                       r.independence_ok, r.independence_na)
              << " | "
              << shown(format_fixed(r.processing_ratio, 3), r.processing_ok, r.processing_na)
              << " | "
              << shown(format_fixed(r.additivity_ratio, 3), r.additivity_ok, r.additivity_na)
              << " | " << (r.saturated ? "yes" : "no") << " | "
              << (consistent ? "consistent" : "inconsistent") << " |\n";
  }
  return status;
}

}  // namespace

void add_user_data_commands(std::vector<CommandEntry>& commands) {
  commands.push_back(
      entry<EstimateCommand>("estimate", "Estimate MI between two sample files (.npy or .csv)"));
  commands.push_back(entry<ConsistencyCommand>(
      "consistency", "Self-consistency tests of estimators on your data (no ground truth needed)"));
}

}  // namespace mib::cli
