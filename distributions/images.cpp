#include "distributions/images.hpp"

#include <algorithm>
#include <boost/math/special_functions/erf.hpp>
#include <boost/random/normal_distribution.hpp>
#include <cmath>
#include <limits>

#include "core/error.hpp"
#include "distributions/linalg.hpp"

namespace mib {
namespace {

double phi(double t) { return 0.5 * boost::math::erfc(-t / std::sqrt(2.0)); }

// Φ⁻¹(u); u is clamped into (0, 1) first (a decoded position may round onto an end).
double phi_inverse(double u) {
  u = std::clamp(u, std::numeric_limits<double>::min(), std::nextafter(1.0, 0.0));
  return -std::sqrt(2.0) * boost::math::erfc_inv(2 * u);
}

// Where a latent row puts the shape, in image units (the image is [0, s]², pixel j covers
// [j, j + 1] and has its centre at j + ½). Blobs: centre (a_x, a_y) and widths (b_x, b_y);
// rectangles: [a_x, b_x] × [a_y, b_y]. Every coordinate is s times a fraction of Φ(latent).
struct Geometry {
  double ax, bx, ay, by;
};

// The affine maps from Φ(latent) to a coordinate's fraction of s, shared by render and decode.
struct Affine {
  double offset, scale;
  double to(double t, double s) const { return s * (offset + scale * phi(t)); }
  double from(double v, double s) const { return phi_inverse((v / s - offset) / scale); }
};
constexpr Affine kBlobCentre{0.2, 0.6}, kBlobWidth{0.08, 0.1};
constexpr Affine kRectLow{0.125, 0.25}, kRectHigh{0.625, 0.25}, kSquareCorner{0.125, 0.5};
constexpr double kBlobDefaultWidth = 0.1, kSquareSide = 0.25;

Geometry geometry(Renderer r, int k, const double* t, double s) {
  if (r == Renderer::kBlobs) {
    const double wx = k >= 3 ? kBlobWidth.to(t[2], s) : s * kBlobDefaultWidth;
    const double wy = k == 4 ? kBlobWidth.to(t[3], s) : wx;
    return {kBlobCentre.to(t[0], s), wx, kBlobCentre.to(t[1], s), wy};
  }
  if (k == 2) {
    const double x0 = kSquareCorner.to(t[0], s), y0 = kSquareCorner.to(t[1], s);
    return {x0, x0 + s * kSquareSide, y0, y0 + s * kSquareSide};
  }
  return {kRectLow.to(t[0], s), kRectHigh.to(t[1], s), kRectLow.to(t[2], s), kRectHigh.to(t[3], s)};
}

// One axis's profile: the image is profile_y(i) · profile_x(j).
void profile(Renderer r, double a, double b, int s, double* out) {
  for (int j = 0; j < s; ++j) {
    if (r == Renderer::kBlobs) {
      const double d = (j + 0.5 - a) / b;
      out[j] = std::exp(-0.5 * d * d);
    } else {
      out[j] = std::max(0.0, std::min(j + 1.0, b) - std::max(static_cast<double>(j), a));
    }
  }
}

// Inverts one axis's profile (known up to a positive factor). Blobs: ln p is a parabola
// −(j + ½ − a)²/(2b²) + c, fitted exactly through the three pixels around its maximum.
// Rectangles: the largest value is a fully covered pixel (render guarantees one), the first and
// last covered pixels' fractions place the edges.
std::pair<double, double> invert_profile(Renderer r, const std::vector<double>& p) {
  const int s = static_cast<int>(p.size());
  const int top = static_cast<int>(std::max_element(p.begin(), p.end()) - p.begin());
  if (r == Renderer::kBlobs) {
    const int j = std::clamp(top, 1, s - 2);
    const double lm = std::log(p[static_cast<std::size_t>(j - 1)]);
    const double l0 = std::log(p[static_cast<std::size_t>(j)]);
    const double lp = std::log(p[static_cast<std::size_t>(j + 1)]);
    const double curvature = lm - 2 * l0 + lp;  // −1/b²
    return {j + 0.5 - (lp - lm) / (2 * curvature), std::sqrt(-1 / curvature)};
  }
  const double full = p[static_cast<std::size_t>(top)];
  int first = 0, last = s - 1;
  while (p[static_cast<std::size_t>(first)] <= 0) ++first;
  while (p[static_cast<std::size_t>(last)] <= 0) --last;
  return {first + 1 - p[static_cast<std::size_t>(first)] / full,
          last + p[static_cast<std::size_t>(last)] / full};
}

}  // namespace

LatentImages::LatentImages(Renderer renderer, int size, int latent, double mi,
                           const std::string& where)
    : renderer_(renderer), size_(size), latent_(latent), mi_(mi), rho_(0) {
  require(size >= 8 && size <= 128, where, "the image size", "in [8, 128]", size);
  const bool blobs = renderer == Renderer::kBlobs;
  require(blobs ? latent >= 2 && latent <= 4 : latent == 2 || latent == 4, where,
          "the latent dimension", blobs ? "2, 3 or 4 (blobs)" : "2 or 4 (rectangles)", latent);
  // Bounded so that decode's rounding (~1e-13 in a latent) stays far below the spread of η
  // given ξ, √(1 − ρ²) >= e^−5.
  require(mi > 0 && mi <= 5.0 * latent, where, "mi", "in (0, 5 * latent] nats", mi);
  rho_ = std::sqrt(-std::expm1(-2 * mi / latent));
}

Dims LatentImages::dims() const {
  const auto pixels = static_cast<std::size_t>(size_) * static_cast<std::size_t>(size_);
  return {pixels, pixels};
}

Matrix LatentImages::render(const Matrix& latents) const {
  require(latents.cols() == latent_, "images", "the latent columns", std::to_string(latent_),
          latents.cols());
  const int s = size_;
  Matrix images(latents.rows(), static_cast<Eigen::Index>(s) * s);
  advise_huge_pages(images.data(), static_cast<std::size_t>(images.size()));
  std::vector<double> px(static_cast<std::size_t>(s)), py(static_cast<std::size_t>(s));
  for (Eigen::Index r = 0; r < latents.rows(); ++r) {
    const Geometry g = geometry(renderer_, latent_, latents.row(r).data(), s);
    profile(renderer_, g.ax, g.bx, s, px.data());
    profile(renderer_, g.ay, g.by, s, py.data());
    // The image is the outer product py ⊗ px, written row by row.
    Eigen::Map<Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(
        images.row(r).data(), s, s) = Eigen::Map<const Eigen::VectorXd>(py.data(), s) *
                                      Eigen::Map<const Eigen::RowVectorXd>(px.data(), s);
  }
  return images;
}

Matrix LatentImages::decode(const Matrix& images) const {
  const int s = size_;
  require(images.cols() == static_cast<Eigen::Index>(s) * s, "images", "the pixel columns",
          std::to_string(s * s), images.cols());
  Matrix latents(images.rows(), latent_);
  std::vector<double> px(static_cast<std::size_t>(s)), py(static_cast<std::size_t>(s));
  for (Eigen::Index r = 0; r < images.rows(); ++r) {
    std::fill(px.begin(), px.end(), 0.0);
    std::fill(py.begin(), py.end(), 0.0);
    const double* in = images.row(r).data();
    for (int i = 0; i < s; ++i)
      for (int j = 0; j < s; ++j) {
        px[static_cast<std::size_t>(j)] += in[i * s + j];
        py[static_cast<std::size_t>(i)] += in[i * s + j];
      }
    const auto [ax, bx] = invert_profile(renderer_, px);
    const auto [ay, by] = invert_profile(renderer_, py);
    double* t = latents.row(r).data();
    const double sd = s;
    if (renderer_ == Renderer::kBlobs) {
      t[0] = kBlobCentre.from(ax, sd), t[1] = kBlobCentre.from(ay, sd);
      if (latent_ >= 3) t[2] = kBlobWidth.from(bx, sd);
      if (latent_ == 4) t[3] = kBlobWidth.from(by, sd);
    } else if (latent_ == 2) {
      t[0] = kSquareCorner.from(ax, sd), t[1] = kSquareCorner.from(ay, sd);
    } else {
      t[0] = kRectLow.from(ax, sd), t[1] = kRectHigh.from(bx, sd);
      t[2] = kRectLow.from(ay, sd), t[3] = kRectHigh.from(by, sd);
    }
  }
  return latents;
}

Sample LatentImages::sample(std::size_t n, Rng& rng) const {
  boost::random::normal_distribution<double> normal;
  const auto rows = static_cast<Eigen::Index>(n);
  Matrix xi(rows, latent_), eta(rows, latent_);
  const double c = std::sqrt(1 - rho_ * rho_);
  for (Eigen::Index i = 0; i < rows; ++i)
    for (int j = 0; j < latent_; ++j) {
      const double z1 = normal(rng), z2 = normal(rng);
      xi(i, j) = z1;
      eta(i, j) = rho_ * z1 + c * z2;
    }
  return {render(xi), render(eta)};
}

std::optional<Eigen::VectorXd> LatentImages::pmi(const Sample& s) const {
  const Matrix xi = decode(s.x), eta = decode(s.y);
  // Per pair ln p(ξ, η) − ln p(ξ) − ln p(η) = −½ ln(1 − ρ²) − (η − ρξ)² / (2(1 − ρ²)) + η²/2
  // (the conditional density of η given ξ over its marginal).
  const double one_minus = std::exp(-2 * mi_ / latent_);  // 1 − ρ², without cancellation
  Eigen::VectorXd out(xi.rows());
  for (Eigen::Index i = 0; i < xi.rows(); ++i) {
    double v = 0;
    for (int j = 0; j < latent_; ++j) {
      const double a = xi(i, j), b = eta(i, j);
      v += -0.5 * std::log(one_minus) - (b - rho_ * a) * (b - rho_ * a) / (2 * one_minus) +
           0.5 * b * b;
    }
    out(i) = v;
  }
  return out;
}

}  // namespace mib
