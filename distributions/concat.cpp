#include "distributions/concat.hpp"

#include <cmath>

#include "distributions/linalg.hpp"

namespace mib {

Dims IndependentConcat::dims() const {
  const Dims a = first_->dims(), b = second_->dims();
  return {a.x + b.x, a.y + b.y, a.z + b.z};
}

GroundTruth IndependentConcat::mutual_information() const {
  const GroundTruth a = first_->mutual_information(), b = second_->mutual_information();
  const bool exact = a.method == "closed-form" && b.method == "closed-form";
  return {a.mi + b.mi, std::hypot(a.std_error, b.std_error),
          exact ? "closed-form" : "sum of: " + a.method + "; " + b.method};
}

Sample IndependentConcat::sample(std::size_t n, Rng& rng) const {
  const Sample a = first_->sample(n, rng);
  const Sample b = second_->sample(n, rng);
  Sample out{hstack(a.x, b.x), hstack(a.y, b.y)};
  out.z = a.z.cols() == 0 ? b.z : b.z.cols() == 0 ? a.z : hstack(a.z, b.z);
  return out;
}

std::optional<Eigen::VectorXd> IndependentConcat::pmi(const Sample& s) const {
  const Dims a = first_->dims();
  const auto ax = static_cast<Eigen::Index>(a.x), ay = static_cast<Eigen::Index>(a.y),
             az = static_cast<Eigen::Index>(a.z);
  // A part without Z gets an empty z, as its own samples have.
  auto z_part = [&](Eigen::Index start, Eigen::Index count) {
    return count > 0 ? Matrix(s.z.middleCols(start, count)) : Matrix();
  };
  const auto pa = first_->pmi({s.x.leftCols(ax), s.y.leftCols(ay), z_part(0, az)});
  const auto pb = second_->pmi({s.x.rightCols(s.x.cols() - ax), s.y.rightCols(s.y.cols() - ay),
                                z_part(az, s.z.cols() - az)});
  if (!pa || !pb) return std::nullopt;
  return (*pa + *pb).eval();
}

}  // namespace mib
