// The Gaussian-mixture ("fine") families of bmi v2 (src/bmi/benchmark/tasks/mixtures.py;
// ../shared/reference/bmi-tasks.md, section 4). Their truths are Monte Carlo over the exact PMI
// (distributions/mixture.hpp); the named ids' values are stored (mixture_truths.cpp).

#include "distributions/family_helpers.hpp"
#include "distributions/mixture.hpp"
#include "distributions/transformed.hpp"

namespace mib {

std::optional<GroundTruth> stored_mixture_truth(const std::string& id);  // mixture_truths.cpp

namespace families {
namespace {

Eigen::VectorXd vec(std::initializer_list<double> v) {
  Eigen::VectorXd out(static_cast<Eigen::Index>(v.size()));
  Eigen::Index i = 0;
  for (double x : v) out(i++) = x;
  return out;
}
Eigen::MatrixXd diag(std::initializer_list<double> v) { return vec(v).asDiagonal(); }

Task mixture_task(const std::string& id, std::size_t dx, std::size_t dy,
                  std::vector<MixtureComponent> components, const std::string& where,
                  TransformPtr fx = nullptr) {
  std::shared_ptr<const Distribution> d = std::make_shared<GaussianMixture>(
      dx, dy, std::move(components), stored_mixture_truth(id), where);
  if (fx) d = std::make_shared<Transformed>(d, fx, nullptr, where);
  return {id, "", kMonteCarloSource, d};
}

struct XParams {
  double corr = 0.9;
  template <class V>
  void visit(V& v) {
    v("corr", corr, "in (-1, 1)", open_unit);
  }
};
Task x_task(const XParams& p, const std::string& id, const std::string& where) {
  return mixture_task(
      id, 1, 1, {{0.5, vec({0, 0}), bivariate(-p.corr)}, {0.5, vec({0, 0}), bivariate(p.corr)}},
      where);
}

struct NoParams {
  template <class V>
  void visit(V&) {}
};
Task ai_task(const NoParams&, const std::string& id, const std::string& where) {
  const double c = 0.95 * std::sqrt(0.04 * 0.2);
  Eigen::MatrixXd left(2, 2), right(2, 2);
  left << 0.04, c, c, 0.2;
  right << 0.04, -c, -c, 0.2;
  const double w = 1.0 / 6;
  return mixture_task(id, 1, 1,
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
    v("components", components, "in [1, 4096]", positive);
    v("amplitude", amplitude, "finite", finite);
    v("frequency", frequency, "finite", finite);
  }
};
Task waves_task(const WavesParams& p, const std::string& id, const std::string& where) {
  std::vector<MixtureComponent> parts;
  for (int m = 0; m < p.components; ++m) {
    parts.push_back({1.0, 1.5 * vec({double(m), 0, double(m % 4)}), diag({0.1, 1.0, 0.1})});
  }
  return mixture_task(id, 2, 1, std::move(parts), where, waves(p.amplitude, p.frequency));
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
Task galaxy_task(const GalaxyParams& p, const std::string& id, const std::string& where) {
  const Eigen::VectorXd shift = Eigen::VectorXd::Constant(3, p.distance / 2);
  const Eigen::MatrixXd identity = Eigen::MatrixXd::Identity(3, 3);
  return mixture_task(id, 2, 1, {{0.5, shift, identity}, {0.5, -shift, identity}}, where,
                      spiral(0, 1, p.speed));
}

struct ConcentricParams {
  int dim = 3;
  int components = 5;
  template <class V>
  void visit(V& v) {
    v("dim", dim, "in [1, 4096] (dimension of X; Y is 1-D)", positive);
    v("components", components, "in [1, 4096]", positive);
  }
};
Task concentric_task(const ConcentricParams& p, const std::string& id, const std::string& where) {
  std::vector<MixtureComponent> parts;
  const auto d = static_cast<Eigen::Index>(p.dim);
  for (int i = 1; i <= p.components; ++i) {
    Eigen::VectorXd mean = Eigen::VectorXd::Zero(d + 1);
    mean(d) = i;
    Eigen::VectorXd variance = Eigen::VectorXd::Constant(d + 1, double(i) * i);
    variance(d) = 1e-4;
    parts.push_back({1.0, mean, variance.asDiagonal()});
  }
  return mixture_task(id, size(p.dim), 1, std::move(parts), where);
}

struct InliersParams {
  int dim = 5;
  int pairs = 2;
  double strength = 2.0;
  double fraction = 0.2;
  template <class V>
  void visit(V& v) {
    v("dim", dim, "in [1, 4096] (dimension of X and of Y)", positive);
    v("pairs", pairs, ">= 0", [](int k) { return k >= 0; });
    v("strength", strength, "finite", finite);
    v("fraction", fraction, "in (0, 1)", [](double f) { return f > 0 && f < 1; });
  }
};
Task inliers_task(const InliersParams& p, const std::string& id, const std::string& where) {
  const SparseParams s{p.dim, p.pairs, p.strength};
  const auto d = static_cast<Eigen::Index>(2 * p.dim);
  const Eigen::VectorXd zero = Eigen::VectorXd::Zero(d);
  return mixture_task(id, size(p.dim), size(p.dim),
                      {{1 - p.fraction, zero, sparse(s, where)},
                       {p.fraction, zero, Eigen::MatrixXd::Identity(d, d)}},
                      where);
}

}  // namespace

void register_mixture_families(Adder& add) {
  add("1v1-X", "1v1-X-{corr}", "mixture of two bivariate normals with correlations -corr and corr",
      x_task);
  add("1v1-AI", "1v1-AI", "six-component Gaussian mixture drawing 'AI' (bmi v2)", ai_task);
  add("2v1-waves", "2v1-waves-{components}-{amplitude}-{frequency}",
      "mixture on a grid, X sheared by a sine wave (bmi v2)", waves_task);
  add("2v1-galaxy", "2v1-galaxy-{speed}-{distance}", "two Gaussian blobs, X spiralled (bmi v2)",
      galaxy_task);
  add("concentric_gaussians", "{dim}v1-concentric_gaussians-{components}",
      "dim-dimensional X, 1-D Y: concentric Gaussian shells (bmi v2)", concentric_task);
  add("mult-sparse-w-inliers", "mult-sparse-w-inliers-{dim}-{dim}-{pairs}-{strength}-{fraction}",
      "2-pair Gaussian mixed with its product of marginals (bmi v2)", inliers_task);
}

}  // namespace families
}  // namespace mib
