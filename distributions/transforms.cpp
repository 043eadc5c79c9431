#include "distributions/transforms.hpp"

#include <boost/math/special_functions/erf.hpp>
#include <cmath>
#include <functional>

#include "core/error.hpp"

namespace mib {

std::size_t Transform::output_dim(std::size_t dim, const std::string&) const { return dim; }

namespace {

const double kPi = 3.141592653589793238462643383279502884;
const double kSqrt2 = 1.414213562373095048801688724209698079;

double phi(double t) { return 0.5 * std::erfc(-t / kSqrt2); }
double phi_inverse(double u) { return -kSqrt2 * boost::math::erfc_inv(2 * u); }
double sign(double t) { return t < 0 ? -1.0 : 1.0; }

// Inverse of an increasing function f by bisection: the x in [lo, hi] with f(x) = y.
template <class F>
double bisect(F f, double y, double lo, double hi, double width = 1e-14) {
  while (f(lo) > y) lo -= 2 * (hi - lo);
  while (f(hi) < y) hi += 2 * (hi - lo);
  while (hi - lo > width * std::max(1.0, std::abs(lo))) {
    const double mid = 0.5 * (lo + hi);
    if (mid == lo || mid == hi) break;
    (f(mid) < y ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

// Applies one scalar map to every entry.
class Elementwise final : public Transform {
 public:
  using Fn = std::function<double(double)>;
  Elementwise(Fn f, Fn inverse) : f_(std::move(f)), inverse_(std::move(inverse)) {}
  Matrix forward(MatrixRef v) const override { return v.unaryExpr(f_); }
  Matrix inverse(MatrixRef w) const override { return w.unaryExpr(inverse_); }

 private:
  Fn f_, inverse_;
};

TransformPtr elementwise(Elementwise::Fn f, Elementwise::Fn inverse) {
  return std::make_shared<Elementwise>(std::move(f), std::move(inverse));
}

template <class F>
TransformPtr monotone(F f) {
  return elementwise(f, [f](double y) { return bisect(f, y, y - 1, y + 1); });
}

class Spiral final : public Transform {
 public:
  Spiral(std::size_t i, std::size_t j, double speed) : i_(i), j_(j), speed_(speed) {}
  std::size_t output_dim(std::size_t dim, const std::string& where) const override {
    require(std::max(i_, j_) < dim, where, "the dimension of a spiral's side",
            "> " + std::to_string(std::max(i_, j_)) + " (it rotates coordinates " +
                std::to_string(i_) + " and " + std::to_string(j_) + ")",
            dim);
    return dim;
  }
  Matrix forward(MatrixRef v) const override { return rotate(v, 1.0); }
  Matrix inverse(MatrixRef w) const override { return rotate(w, -1.0); }

 private:
  Matrix rotate(MatrixRef v, double direction) const {
    Matrix out = v;
    const auto i = static_cast<Eigen::Index>(i_), j = static_cast<Eigen::Index>(j_);
    for (Eigen::Index r = 0; r < v.rows(); ++r) {
      const double theta = direction * speed_ * v.row(r).squaredNorm();
      const double c = std::cos(theta), s = std::sin(theta);
      out(r, i) = c * v(r, i) - s * v(r, j);
      out(r, j) = s * v(r, i) + c * v(r, j);
    }
    return out;
  }
  std::size_t i_, j_;
  double speed_;
};

class SwissRoll final : public Transform {
 public:
  std::size_t output_dim(std::size_t dim, const std::string& where) const override {
    require(dim == 1, where, "the dimension of the swiss roll's input", "1", dim);
    return 2;
  }
  Matrix forward(MatrixRef v) const override {
    Matrix out(v.rows(), 2);
    for (Eigen::Index r = 0; r < v.rows(); ++r) {
      const double t = 1.5 * kPi * (1 + 2 * v(r, 0));
      out(r, 0) = t * std::cos(t) / 21;
      out(r, 1) = t * std::sin(t) / 21;
    }
    return out;
  }
  Matrix inverse(MatrixRef w) const override {
    Matrix out(w.rows(), 1);
    for (Eigen::Index r = 0; r < w.rows(); ++r) {
      const double t = 21 * std::hypot(w(r, 0), w(r, 1));  // t > 0 is the radius
      out(r, 0) = (t / (1.5 * kPi) - 1) / 2;
    }
    return out;
  }
};

class Waves final : public Transform {
 public:
  Waves(double amplitude, double frequency) : a_(amplitude), f_(frequency) {}
  std::size_t output_dim(std::size_t dim, const std::string& where) const override {
    require(dim == 2, where, "the dimension of the waves' input", "2", dim);
    return 2;
  }
  Matrix forward(MatrixRef v) const override {
    Matrix out(v.rows(), 2);
    for (Eigen::Index r = 0; r < v.rows(); ++r) {
      out(r, 0) = 0.1 * (v(r, 0) + a_ * std::sin(f_ * v(r, 1))) - 0.8;
      out(r, 1) = 0.5 * v(r, 1);
    }
    return out;
  }
  Matrix inverse(MatrixRef w) const override {
    Matrix out(w.rows(), 2);
    for (Eigen::Index r = 0; r < w.rows(); ++r) {
      out(r, 1) = 2 * w(r, 1);
      out(r, 0) = (w(r, 0) + 0.8) / 0.1 - a_ * std::sin(f_ * out(r, 1));
    }
    return out;
  }

 private:
  double a_, f_;
};

}  // namespace

TransformPtr normal_cdf() { return elementwise(phi, phi_inverse); }
TransformPtr half_cube() {
  return elementwise([](double t) { return t * std::sqrt(std::abs(t)); },
                     [](double s) { return sign(s) * std::pow(std::abs(s), 2.0 / 3.0); });
}
TransformPtr asinh_map() {
  return elementwise([](double t) { return std::asinh(t); }, [](double s) { return std::sinh(s); });
}
TransformPtr power(double a) {
  require(a > 0 && std::isfinite(a), "power transform", "the exponent", "> 0", a);
  return elementwise([a](double t) { return sign(t) * std::pow(std::abs(t), a); },
                     [a](double s) { return sign(s) * std::pow(std::abs(s), 1 / a); });
}
TransformPtr cube() {
  return elementwise([](double t) { return t * t * t; }, [](double s) { return std::cbrt(s); });
}
TransformPtr wiggly_x() {
  return monotone([](double x) {
    return x + 0.4 * std::sin(x) + 0.2 * std::sin(1.7 * x + 1) + 0.03 * std::sin(3.3 * x - 2.5);
  });
}
TransformPtr wiggly_y() {
  return monotone([](double y) {
    return y - 0.4 * std::sin(0.4 * y) + 0.17 * std::sin(1.3 * y + 3.5) +
           0.02 * std::sin(4.3 * y - 2.5);
  });
}
TransformPtr spiral(std::size_t i, std::size_t j, double speed) {
  return std::make_shared<Spiral>(i, j, speed);
}
TransformPtr swiss_roll() { return std::make_shared<SwissRoll>(); }
TransformPtr waves(double amplitude, double frequency) {
  return std::make_shared<Waves>(amplitude, frequency);
}

TransformPtr mixture_quantile(std::vector<double> weights, std::vector<double> means) {
  auto cdf = [weights, means](double x) {
    double u = 0;
    for (std::size_t k = 0; k < weights.size(); ++k) u += weights[k] * phi(x - means[k]);
    return u;
  };
  // Forward as bmi: bisection on [−10, 10] until the bracket is 1e-12 wide (or cannot shrink).
  auto quantile = [cdf](double t) {
    const double u = phi(t);
    double lo = -10, hi = 10;
    while (hi - lo > 1e-12) {
      const double mid = 0.5 * (lo + hi);
      if (mid == lo || mid == hi) break;
      (cdf(mid) < u ? lo : hi) = mid;
    }
    return 0.5 * (lo + hi);
  };
  return elementwise(quantile, [cdf](double x) { return phi_inverse(cdf(x)); });
}

}  // namespace mib
