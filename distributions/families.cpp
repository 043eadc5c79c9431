// The built-in task families: each a Params struct (the single home of its defaults), a
// builder and the form of its ids. Constants and id formats follow bmi
// (src/bmi/benchmark/tasks/*.py; ../shared/reference/bmi-tasks.md restates them).

#include <cmath>

#include "core/error.hpp"
#include "core/params.hpp"
#include "core/text.hpp"
#include "distributions/additive_uniform.hpp"
#include "distributions/catalog.hpp"
#include "distributions/discrete_continuous.hpp"
#include "distributions/mixture.hpp"
#include "distributions/multinormal.hpp"
#include "distributions/student.hpp"
#include "distributions/transformed.hpp"

namespace mib {

std::optional<GroundTruth> stored_mixture_truth(const std::string& id);  // mixture_truths.cpp

namespace {

constexpr const char* kGaussianSource = "closed form: 1/2 ln(det Sxx det Syy / det S)";
constexpr const char* kMonteCarloSource = "Monte Carlo mean of the exact PMI (Gaussian mixture)";
constexpr const char* kInt = "(\\d+)";
constexpr const char* kNum = "(-?\\d+(?:\\.\\d+)?(?:e-?\\d+)?)";

bool positive(int v) { return v >= 1; }
bool open_unit(double c) { return std::abs(c) < 1; }
bool finite(double v) { return std::isfinite(v); }
bool is_positive(double v) { return v > 0 && std::isfinite(v); }

// Python's str() of an int or a float as bmi writes it: integral ν as "2", others as floats.
std::string integer_or_float(double v) {
  return v == std::floor(v) && std::abs(v) < 1e15 ? std::to_string(static_cast<long long>(v))
                                                  : format_float(v);
}
std::string dims(int dx, int dy) { return std::to_string(dx) + "-" + std::to_string(dy); }
std::size_t size(int v) { return static_cast<std::size_t>(v); }

template <class P>
Registry<Task>::Entry family(std::string name, std::string description,
                             Task (*build)(const P&, const std::string&)) {
  return {name, std::move(description), params_to_json(P{}),
          [name, build](const nlohmann::json& j, const std::string& where) {
            const std::string here = where + " (family " + name + ")";
            Task t = build(parse_params<P>(j, here), here);
            t.family = name;
            return std::make_unique<Task>(std::move(t));
          }};
}

// ---- Gaussian -------------------------------------------------------------------------------

struct NormalParams {
  double rho = 0.75;
  template <class V>
  void visit(V& v) {
    v("rho", rho, "in (-1, 1)", open_unit);
  }
};
Eigen::MatrixXd bivariate(double rho) {
  Eigen::MatrixXd c(2, 2);
  c << 1, rho, rho, 1;
  return c;
}
Task normal_task(const NormalParams& p, const std::string& where) {
  return {"1v1-normal-" + format_float(p.rho), "", kGaussianSource,
          std::make_shared<MultivariateNormal>(1, 1, bivariate(p.rho), where)};
}

struct DenseParams {
  int dim = 2;
  double corr = 0.5;
  template <class V>
  void visit(V& v) {
    v("dim", dim, ">= 1 (dimension of X and of Y)", positive);
    v("corr", corr, "in (-1, 1)", open_unit);
  }
};
Task dense_task(const DenseParams& p, const std::string& where) {
  const auto d = size(p.dim);
  return {"multinormal-dense-" + dims(p.dim, p.dim) + "-" + format_float(p.corr), "",
          kGaussianSource,
          std::make_shared<MultivariateNormal>(d, d, dense_covariance(d, d, p.corr), where)};
}

struct SparseParams {
  int dim = 2;
  int pairs = 2;
  double strength = 2.0;
  template <class V>
  void visit(V& v) {
    v("dim", dim, ">= 1 (dimension of X and of Y)", positive);
    v("pairs", pairs, ">= 0", [](int k) { return k >= 0; });
    v("strength", strength, "finite", finite);
  }
};
Eigen::MatrixXd sparse(const SparseParams& p, const std::string& where) {
  require<ConfigError>(p.pairs <= p.dim, where, "pairs", "<= dim (" + std::to_string(p.dim) + ")",
                       p.pairs);
  return sparse_covariance(size(p.dim), size(p.dim), size(p.pairs), p.strength);
}
std::string sparse_suffix(const SparseParams& p) {
  return std::to_string(p.pairs) + "-" + format_float(p.strength);
}
Task sparse_task(const SparseParams& p, const std::string& where) {
  return {"multinormal-sparse-" + dims(p.dim, p.dim) + "-" + sparse_suffix(p), "", kGaussianSource,
          std::make_shared<MultivariateNormal>(size(p.dim), size(p.dim), sparse(p, where), where)};
}

// Poole et al. 2019: X ~ N(0, I_d), Y = ρX + sqrt(1 − ρ²)ε, MI = −(d/2) ln(1 − ρ²).
struct StaircaseParams {
  int dim = 20;
  double mi = 2.0;
  template <class V>
  void visit(V& v) {
    v("dim", dim, ">= 1", positive);
    v("mi", mi, "> 0 (nats)", is_positive);
  }
};
Task staircase_task(const StaircaseParams& p, const std::string& where) {
  const auto d = size(p.dim);
  const double rho = std::sqrt(-std::expm1(-2 * p.mi / p.dim));
  Eigen::MatrixXd c = Eigen::MatrixXd::Identity(2 * p.dim, 2 * p.dim);
  c.topRightCorner(p.dim, p.dim).diagonal().setConstant(rho);
  c.bottomLeftCorner(p.dim, p.dim).diagonal().setConstant(rho);
  return {"staircase-" + std::to_string(p.dim) + "-" + format_float(p.mi), "",
          "closed form: -(d/2) ln(1 - rho^2) (Poole et al. 2019)",
          std::make_shared<MultivariateNormal>(d, d, c, where)};
}

// ---- Student-t ------------------------------------------------------------------------------

struct StudentIdentityParams {
  int dim_x = 1;
  int dim_y = 1;
  double nu = 1;
  template <class V>
  void visit(V& v) {
    v("dim_x", dim_x, ">= 1", positive);
    v("dim_y", dim_y, ">= 1", positive);
    v("nu", nu, "> 0 (degrees of freedom)", is_positive);
  }
};
constexpr const char* kStudentSource =
    "closed form: Gaussian MI of the dispersion + h(dx) + h(dy) - h(dx+dy) (Arellano-Valle et al. "
    "2013, as corrected in bmi)";
Task student_identity_task(const StudentIdentityParams& p, const std::string& where) {
  const auto d = static_cast<Eigen::Index>(p.dim_x + p.dim_y);
  return {"student-identity-" + dims(p.dim_x, p.dim_y) + "-" + integer_or_float(p.nu), "",
          kStudentSource,
          std::make_shared<StudentT>(size(p.dim_x), size(p.dim_y), Eigen::MatrixXd::Identity(d, d),
                                     p.nu, where)};
}

struct StudentSparseParams {
  int dim = 2;
  double nu = 1;
  int pairs = 2;
  double strength = 2.0;
  template <class V>
  void visit(V& v) {
    v("dim", dim, ">= 1 (dimension of X and of Y)", positive);
    v("nu", nu, "> 0 (degrees of freedom)", is_positive);
    v("pairs", pairs, ">= 0", [](int k) { return k >= 0; });
    v("strength", strength, "finite", finite);
  }
};
Task student_sparse_task(const StudentSparseParams& p, const std::string& where) {
  const SparseParams s{p.dim, p.pairs, p.strength};
  return {"student-sparse-" + dims(p.dim, p.dim) + "-" + integer_or_float(p.nu) + "-" +
              sparse_suffix(s),
          "", kStudentSource,
          std::make_shared<StudentT>(size(p.dim), size(p.dim), sparse(s, where), p.nu, where)};
}

// ---- Uniform and bimodal --------------------------------------------------------------------

struct AdditiveParams {
  double epsilon = 0.1;
  template <class V>
  void visit(V& v) {
    v("epsilon", epsilon, "> 0", is_positive);
  }
};
Task additive_task(const AdditiveParams& p, const std::string& where) {
  return {"1v1-additive-" + format_float(p.epsilon), "",
          "closed form: eps - ln(2 eps) for eps <= 1/2, else 1/(4 eps)",
          std::make_shared<AdditiveUniform>(p.epsilon, where)};
}

Task bimodal_task(const NormalParams& p, const std::string& where) {
  auto base = std::make_shared<MultivariateNormal>(1, 1, bivariate(p.rho), where);
  return {"1v1-bimodal-" + format_float(p.rho), "",
          kGaussianSource + std::string(" (invariant under the maps)"),
          std::make_shared<Transformed>(base, mixture_quantile({0.3, 0.7}, {0.0, 5.0}),
                                        mixture_quantile({0.5, 0.5}, {-1.0, 3.0}), where)};
}

// ---- Gaussian mixtures (bmi v2) -------------------------------------------------------------

Eigen::VectorXd vec(std::initializer_list<double> v) {
  Eigen::VectorXd out(static_cast<Eigen::Index>(v.size()));
  Eigen::Index i = 0;
  for (double x : v) out(i++) = x;
  return out;
}
Eigen::MatrixXd diag(std::initializer_list<double> v) { return vec(v).asDiagonal(); }

Task mixture_task(std::string id, std::size_t dx, std::size_t dy,
                  std::vector<MixtureComponent> components, const std::string& where,
                  TransformPtr fx = nullptr) {
  std::shared_ptr<const Distribution> d = std::make_shared<GaussianMixture>(
      dx, dy, std::move(components), stored_mixture_truth(id), where);
  if (fx) d = std::make_shared<Transformed>(d, fx, nullptr, where);
  return {std::move(id), "", kMonteCarloSource, d};
}

struct XParams {
  double corr = 0.9;
  template <class V>
  void visit(V& v) {
    v("corr", corr, "in (-1, 1)", open_unit);
  }
};
Task x_task(const XParams& p, const std::string& where) {
  return mixture_task(
      "1v1-X-" + format_float(p.corr), 1, 1,
      {{0.5, vec({0, 0}), bivariate(-p.corr)}, {0.5, vec({0, 0}), bivariate(p.corr)}}, where);
}

struct NoParams {
  template <class V>
  void visit(V&) {}
};
Task ai_task(const NoParams&, const std::string& where) {
  const double c = 0.95 * std::sqrt(0.04 * 0.2);
  Eigen::MatrixXd left(2, 2), right(2, 2);
  left << 0.04, c, c, 0.2;
  right << 0.04, -c, -c, 0.2;
  const double w = 1.0 / 6;
  return mixture_task("1v1-AI", 1, 1,
                      {{w, vec({1, 0}), diag({0.01, 0.2})},
                       {w, vec({1, 1}), diag({0.05, 0.001})},
                       {w, vec({1, -1}), diag({0.05, 0.001})},
                       {w, vec({-0.8, -0.2}), diag({0.03, 0.001})},
                       {w, vec({-1.2, 0}), left},
                       {w, vec({-0.4, 0}), right}},
                      where);
}

struct WavesParams {
  int components = 12;
  double amplitude = 5.0;
  double frequency = 3.0;
  template <class V>
  void visit(V& v) {
    v("components", components, ">= 1", positive);
    v("amplitude", amplitude, "finite", finite);
    v("frequency", frequency, "finite", finite);
  }
};
Task waves_task(const WavesParams& p, const std::string& where) {
  std::vector<MixtureComponent> parts;
  for (int m = 0; m < p.components; ++m) {
    parts.push_back({1.0, 1.5 * vec({double(m), 0, double(m % 4)}), diag({0.1, 1.0, 0.1})});
  }
  return mixture_task("2v1-waves-" + std::to_string(p.components) + "-" +
                          format_float(p.amplitude) + "-" + format_float(p.frequency),
                      2, 1, std::move(parts), where, waves(p.amplitude, p.frequency));
}

struct GalaxyParams {
  double speed = 0.5;
  double distance = 3.0;
  template <class V>
  void visit(V& v) {
    v("speed", speed, "finite", finite);
    v("distance", distance, "finite", finite);
  }
};
Task galaxy_task(const GalaxyParams& p, const std::string& where) {
  const Eigen::VectorXd shift = Eigen::VectorXd::Constant(3, p.distance / 2);
  const Eigen::MatrixXd identity = Eigen::MatrixXd::Identity(3, 3);
  return mixture_task("2v1-galaxy-" + format_float(p.speed) + "-" + format_float(p.distance), 2, 1,
                      {{0.5, shift, identity}, {0.5, -shift, identity}}, where,
                      spiral(0, 1, p.speed));
}

struct ConcentricParams {
  int dim = 3;
  int components = 5;
  template <class V>
  void visit(V& v) {
    v("dim", dim, ">= 1 (dimension of X; Y is 1-D)", positive);
    v("components", components, ">= 1", positive);
  }
};
Task concentric_task(const ConcentricParams& p, const std::string& where) {
  std::vector<MixtureComponent> parts;
  const auto d = static_cast<Eigen::Index>(p.dim);
  for (int i = 1; i <= p.components; ++i) {
    Eigen::VectorXd mean = Eigen::VectorXd::Zero(d + 1);
    mean(d) = i;
    Eigen::VectorXd variance = Eigen::VectorXd::Constant(d + 1, double(i) * i);
    variance(d) = 1e-4;
    parts.push_back({1.0, mean, variance.asDiagonal()});
  }
  return mixture_task(
      std::to_string(p.dim) + "v1-concentric_gaussians-" + std::to_string(p.components),
      size(p.dim), 1, std::move(parts), where);
}

struct InliersParams {
  int dim = 5;
  int pairs = 2;
  double strength = 2.0;
  double fraction = 0.2;
  template <class V>
  void visit(V& v) {
    v("dim", dim, ">= 1 (dimension of X and of Y)", positive);
    v("pairs", pairs, ">= 0", [](int k) { return k >= 0; });
    v("strength", strength, "finite", finite);
    v("fraction", fraction, "in (0, 1)", [](double f) { return f > 0 && f < 1; });
  }
};
Task inliers_task(const InliersParams& p, const std::string& where) {
  const SparseParams s{p.dim, p.pairs, p.strength};
  const auto d = static_cast<Eigen::Index>(2 * p.dim);
  const Eigen::VectorXd zero = Eigen::VectorXd::Zero(d);
  return mixture_task("mult-sparse-w-inliers-" + dims(p.dim, p.dim) + "-" + sparse_suffix(s) + "-" +
                          format_float(p.fraction),
                      size(p.dim), size(p.dim),
                      {{1 - p.fraction, zero, sparse(s, where)},
                       {p.fraction, zero, Eigen::MatrixXd::Identity(d, d)}},
                      where);
}

// ---- Discrete–continuous --------------------------------------------------------------------

struct DiscreteParams {
  int m = 5;
  template <class V>
  void visit(V& v) {
    v("m", m, ">= 1", positive);
  }
};
Task discrete_task(const DiscreteParams& p, const std::string& where) {
  return {"discrete-uniform-mixture-" + std::to_string(p.m), "",
          "closed form: ln m - ((m-1)/m) ln 2 (Gao et al. 2017)",
          std::make_shared<DiscreteUniformMixture>(p.m, where)};
}

struct PoissonParams {
  double p = 0.15;
  template <class V>
  void visit(V& v) {
    v("p", p, "in [0, 1)", [](double q) { return q >= 0 && q < 1; });
  }
};
Task poisson_task(const PoissonParams& p, const std::string& where) {
  return {"zero-inflated-poissonization-" + format_float(p.p), "",
          "exact integral of p(y|x) ln(p(y|x)/p(y)) (numerical quadrature; bmi's (1-p)*0.3012 is "
          "I(X;Y|B))",
          std::make_shared<ZeroInflatedPoissonization>(p.p, where)};
}

}  // namespace

void register_builtin_families(Registry<Task>& f, std::vector<IdForm>& forms) {
  const std::string n = kNum, i = kInt;
  auto add = [&](Registry<Task>::Entry entry, std::string pattern, std::vector<std::string> keys) {
    forms.push_back({entry.name, std::move(pattern), std::move(keys)});
    f.add(std::move(entry));
  };
  add(family<NormalParams>("1v1-normal", "bivariate normal, correlation rho (bmi)", normal_task),
      "1v1-normal-" + n, {"rho"});
  add(family<DenseParams>("multinormal-dense",
                          "dim + dim Gaussian, unit variances, every correlation corr (bmi)",
                          dense_task),
      "multinormal-dense-" + i + "-\\1-" + n, {"dim", "corr"});
  add(family<SparseParams>("multinormal-sparse",
                           "dim + dim Gaussian, corr(X_i, Y_i) = s^2/(1+s^2) for i < pairs, "
                           "identity elsewhere (bmi's 2-pair latent model)",
                           sparse_task),
      "multinormal-sparse-" + i + "-\\1-" + i + "-" + n, {"dim", "pairs", "strength"});
  add(family<StaircaseParams>("staircase",
                              "X ~ N(0, I_d), Y = rho X + sqrt(1-rho^2) noise with rho set for the "
                              "MI (Poole et al. 2019)",
                              staircase_task),
      "staircase-" + i + "-" + n, {"dim", "mi"});
  add(family<StudentIdentityParams>("student-identity",
                                    "multivariate Student-t, identity dispersion, nu dof (bmi)",
                                    student_identity_task),
      "student-identity-" + i + "-" + i + "-" + n, {"dim_x", "dim_y", "nu"});
  add(family<StudentSparseParams>("student-sparse",
                                  "multivariate Student-t with the 2-pair dispersion (bmi)",
                                  student_sparse_task),
      "student-sparse-" + i + "-\\1-" + n + "-" + i + "-" + n, {"dim", "nu", "pairs", "strength"});
  add(family<AdditiveParams>("1v1-additive", "X ~ U(0,1), Y = X + U(-eps, eps) (bmi)",
                             additive_task),
      "1v1-additive-" + n, {"epsilon"});
  add(family<NormalParams>(
          "1v1-bimodal",
          "bivariate normal pushed to bimodal margins through mixture quantiles (bmi)",
          bimodal_task),
      "1v1-bimodal-" + n, {"rho"});
  add(family<XParams>("1v1-X", "mixture of two bivariate normals with correlations -corr and corr",
                      x_task),
      "1v1-X-" + n, {"corr"});
  add(family<NoParams>("1v1-AI", "six-component Gaussian mixture drawing 'AI' (bmi v2)", ai_task),
      "1v1-AI", {});
  add(family<WavesParams>("2v1-waves", "mixture on a grid, X sheared by a sine wave (bmi v2)",
                          waves_task),
      "2v1-waves-" + i + "-" + n + "-" + n, {"components", "amplitude", "frequency"});
  add(family<GalaxyParams>("2v1-galaxy", "two Gaussian blobs, X spiralled (bmi v2)", galaxy_task),
      "2v1-galaxy-" + n + "-" + n, {"speed", "distance"});
  add(family<ConcentricParams>("concentric_gaussians",
                               "dim-dimensional X, 1-D Y: concentric Gaussian shells (bmi v2)",
                               concentric_task),
      i + "v1-concentric_gaussians-" + i, {"dim", "components"});
  add(family<InliersParams>("mult-sparse-w-inliers",
                            "2-pair Gaussian mixed with its product of marginals (bmi v2)",
                            inliers_task),
      "mult-sparse-w-inliers-" + i + "-\\1-" + i + "-" + n + "-" + n,
      {"dim", "pairs", "strength", "fraction"});
  add(family<DiscreteParams>("discrete-uniform-mixture",
                             "X ~ Unif{0..m-1}, Y = X + U(0, 2) (Gao et al. 2017)", discrete_task),
      "discrete-uniform-mixture-" + i, {"m"});
  add(family<PoissonParams>("zero-inflated-poissonization",
                            "X ~ Exp(1), Y = Bernoulli(1-p) * Poisson(X) (Gao et al. 2017)",
                            poisson_task),
      "zero-inflated-poissonization-" + n, {"p"});
}

}  // namespace mib
