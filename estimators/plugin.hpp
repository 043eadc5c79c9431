#pragma once
// Plug-in estimators: a density or a distribution estimated first, MI computed from it.
//
// histogram — Î = Ĥ(X) + Ĥ(Y) − Ĥ(X, Y) with plug-in entropies Ĥ = −Σ (c/N) ln(c/N) over the
//   occupied cells of a product grid: `bins` bins per coordinate, of equal width over the
//   sample's range ("width", bmi's default with 5 bins) or of equal frequency ("frequency",
//   edges at the sample quantiles; tied values share a bin). miller_madow adds (m − 1)/(2N)
//   to each entropy, m its occupied cells (Miller 1955): the plug-in's bias is about
//   (B_x − 1)(B_y − 1)/(2N) upward. Memory grows with the occupied cells only, never with
//   bins^(dx+dy).
//
// kde — Î = ⟨ln p̂(x_i, y_i) − ln p̂(x_i) − ln p̂(y_i)⟩ (Moon, Rajagopalan & Lall 1995), each
//   p̂ a kernel density estimate on (standardised) data with an isotropic bandwidth per space:
//   Scott's factor n^(−1/(d+4)) or Silverman's (n(d+2)/4)^(−1/(d+4)) (as SciPy's gaussian_kde
//   on unit variances), or a fixed number. Kernels: "gaussian", and "tophat" (uniform on the
//   Euclidean ball of radius h; bmi's default). "resubstitution" includes the point itself in
//   its own density (bmi's default); "leave-one-out" excludes it. O(N² (dx + dy)) time.

#include <string>

#include "estimators/estimator.hpp"
#include "estimators/preprocess.hpp"

namespace mib {

struct HistogramParams {
  int bins = 5;
  std::string binning = "width";
  bool miller_madow = false;
  CommonOptions common;
  template <class V>
  void visit(V& v) {
    v("bins", bins, "an integer in [1, 255]", [](int b) { return b >= 1 && b <= 255; });
    v("binning", binning, "width or frequency",
      [](const std::string& s) { return s == "width" || s == "frequency"; });
    v("miller_madow", miller_madow);
    common.visit(v);
  }
};

class HistogramEstimator final : public PreprocessingEstimator {
 public:
  using Params = HistogramParams;
  explicit HistogramEstimator(Params params)
      : PreprocessingEstimator(params.common), params_(std::move(params)) {}

 private:
  Estimate estimate_core(const Sample& data, Rng& rng) const override;

  Params params_;
};

struct KdeParams {
  std::string kernel = "gaussian";
  std::string bandwidth = "scott";  ///< "scott", "silverman" or a positive number as text
  std::string estimate = "resubstitution";
  CommonOptions common;
  template <class V>
  void visit(V& v) {
    v("kernel", kernel, "gaussian or tophat",
      [](const std::string& s) { return s == "gaussian" || s == "tophat"; });
    v("bandwidth", bandwidth, "scott, silverman or a positive number", [](const std::string& s) {
      if (s == "scott" || s == "silverman") return true;
      char* end = nullptr;
      const double h = std::strtod(s.c_str(), &end);
      return end != s.c_str() && *end == '\0' && h > 0;
    });
    v("estimate", estimate, "resubstitution or leave-one-out",
      [](const std::string& s) { return s == "resubstitution" || s == "leave-one-out"; });
    common.visit(v);
  }
};

class KdeEstimator final : public PreprocessingEstimator {
 public:
  using Params = KdeParams;
  explicit KdeEstimator(Params params)
      : PreprocessingEstimator(params.common), params_(std::move(params)) {}
  std::size_t min_samples() const override { return 3; }

 private:
  Estimate estimate_core(const Sample& data, Rng& rng) const override;

  Params params_;
};

}  // namespace mib
