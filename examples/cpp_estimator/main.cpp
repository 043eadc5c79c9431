// An estimator written outside mibench: the MI of the Gaussian with the first columns'
// Pearson correlation r, −½ ln(1 − r²) (exact for a bivariate normal pair, a lower bound
// otherwise). It is registered next to the built-in estimators, so configs and
// `--estimator pearson` can use it, with every mibench command.
#include <cmath>
#include <mibench/core/params.hpp>
#include <mibench/estimators/builtin.hpp>
#include <mibench/suite/cli.hpp>

namespace {

struct PearsonParams {
  int column = 0;  ///< which column of X and of Y
  template <class V>
  void visit(V& v) {
    v("column", column, "an integer >= 0", [](int c) { return c >= 0; });
  }
};

class PearsonEstimator final : public mib::Estimator {
 public:
  explicit PearsonEstimator(PearsonParams p) : p_(p) {}
  mib::Estimate estimate(mib::MatrixRef x, mib::MatrixRef y, mib::Rng&) const override {
    mib::require(p_.column < x.cols() && p_.column < y.cols(), "pearson", "column",
                 "< the number of columns", p_.column);
    const Eigen::ArrayXd a = x.col(p_.column).array() - x.col(p_.column).mean();
    const Eigen::ArrayXd b = y.col(p_.column).array() - y.col(p_.column).mean();
    const double r = (a * b).sum() / std::sqrt(a.square().sum() * b.square().sum());
    return {-0.5 * std::log1p(-r * r), {{"r", r}}};
  }

 private:
  PearsonParams p_;
};

}  // namespace

int main(int argc, char** argv) {
  mib::Registry<mib::Estimator> estimators;
  mib::register_builtin_estimators(estimators);
  estimators.add({"pearson", "-1/2 ln(1 - r^2) of one column pair (an example plug-in)",
                  mib::params_to_json(PearsonParams{}),
                  [](const nlohmann::json& params, const std::string& where) {
                    return std::make_unique<PearsonEstimator>(
                        mib::parse_params<PearsonParams>(params, where));
                  }});
  return mib::run_cli(argc, argv, estimators);
}
