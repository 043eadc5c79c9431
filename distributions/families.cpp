// The built-in task families: each a Params struct (the single home of its defaults), a
// builder and the form of its ids. Constants and id formats follow bmi
// (src/bmi/benchmark/tasks/*.py; ../shared/reference/bmi-tasks.md restates them).

#include "distributions/additive_uniform.hpp"
#include "distributions/discrete_continuous.hpp"
#include "distributions/family_helpers.hpp"
#include "distributions/student.hpp"
#include "distributions/transformed.hpp"

namespace mib {

using namespace families;

namespace {

// ---- Gaussian -------------------------------------------------------------------------------

Task normal_task(const NormalParams& p, const std::string& id, const std::string& where) {
  return {id, "", kGaussianSource,
          std::make_shared<MultivariateNormal>(1, 1, bivariate(p.rho), where)};
}

struct DenseParams {
  int dim = 2;
  double corr = 0.5;
  template <class V>
  void visit(V& v) {
    v("dim", dim, "in [1, 4096] (dimension of X and of Y)", positive);
    v("corr", corr, "in (-1, 1)", open_unit);
  }
};
Task dense_task(const DenseParams& p, const std::string& id, const std::string& where) {
  const auto d = size(p.dim);
  return {id, "", kGaussianSource,
          std::make_shared<MultivariateNormal>(d, d, dense_covariance(d, d, p.corr), where)};
}

Task sparse_task(const SparseParams& p, const std::string& id, const std::string& where) {
  return {id, "", kGaussianSource,
          std::make_shared<MultivariateNormal>(size(p.dim), size(p.dim), sparse(p, where), where)};
}

// Poole et al. 2019: X ~ N(0, I_d), Y = ρX + sqrt(1 − ρ²)ε, MI = −(d/2) ln(1 − ρ²).
struct StaircaseParams {
  int dim = 20;
  double mi = 2.0;
  template <class V>
  void visit(V& v) {
    v("dim", dim, "in [1, 4096]", positive);
    v("mi", mi, "> 0 (nats)", is_positive);
  }
};
Task staircase_task(const StaircaseParams& p, const std::string& id, const std::string& where) {
  const auto d = size(p.dim);
  const double rho = std::sqrt(-std::expm1(-2 * p.mi / p.dim));
  Eigen::MatrixXd c = Eigen::MatrixXd::Identity(2 * p.dim, 2 * p.dim);
  c.topRightCorner(p.dim, p.dim).diagonal().setConstant(rho);
  c.bottomLeftCorner(p.dim, p.dim).diagonal().setConstant(rho);
  return {id, "", "closed form: -(d/2) ln(1 - rho^2) (Poole et al. 2019)",
          std::make_shared<MultivariateNormal>(d, d, c, where)};
}

// ---- Student-t ------------------------------------------------------------------------------

struct StudentIdentityParams {
  int dim_x = 1;
  int dim_y = 1;
  double nu = 1;
  template <class V>
  void visit(V& v) {
    v("dim_x", dim_x, "in [1, 4096]", positive);
    v("dim_y", dim_y, "in [1, 4096]", positive);
    v("nu", nu, "> 0 (degrees of freedom)", is_positive);
  }
};
constexpr const char* kStudentSource =
    "closed form: Gaussian MI of the dispersion + h(dx) + h(dy) - h(dx+dy) (Arellano-Valle et al. "
    "2013, as corrected in bmi)";
Task student_identity_task(const StudentIdentityParams& p, const std::string& id,
                           const std::string& where) {
  const auto d = static_cast<Eigen::Index>(p.dim_x + p.dim_y);
  return {id, "", kStudentSource,
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
    v("dim", dim, "in [1, 4096] (dimension of X and of Y)", positive);
    v("nu", nu, "> 0 (degrees of freedom)", is_positive);
    v("pairs", pairs, ">= 0", [](int k) { return k >= 0; });
    v("strength", strength, "finite", finite);
  }
};
Task student_sparse_task(const StudentSparseParams& p, const std::string& id,
                         const std::string& where) {
  const SparseParams s{p.dim, p.pairs, p.strength};
  return {id, "", kStudentSource,
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
Task additive_task(const AdditiveParams& p, const std::string& id, const std::string& where) {
  return {id, "", "closed form: eps - ln(2 eps) for eps <= 1/2, else 1/(4 eps)",
          std::make_shared<AdditiveUniform>(p.epsilon, where)};
}

Task bimodal_task(const NormalParams& p, const std::string& id, const std::string& where) {
  auto base = std::make_shared<MultivariateNormal>(1, 1, bivariate(p.rho), where);
  return {id, "", kGaussianSource + std::string(" (invariant under the maps)"),
          std::make_shared<Transformed>(base, mixture_quantile({0.3, 0.7}, {0.0, 5.0}),
                                        mixture_quantile({0.5, 0.5}, {-1.0, 3.0}), where)};
}

// ---- Discrete–continuous --------------------------------------------------------------------

struct DiscreteParams {
  int m = 5;
  template <class V>
  void visit(V& v) {
    v("m", m, "in [1, 4096]", positive);
  }
};
Task discrete_task(const DiscreteParams& p, const std::string& id, const std::string& where) {
  return {id, "", "closed form: ln m - ((m-1)/m) ln 2 (Gao et al. 2017)",
          std::make_shared<DiscreteUniformMixture>(p.m, where)};
}

struct PoissonParams {
  double p = 0.15;
  template <class V>
  void visit(V& v) {
    v("p", p, "in [0, 1)", [](double q) { return q >= 0 && q < 1; });
  }
};
Task poisson_task(const PoissonParams& p, const std::string& id, const std::string& where) {
  return {id, "",
          "exact integral of p(y|x) ln(p(y|x)/p(y)) (numerical quadrature; bmi's (1-p)*0.3012 is "
          "I(X;Y|B))",
          std::make_shared<ZeroInflatedPoissonization>(p.p, where)};
}

}  // namespace

void register_builtin_families(Registry<Task>& f, std::vector<IdForm>& forms) {
  Adder add{f, forms};
  add("1v1-normal", "1v1-normal-{rho}", "bivariate normal, correlation rho (bmi)", normal_task);
  add("multinormal-dense", "multinormal-dense-{dim}-{dim}-{corr}",
      "dim + dim Gaussian, unit variances, every correlation corr (bmi)", dense_task);
  add("multinormal-sparse", "multinormal-sparse-{dim}-{dim}-{pairs}-{strength}",
      "dim + dim Gaussian, corr(X_i, Y_i) = s^2/(1+s^2) for i < pairs, identity elsewhere (bmi's "
      "2-pair latent model)",
      sparse_task);
  add("staircase", "staircase-{dim}-{mi}",
      "X ~ N(0, I_d), Y = rho X + sqrt(1-rho^2) noise with rho set for the MI (Poole et al. 2019)",
      staircase_task);
  add("student-identity", "student-identity-{dim_x}-{dim_y}-{nu:g}",
      "multivariate Student-t, identity dispersion, nu dof (bmi)", student_identity_task);
  add("student-sparse", "student-sparse-{dim}-{dim}-{nu:g}-{pairs}-{strength}",
      "multivariate Student-t with the 2-pair dispersion (bmi)", student_sparse_task);
  add("1v1-additive", "1v1-additive-{epsilon}", "X ~ U(0,1), Y = X + U(-eps, eps) (bmi)",
      additive_task);
  add("1v1-bimodal", "1v1-bimodal-{rho}",
      "bivariate normal pushed to bimodal margins through mixture quantiles (bmi)", bimodal_task);
  register_mixture_families(add);
  register_ssl_families(add);
  register_conditional_families(add);
  add("discrete-uniform-mixture", "discrete-uniform-mixture-{m}",
      "X ~ Unif{0..m-1}, Y = X + U(0, 2) (Gao et al. 2017)", discrete_task);
  add("zero-inflated-poissonization", "zero-inflated-poissonization-{p}",
      "X ~ Exp(1), Y = Bernoulli(1-p) * Poisson(X) (Gao et al. 2017)", poisson_task);
}

}  // namespace mib
