#pragma once
// Injective maps applied to one side of a sample (rows are samples). MI is invariant under
// them (a diffeomorphism of X and/or Y; the swiss roll is injective onto its image), and the
// PMI of the result is the base PMI at the pre-image, hence inverse(). The maps and their
// constants follow bmi (src/bmi/transforms/*.py, src/bmi/benchmark/tasks/*.py).

#include <memory>
#include <string>
#include <vector>

#include "core/matrix.hpp"

namespace mib {

class Transform {
 public:
  virtual ~Transform() = default;
  /// Columns out for `dim` columns in; InvalidArgument naming `where` when the map does not
  /// act on `dim` columns.
  virtual std::size_t output_dim(std::size_t dim, const std::string& where) const;
  virtual Matrix forward(MatrixRef v) const = 0;
  /// The pre-image of rows in the image of forward().
  virtual Matrix inverse(MatrixRef w) const = 0;
};

using TransformPtr = std::shared_ptr<const Transform>;

/// t ↦ Φ(t), the standard normal CDF (uniform margins from normal ones).
TransformPtr normal_cdf();
/// t ↦ t·sqrt|t|.
TransformPtr half_cube();
/// t ↦ asinh t.
TransformPtr asinh_map();
/// t ↦ sign(t)|t|^a, a > 0.
TransformPtr power(double a);
/// t ↦ t³ (Poole et al. 2019's cubic staircase).
TransformPtr cube();
/// bmi's wiggly maps: X side x + 0.4 sin x + 0.2 sin(1.7x + 1) + 0.03 sin(3.3x − 2.5),
/// Y side y − 0.4 sin(0.4y) + 0.17 sin(1.3y + 3.5) + 0.02 sin(4.3y − 2.5). Both have a
/// derivative >= 0.16 > 0, so they are invertible (numerically, by bisection).
TransformPtr wiggly_x();
TransformPtr wiggly_y();
/// v ↦ exp(θ G) v with θ = speed·‖v‖² and G the generator of the (i, j) plane: rotates
/// coordinates i and j by θ; rotation keeps ‖v‖, so the inverse rotates back by the same θ.
TransformPtr spiral(std::size_t i, std::size_t j, double speed);
/// u ∈ [0, 1] ↦ (t cos t, t sin t) / 21 with t = 1.5π(1 + 2u): one column in, two out.
TransformPtr swiss_roll();
/// u = Φ(t), then the quantile function of the 1-D Gaussian mixture Σ w_k N(μ_k, 1),
/// found by bisection on [−10, 10] to a width of 1e-12 (bmi's bimodal task).
TransformPtr mixture_quantile(std::vector<double> weights, std::vector<double> means);
/// bmi's waves shear on 2 columns: (x1, x2) ↦ (0.1(x1 + a sin(f x2)) − 0.8, 0.5 x2).
TransformPtr waves(double amplitude, double frequency);

}  // namespace mib
