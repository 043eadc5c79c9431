#include "distributions/catalog.hpp"

#include <cmath>

#include "core/params.hpp"
#include "core/text.hpp"
#include "distributions/multinormal.hpp"

namespace mib {
namespace {

constexpr const char* kGaussianSource =
    "closed form: 1/2 ln(det Sxx det Syy / det S) for the Gaussian";

bool positive(int v) { return v >= 1; }

struct NormalParams {
  double rho = 0.75;
  template <class V>
  void visit(V& v) {
    v("rho", rho, "in (-1, 1)", [](double r) { return std::abs(r) < 1; });
  }
};

struct DenseParams {
  int dim = 2;
  double corr = 0.5;
  template <class V>
  void visit(V& v) {
    v("dim", dim, ">= 1 (dimension of X and of Y)", positive);
    v("corr", corr, "in (-1, 1)", [](double c) { return std::abs(c) < 1; });
  }
};

struct SparseParams {
  int dim = 2;
  int pairs = 2;
  double strength = 2.0;
  template <class V>
  void visit(V& v) {
    v("dim", dim, ">= 1 (dimension of X and of Y)", positive);
    v("pairs", pairs, ">= 0", [](int k) { return k >= 0; });
    v("strength", strength, "finite", [](double s) { return std::isfinite(s); });
  }
};

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

Task normal_task(const NormalParams& p, const std::string& where) {
  Eigen::MatrixXd c(2, 2);
  c << 1, p.rho, p.rho, 1;
  return {"1v1-normal-" + format_float(p.rho), "", kGaussianSource,
          std::make_shared<MultivariateNormal>(1, 1, c, where)};
}

Task dense_task(const DenseParams& p, const std::string& where) {
  const auto d = static_cast<std::size_t>(p.dim);
  const std::string ds = std::to_string(d);
  return {"multinormal-dense-" + ds + "-" + ds + "-" + format_float(p.corr), "", kGaussianSource,
          std::make_shared<MultivariateNormal>(d, d, dense_covariance(d, d, p.corr), where)};
}

Task sparse_task(const SparseParams& p, const std::string& where) {
  const auto d = static_cast<std::size_t>(p.dim);
  require<ConfigError>(p.pairs <= p.dim, where, "pairs", "<= dim (" + std::to_string(d) + ")",
                       p.pairs);
  const std::string ds = std::to_string(d);
  return {"multinormal-sparse-" + ds + "-" + ds + "-" + std::to_string(p.pairs) + "-" +
              format_float(p.strength),
          "", kGaussianSource,
          std::make_shared<MultivariateNormal>(
              d, d, sparse_covariance(d, d, static_cast<std::size_t>(p.pairs), p.strength), where)};
}

}  // namespace

TaskCatalog::TaskCatalog() {
  families_.add(family<NormalParams>(
      "1v1-normal", "bivariate normal, unit variances, correlation rho (bmi)", normal_task));
  families_.add(family<DenseParams>(
      "multinormal-dense", "dim + dim Gaussian, unit variances, every correlation corr (bmi)",
      dense_task));
  families_.add(family<SparseParams>(
      "multinormal-sparse",
      "dim + dim Gaussian, corr(X_i, Y_i) = s^2/(1+s^2) for i < pairs, identity elsewhere (bmi)",
      sparse_task));

  // bmi's Gaussian tasks, in bmi's order (src/bmi/benchmark/task_list.py).
  const std::string where = "catalogue";
  tasks_.push_back(make("1v1-normal", {{"rho", 0.75}}, where));
  for (int d : {2, 3, 5, 25, 50}) tasks_.push_back(make("multinormal-dense", {{"dim", d}}, where));
  for (int d : {2, 3, 5, 25}) tasks_.push_back(make("multinormal-sparse", {{"dim", d}}, where));
}

Task TaskCatalog::make(const std::string& family, const nlohmann::json& params,
                       const std::string& where) const {
  return *families_.at(family, where + ": task family").make(params, where);
}

const Task& TaskCatalog::find(const std::string& id, const std::string& where) const {
  for (const auto& t : tasks_) {
    if (t.id == id) return t;
  }
  std::vector<std::string> ids;
  for (const auto& t : tasks_) ids.push_back(t.id);
  fail<ConfigError>(where, "the task id",
                    "a catalogue id (closest: " + join(closest(id, ids), ", ") +
                        "; `mibench list tasks` shows all; other parameters through a family: " +
                        join(families_.names(), ", ") + ")",
                    quoted(id));
}

const TaskCatalog& builtin_catalog() {
  static const TaskCatalog catalog;
  return catalog;
}

}  // namespace mib
