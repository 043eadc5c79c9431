#include "estimators/builtin.hpp"

#include "core/params.hpp"
#include "estimators/cca.hpp"
#include "estimators/cmi.hpp"
#include "estimators/external.hpp"
#include "estimators/gaussian.hpp"
#include "estimators/gcmi.hpp"
#include "estimators/kl.hpp"
#include "estimators/knn_family.hpp"
#include "estimators/ksg.hpp"
#include "estimators/lmi.hpp"
#include "estimators/lnc.hpp"
#include "estimators/neural.hpp"
#include "estimators/plugin.hpp"
#include "estimators/python_callable.hpp"

namespace mib {
namespace {

// A registry entry for estimator E built from E::Params (plus fixed constructor arguments).
template <class E, class... Fixed>
Registry<Estimator>::Entry entry(std::string name, std::string description, Fixed... fixed) {
  using P = typename E::Params;
  return {std::move(name), std::move(description), params_to_json(P{}),
          [fixed...](const nlohmann::json& params, const std::string& where) {
            return std::make_unique<E>(parse_params<P>(params, where), fixed...);
          },
          params_rules(P{})};
}

}  // namespace

void register_builtin_estimators(Registry<Estimator>& r) {
  r.add(entry<KsgEstimator>("ksg", "Kraskov et al. 2004, algorithm 1 (max-norm, strict counts)",
                            KsgEstimator::Algorithm::kFirst));
  r.add(entry<KsgEstimator>("ksg2", "Kraskov et al. 2004, algorithm 2 (non-strict marginal counts)",
                            KsgEstimator::Algorithm::kSecond));
  r.add(entry<GaussianEstimator>("gaussian",
                                 "MI of the fitted Gaussian (sample covariance; = CCA form)"));
  r.add(entry<GcmiEstimator>(
      "gcmi", "Gaussian-copula MI: the Gaussian fit on normal scores of ranks (Ince et al. 2017)"));
  r.add(entry<CcaEstimator>("cca",
                            "sum of -1/2 ln(1 - rho_i^2) over the top canonical correlations"));
  r.add(entry<KsgBmiEstimator>(
      "ksg-bmi", "bmi's KSG: Euclidean blocks, algorithm 1, mean over ks, clipped per k"));
  r.add(entry<BiKsgEstimator>("bi-ksg", "bias-improved KSG of Gao, Oh & Viswanath 2018"));
  r.add(entry<MixedKsgEstimator>("mixed-ksg",
                                 "KSG for discrete-continuous mixtures (Gao et al. 2017)"));
  r.add(
      entry<LncEstimator>("lnc", "KSG with the local non-uniformity correction (Gao et al. 2015)"));
  r.add(entry<HistogramEstimator>("histogram",
                                  "plug-in on a product grid (equal width or frequency)"));
  r.add(entry<KdeEstimator>("kde",
                            "kernel density resubstitution or leave-one-out (Moon et al. 1995)"));
  r.add(entry<ExternalEstimator>("external",
                                 "any program: reads {x}.npy and {y}.npy, prints {\"mi\": ...}"));
  r.add(entry<PythonCallableEstimator>(
      "python", "a Python function f(x, y, seed) given to mibench.run (runs only from Python)"));
  r.add(entry<KlEstimator>("kl", "H(X) + H(Y) - H(X,Y), Kozachenko-Leonenko entropies (max-norm)"));
  r.add(entry<VariationalEstimator>("infonce", "InfoNCE bound of a trained critic (<= ln K)",
                                    neural::Bound::kInfoNce));
  r.add(entry<VariationalEstimator>("nwj", "Nguyen-Wainwright-Jordan bound of a trained critic",
                                    neural::Bound::kNwj));
  r.add(entry<VariationalEstimator>("dv", "Donsker-Varadhan bound of a trained critic",
                                    neural::Bound::kDv));
  r.add(entry<MineEstimator>("mine", "MINE: Donsker-Varadhan with the moving-average gradient"));
  r.add(entry<VariationalEstimator>(
      "js", "critic trained on the Jensen-Shannon f-GAN loss, NWJ value", neural::Bound::kJs));
  r.add(
      entry<SmileEstimator>("smile", "SMILE: JS-trained critic, Donsker-Varadhan clipped to tau"));
  r.add(entry<DoeEstimator>("doe", "difference of entropies of Gaussian models (not a bound)"));
  r.add(entry<LmiEstimator>(
      "lmi", "latent MI: KSG on codes of cross-predictive autoencoders (Gowri et al. 2024)"));
  // Estimators of I(X; Y | Z) (also listed in conditional_estimator_names()).
  r.add(entry<KsgCmiEstimator>("ksg-cmi", "I(X;Y|Z): KSG of Frenzel & Pompe 2007 (max-norm)",
                               KsgCmiEstimator::Variant::kFrenzelPompe));
  r.add(entry<KsgCmiEstimator>("mixed-ksg-cmi",
                               "I(X;Y|Z) for discrete or mixed data (Mesner & Shalizi 2021)",
                               KsgCmiEstimator::Variant::kMesnerShalizi));
  r.add(entry<GaussianCmiEstimator>("gaussian-cmi", "I(X;Y|Z) of the fitted Gaussian"));
  r.add(entry<GcmiCmiEstimator>("gcmi-cmi",
                                "I(X;Y|Z) of the Gaussian copula (normal scores; Ince et al.)"));
}

const std::vector<std::string>& conditional_estimator_names() {
  static const std::vector<std::string> names = {"gaussian-cmi", "gcmi-cmi", "ksg-cmi",
                                                 "mixed-ksg-cmi"};
  return names;
}

const Registry<Estimator>& builtin_estimators() {
  static const Registry<Estimator> registry = [] {
    Registry<Estimator> r;
    register_builtin_estimators(r);
    return r;
  }();
  return registry;
}

}  // namespace mib
