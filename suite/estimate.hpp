#pragma once
// Estimates on a user's own data, as `mibench estimate` and the Python package's
// mibench.estimate() give them: the estimators' size checks, one result row per estimator
// (the CLI's --json line), and resampled confidence intervals.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/matrix.hpp"
#include "estimators/spec.hpp"
#include "suite/consistency.hpp"

namespace mib {

/// A confidence interval from re-estimates on resampled rows (level 0: none).
struct IntervalOptions {
  double level = 0;  ///< in (0, 1), or 0 for no interval
  int resamples = 50;
  std::string method = "subsample";  ///< "subsample" or "bootstrap"
};

/// The names the checks give the options in messages: the CLI's flags ("--ci", ...) or the
/// Python keywords ("ci", ...).
struct OptionNames {
  std::string prefix;  ///< "--" for the CLI, "" for Python
  std::string level = "ci";
  std::string name(const std::string& option) const { return prefix + option; }
};

/// ConfigError unless the options are valid for these estimators: level 0 or in (0, 1),
/// resamples >= 2, method subsample or bootstrap, and no bootstrap for an estimator that
/// reads duplicated rows as dependence (one with a tie_limit(): its bootstrap interval could
/// exclude its own estimate).
void check_interval(const IntervalOptions& ci, const std::vector<ResolvedEstimator>& estimators,
                    const OptionNames& names);

/// ConfigError unless permutations >= 2, tolerance > 0 and every estimator estimates I(X; Y).
void check_consistency_options(const ConsistencyOptions& o,
                               const std::vector<ResolvedEstimator>& estimators,
                               const OptionNames& names);

/// DataError (prefixed by `where`) unless x and y have the same rows, >= 1 column each and
/// finite values, every estimator gets at least factor · its min_samples() rows (the message
/// names the estimator and the parameters that set its minimum), and a conditioning variable
/// z (no columns: none) is given exactly when the estimators estimate I(X; Y | Z) — with x's
/// rows and finite values; the messages name the option names.name("z").
void check_user_data(const std::vector<ResolvedEstimator>& estimators, MatrixRef x, MatrixRef y,
                     MatrixRef z, const std::string& where, std::size_t factor,
                     const OptionNames& names);

/// One estimator on (x, y) — given z for an estimator of I(X; Y | Z); z has no columns
/// otherwise — with Rng(seed): the row `mibench estimate --json` prints — estimator (label),
/// params, mi (null unless ok), status, message, seconds, cpu_seconds, n, dim_x, dim_y,
/// dim_z (with z), info, and "ci" (level, method, resamples, failed, low, high, sd, warning)
/// when ci.level > 0 and the estimate is ok (ConfigError when n/2 rows are too few for the
/// estimator's subsamples; resamples take the same rows of x, y and z).
nlohmann::json estimate_row(const ResolvedEstimator& e, MatrixRef x, MatrixRef y, MatrixRef z,
                            std::uint64_t seed, const IntervalOptions& ci,
                            const OptionNames& names);

}  // namespace mib
