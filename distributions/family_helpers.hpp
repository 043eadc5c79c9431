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
inline constexpr const char* kInt = "(\\d+)";
inline constexpr const char* kNum = "(-?\\d+(?:\\.\\d+)?(?:e-?\\d+)?)";

// Dimensions and counts (components, categories): bounded like the SSL families', so that a
// typo such as 10^8 is an error at parse time, not a dense 10^8 × 10^8 covariance allocated.
inline constexpr int kMaxSize = 4096;
inline bool positive(int v) { return v >= 1 && v <= kMaxSize; }
inline bool open_unit(double c) { return std::abs(c) < 1; }
inline bool finite(double v) { return std::isfinite(v); }
inline bool is_positive(double v) { return v > 0 && std::isfinite(v); }

// Python's str() of an int or a float as bmi writes it: integral ν as "2", others as floats.
inline std::string integer_or_float(double v) {
  return v == std::floor(v) && std::abs(v) < 1e15 ? std::to_string(static_cast<long long>(v))
                                                  : format_float(v);
}
inline std::string dims(int dx, int dy) { return std::to_string(dx) + "-" + std::to_string(dy); }
inline std::size_t size(int v) { return static_cast<std::size_t>(v); }

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

/// Adds a family and the form of its ids.
struct Adder {
  Registry<Task>& registry;
  std::vector<IdForm>& forms;
  void operator()(Registry<Task>::Entry entry, std::string pattern, std::vector<std::string> keys) {
    forms.push_back({entry.name, std::move(pattern), std::move(keys)});
    registry.add(std::move(entry));
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
inline std::string sparse_suffix(const SparseParams& p) {
  return std::to_string(p.pairs) + "-" + format_float(p.strength);
}

/// The Gaussian-mixture families of bmi v2 (distributions/mixture_families.cpp).
void register_mixture_families(Adder& add);
void register_ssl_families(Adder& add);

}  // namespace mib::families
