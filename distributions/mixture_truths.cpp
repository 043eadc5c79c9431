// Stored ground truths of the named Gaussian-mixture tasks: the Monte Carlo mean of the exact
// PMI over 10⁶ draws of the untransformed mixture (transforms keep MI), with its standard
// error. Regenerate with
//   mibench truth ID... --draws 1000000 --seed 20261128 --json
// with the ids below (mc_mi and mc_se of its output). The values agree with bmi's own 10⁵-draw
// estimates within their errors (see ../shared/reference/bmi-tasks.md, section 4).

#include <map>
#include <optional>
#include <string>

#include "distributions/distribution.hpp"

namespace mib {

std::optional<GroundTruth> stored_mixture_truth(const std::string& id) {
  static const std::map<std::string, std::pair<double, double>> table = {
      {"1v1-X-0.9", {0.408152, 0.000747}},
      {"1v1-AI", {0.774911, 0.000870}},
      {"2v1-waves-12-5.0-3.0", {1.306974, 0.000386}},
      {"2v1-galaxy-0.5-3.0", {0.494285, 0.000513}},
      {"3v1-concentric_gaussians-5", {0.455941, 0.000667}},
      {"5v1-concentric_gaussians-5", {0.627865, 0.000710}},
      {"3v1-concentric_gaussians-10", {0.560480, 0.000746}},
      {"5v1-concentric_gaussians-10", {0.752257, 0.000796}},
      {"25v1-concentric_gaussians-5", {1.190728, 0.000633}},
      {"mult-sparse-w-inliers-5-5-2-2.0-0.2", {0.635733, 0.001156}},
      {"mult-sparse-w-inliers-25-25-2-2.0-0.2", {0.634499, 0.001159}},
      {"mult-sparse-w-inliers-5-5-2-2.0-0.5", {0.268586, 0.000839}},
      {"mult-sparse-w-inliers-25-25-2-2.0-0.5", {0.268979, 0.000840}},
  };
  auto it = table.find(id);
  if (it == table.end()) return std::nullopt;
  return GroundTruth{it->second.first, it->second.second,
                     "monte-carlo (1000000 draws, seed 20261128)"};
}

}  // namespace mib
