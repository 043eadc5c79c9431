// The task families with a conditioning variable Z (distributions/conditional.hpp): their
// truth is I(X; Y | Z), or a transfer entropy. Gaussian structures are built per coordinate
// (dim independent copies of one scalar triple) unless named otherwise.

#include <cmath>

#include "distributions/conditional.hpp"
#include "distributions/family_helpers.hpp"

namespace mib::families {
namespace {

constexpr const char* kTripleSource = "closed form: 1/2 ln(det Sxz det Syz / (det Sz det Sxyz))";

// The covariance of dim independent copies of the scalar triple (X, Y, Z) with covariance c
// (3 × 3), coordinates ordered X_1..X_d, Y_1..Y_d, Z_1..Z_d.
Eigen::MatrixXd per_coordinate(const Eigen::Matrix3d& c, int dim) {
  const auto d = static_cast<Eigen::Index>(dim);
  Eigen::MatrixXd out = Eigen::MatrixXd::Zero(3 * d, 3 * d);
  for (Eigen::Index i = 0; i < d; ++i)
    for (Eigen::Index a = 0; a < 3; ++a)
      for (Eigen::Index b = 0; b < 3; ++b) out(a * d + i, b * d + i) = c(a, b);
  return out;
}

Task triple_task(const std::string& id, const std::string& where, int dim, const Eigen::Matrix3d& c,
                 const std::string& source = kTripleSource) {
  const auto d = size(dim);
  return {id, "", source, std::make_shared<GaussianTriple>(d, d, d, per_coordinate(c, dim), where)};
}

bool unit_open_positive(double v) { return v > 0 && v < 1; }

struct ChainParams {
  int dim = 1;
  double rho = 0.8;
  template <class V>
  void visit(V& v) {
    v("dim", dim, "in [1, 4096] (dimension of X, Y and Z)", positive);
    v("rho", rho, "in (-1, 1)", open_unit);
  }
};
// X → Z → Y: Z = ρX + √(1 − ρ²)ε, Y = ρZ + √(1 − ρ²)ε'. I(X; Y | Z) = 0, I(X; Y) = −(d/2) ln(1 −
// ρ⁴).
Task chain_task(const ChainParams& p, const std::string& id, const std::string& where) {
  const double r = p.rho;
  Eigen::Matrix3d c;
  c << 1, r * r, r,  //
      r * r, 1, r,   //
      r, r, 1;
  return triple_task(id, where, p.dim, c, "closed form: 0 (Y depends on X only through Z)");
}

struct CommonParams {
  int dim = 1;
  double rho = 0.8;
  double cmi = 0.5;
  template <class V>
  void visit(V& v) {
    v("dim", dim, "in [1, 4096] (dimension of X, Y and Z)", positive);
    v("rho", rho, "in (-1, 1)", open_unit);
    v("cmi", cmi, ">= 0 and finite (nats)", [](double m) { return m >= 0 && std::isfinite(m); });
  }
};
// Z a common cause: X = ρZ + √(1 − ρ²)e_x, Y = ρZ + √(1 − ρ²)e_y with corr(e_x, e_y) = r set
// so that −(d/2) ln(1 − r²) = cmi.
Task common_task(const CommonParams& p, const std::string& id, const std::string& where) {
  const double r = std::sqrt(-std::expm1(-2 * p.cmi / p.dim)), q = p.rho;
  Eigen::Matrix3d c;
  c << 1, q * q + (1 - q * q) * r, q,  //
      q * q + (1 - q * q) * r, 1, q,   //
      q, q, 1;
  return triple_task(id, where, p.dim, c);
}

struct ColliderParams {
  int dim = 1;
  double rho = 0.8;
  template <class V>
  void visit(V& v) {
    v("dim", dim, "in [1, 4096] (dimension of X, Y and Z)", positive);
    v("rho", rho, "in (0, 1)", unit_open_positive);
  }
};
// X, Y independent, Z = ρ(X + Y)/√2 + √(1 − ρ²)ε a common effect: I(X; Y) = 0 < I(X; Y | Z).
Task collider_task(const ColliderParams& p, const std::string& id, const std::string& where) {
  const double a = p.rho / std::sqrt(2.0);
  Eigen::Matrix3d c;
  c << 1, 0, a,  //
      0, 1, a,   //
      a, a, 1;
  return triple_task(id, where, p.dim, c);
}

struct ZdimParams {
  int dim_z = 5;
  double cmi = 0.5;
  template <class V>
  void visit(V& v) {
    v("dim_z", dim_z, "in [1, 4096]", positive);
    v("cmi", cmi, ">= 0 and finite (nats)", [](double m) { return m >= 0 && std::isfinite(m); });
  }
};
// Scalar X and Y driven by all of Z ~ N(0, I_m) through the unit loading w = 1/√m:
// X = (wᵀZ)/√2 + e_x/√2, Y alike, corr(e_x, e_y) = r with −½ ln(1 − r²) = cmi, for every m.
Task zdim_task(const ZdimParams& p, const std::string& id, const std::string& where) {
  const auto m = static_cast<Eigen::Index>(p.dim_z);
  const double r = std::sqrt(-std::expm1(-2 * p.cmi));
  const double load = std::sqrt(0.5 / static_cast<double>(m));
  Eigen::MatrixXd c = Eigen::MatrixXd::Identity(m + 2, m + 2);
  c(0, 1) = c(1, 0) = 0.5 + 0.5 * r;
  c.block(0, 2, 2, m).setConstant(load);
  c.block(2, 0, m, 2).setConstant(load);
  return {id, "", kTripleSource, std::make_shared<GaussianTriple>(1, 1, size(p.dim_z), c, where)};
}

struct DiscreteZParams {
  int m = 4;
  double rho = 0.8;
  template <class V>
  void visit(V& v) {
    v("m", m, "in [1, 1000] (values of Z)", [](int k) { return k >= 1 && k <= 1000; });
    v("rho", rho, "in (-1, 1)", open_unit);
  }
};
Task discrete_z_task(const DiscreteZParams& p, const std::string& id, const std::string& where) {
  return {id, "", "closed form: mean over z of -1/2 ln(1 - rho_z^2)",
          std::make_shared<DiscreteZGaussian>(p.m, p.rho, where)};
}

struct TeParams {
  int lag = 1;
  double coupling = 0.5;
  template <class V>
  void visit(V& v) {
    v("lag", lag, "in [1, 50] (history length)", [](int l) { return l >= 1 && l <= 50; });
    v("coupling", coupling, "finite", finite);
  }
};
// X_{t+1} = 0.5 X_t + ε, Y_{t+1} = 0.5 Y_t + c X_t + η.
constexpr double kTeAutoregression = 0.5;
template <bool XToY>
Task te_task(const TeParams& p, const std::string& id, const std::string& where) {
  return {id, "",
          XToY ? "closed form: Gaussian CMI of the VAR(1)'s stationary covariance (discrete "
                 "Lyapunov equation)"
               : "closed form: 0 (Y does not drive X)",
          std::make_shared<VarTransferEntropy>(XToY, p.lag, kTeAutoregression, kTeAutoregression,
                                               p.coupling, where)};
}

}  // namespace

void register_conditional_families(Adder& add) {
  add("cmi-chain", "cmi-chain-{dim}-{rho}",
      "X -> Z -> Y Gaussian chain per coordinate: I(X;Y|Z) = 0 while I(X;Y) > 0", chain_task);
  add("cmi-common", "cmi-common-{dim}-{rho}-{cmi}",
      "Z a common cause of X and Y (loading rho) plus residual dependence: I(X;Y|Z) = cmi",
      common_task);
  add("cmi-collider", "cmi-collider-{dim}-{rho}",
      "X, Y independent, Z = rho (X + Y)/sqrt2 + noise: I(X;Y) = 0 < I(X;Y|Z)", collider_task);
  add("cmi-zdim", "cmi-zdim-{dim_z}-{cmi}",
      "scalar X, Y driven by all dim_z coordinates of Z: I(X;Y|Z) = cmi for every dim_z",
      zdim_task);
  add("cmi-discrete-z", "cmi-discrete-z-{m}-{rho}",
      "Z uniform on {0..m-1}; given z, X and Y normal with mean z, correlation rho (z+1)/m",
      discrete_z_task);
  add("te-var-xy", "te-var-xy-{lag}-{coupling}",
      "transfer entropy X -> Y of a VAR(1) (X drives Y with coupling c), history lag",
      te_task<true>);
  add("te-var-yx", "te-var-yx-{lag}-{coupling}",
      "transfer entropy Y -> X of the same VAR(1): 0 (the uncoupled direction)", te_task<false>);
}

}  // namespace mib::families
