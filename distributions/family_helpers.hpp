#pragma once
// Helpers shared by the family definitions (distributions/families.cpp and
// distributions/mixture_families.cpp); not a public interface.

#include <cmath>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/params.hpp"
#include "core/text.hpp"
#include "distributions/catalog.hpp"
#include "distributions/multinormal.hpp"

namespace mib::families {

inline constexpr const char* kGaussianSource = "closed form: 1/2 ln(det Sxx det Syy / det S)";
inline constexpr const char* kMonteCarloSource =
    "Monte Carlo mean of the exact PMI (Gaussian mixture)";

// Dimensions and counts (components, categories): bounded like the SSL families', so that a
// typo such as 10^8 is an error at parse time, not a dense 10^8 × 10^8 covariance allocated.
inline constexpr int kMaxSize = 4096;
inline bool positive(int v) { return v >= 1 && v <= kMaxSize; }
inline bool open_unit(double c) { return std::abs(c) < 1; }
inline bool finite(double v) { return std::isfinite(v); }
inline bool is_positive(double v) { return v > 0 && std::isfinite(v); }

inline std::size_t size(int v) { return static_cast<std::size_t>(v); }

/// Adds families: each with its name, the template of its ids (id_template.hpp), a description,
/// and the function that builds its task from parameters P and the id they format to.
struct Adder {
  Registry<Task>& registry;
  std::vector<IdForm>& forms;
  template <class P>
  void operator()(const std::string& name, std::string id_template, std::string description,
                  Task (*build)(const P&, const std::string& id, const std::string& where)) {
    const nlohmann::json defaults = params_to_json(P{});
    auto form = std::make_shared<const IdTemplate>(std::move(id_template), defaults);
    forms.push_back({name, form});
    registry.add({name, std::move(description), defaults,
                  [name, form, build](const nlohmann::json& j, const std::string& where) {
                    const std::string here = where + " (family " + name + ")";
                    const P p = parse_params<P>(j, here);
                    Task t = build(p, form->format(params_to_json(p)), here);
                    t.family = name;
                    return std::make_unique<Task>(std::move(t));
                  }});
  }
};

struct NormalParams {
  double rho = 0.75;
  template <class V>
  void visit(V& v) {
    v("rho", rho, "in (-1, 1)", open_unit);
  }
};
inline Eigen::MatrixXd bivariate(double rho) {
  Eigen::MatrixXd c(2, 2);
  c << 1, rho, rho, 1;
  return c;
}

struct SparseParams {
  int dim = 2;
  int pairs = 2;
  double strength = 2.0;
  template <class V>
  void visit(V& v) {
    v("dim", dim, "in [1, 4096] (dimension of X and of Y)", positive);
    v("pairs", pairs, ">= 0", [](int k) { return k >= 0; });
    v("strength", strength, "finite", finite);
  }
};
inline Eigen::MatrixXd sparse(const SparseParams& p, const std::string& where) {
  require<ConfigError>(p.pairs <= p.dim, where, "pairs", "<= dim (" + std::to_string(p.dim) + ")",
                       p.pairs);
  return sparse_covariance(size(p.dim), size(p.dim), size(p.pairs), p.strength);
}

/// The Gaussian-mixture families of bmi v2 (distributions/mixture_families.cpp).
void register_mixture_families(Adder& add);
void register_ssl_families(Adder& add);
/// The families with a conditioning variable Z (distributions/conditional_families.cpp).
void register_conditional_families(Adder& add);

}  // namespace mib::families
