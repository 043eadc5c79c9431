#include "distributions/concat.hpp"

#include <cmath>

#include "distributions/linalg.hpp"

namespace mib {

Dims IndependentConcat::dims() const {
  const Dims a = first_->dims(), b = second_->dims();
  return {a.x + b.x, a.y + b.y};
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
  return {hstack(a.x, b.x), hstack(a.y, b.y)};
}

std::optional<Eigen::VectorXd> IndependentConcat::pmi(const Sample& s) const {
  const Dims a = first_->dims();
  const auto ax = static_cast<Eigen::Index>(a.x), ay = static_cast<Eigen::Index>(a.y);
  const auto pa = first_->pmi({s.x.leftCols(ax), s.y.leftCols(ay)});
  const auto pb = second_->pmi({s.x.rightCols(s.x.cols() - ax), s.y.rightCols(s.y.cols() - ay)});
  if (!pa || !pb) return std::nullopt;
  return (*pa + *pb).eval();
}

}  // namespace mib
