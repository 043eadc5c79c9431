// The verbs on a user's own two sample files: `estimate` (several estimators, resampled
// confidence intervals) and `consistency` (Song & Ermon's self-consistency tests).

#include <iostream>

#include "core/error.hpp"
#include "core/matrix_io.hpp"
#include "core/text.hpp"
#include "estimators/spec.hpp"
#include "suite/cli_common.hpp"
#include "suite/command.hpp"
#include "suite/consistency.hpp"
#include "suite/estimate.hpp"

namespace mib::cli {
namespace {

const OptionNames kFlags{"--"};

// The estimators of the --estimator specs and the sample files (z_path "": no conditioning
// variable), checked: each estimator needs min_samples() · factor rows, and a Z exactly when
// it estimates I(X; Y | Z).
std::vector<ResolvedEstimator> resolve_specs(const Registry<Estimator>& registry,
                                             const std::vector<std::string>& specs) {
  std::vector<ResolvedEstimator> out;
  for (const auto& text : specs)
    out.push_back(resolve(parse_spec(text, "--estimator"), registry, "--estimator"));
  return out;
}
struct UserData {
  std::vector<ResolvedEstimator> estimators;
  Matrix x, y, z;
};
UserData load_user_data(std::vector<ResolvedEstimator> estimators, const std::string& x_path,
                        const std::string& y_path, const std::string& z_path, std::size_t factor) {
  UserData d;
  d.estimators = std::move(estimators);
  d.x = read_matrix(x_path);
  d.y = read_matrix(y_path);
  if (!z_path.empty()) d.z = read_matrix(z_path);
  const std::string files = x_path + " and " + y_path + (z_path.empty() ? "" : " and " + z_path);
  check_user_data(d.estimators, d.x, d.y, d.z, files, factor, kFlags);
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
    app.add_option("--z", z_,
                   "Conditioning variable Z (rows are samples), for estimators of I(X; Y | Z) "
                   "such as ksg-cmi or chain:ksg");
  }

  int run(const Registry<Estimator>& registry) override;

 private:
  std::string z_;
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
  const UserData data = load_user_data(resolve_specs(registry, specs_), x_, y_, z_, 1);
  const auto& [estimators, x, y, z] = data;
  check_interval(ci, estimators, kFlags);
  int status = 0;
  for (const auto& e : estimators) {
    const nlohmann::json row = estimate_row(e, x, y, z, seed_, ci, kFlags);
    const bool ok = row["status"] == "ok";
    if (json_) {
      std::cout << row.dump() << "\n";
    } else if (ok) {
      std::cout << e.spec.label << ": " << format_fixed(row["mi"].get<double>(), 6) << " nats";
      const nlohmann::json interval = row.value("ci", nlohmann::json::object());
      if (interval.contains("low"))
        std::cout << " [" << format_fixed(interval["low"].get<double>(), 6) << ", "
                  << format_fixed(interval["high"].get<double>(), 6) << "] ("
                  << format_significant(100 * ci.level, 6) << "% " << ci.method << " interval, "
                  << ci.resamples << " resamples)";
      std::cout << " (" << format_significant(row["seconds"].get<double>(), 3) << " s)\n";
      if (interval.contains("warning"))
        std::cerr << "mibench estimate: warning: " << e.spec.label << ": "
                  << interval["warning"].get<std::string>() << "\n";
    }
    if (!ok) {
      std::cerr << "mibench estimate: " << e.spec.label << " failed ("
                << row["status"].get<std::string>() << "): " << row["message"].get<std::string>()
                << "\n";
      status = kFailed;
    }
  }
  return status;
}

int ConsistencyCommand::run(const Registry<Estimator>& registry) {
  const ConsistencyOptions& o = options_;
  auto resolved = resolve_specs(registry, specs_);
  check_consistency_options(o, resolved, kFlags);
  // The additivity test estimates on half of the rows.
  const UserData data = load_user_data(std::move(resolved), x_, y_, "", 2);
  const auto& estimators = data.estimators;
  const Matrix &x = data.x, &y = data.y;
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
