#include "distributions/transformed.hpp"

namespace mib {

Transformed::Transformed(std::shared_ptr<const Distribution> base, TransformPtr fx, TransformPtr fy,
                         const std::string& where)
    : base_(std::move(base)), fx_(std::move(fx)), fy_(std::move(fy)) {
  const Dims d = base_->dims();
  dims_ = {fx_ ? fx_->output_dim(d.x, where + " (X side)") : d.x,
           fy_ ? fy_->output_dim(d.y, where + " (Y side)") : d.y};
}

Sample Transformed::sample(std::size_t n, Rng& rng) const {
  Sample s = base_->sample(n, rng);
  if (fx_) s.x = fx_->forward(s.x);
  if (fy_) s.y = fy_->forward(s.y);
  return s;
}

std::optional<Eigen::VectorXd> Transformed::pmi(const Sample& s) const {
  return base_->pmi({fx_ ? fx_->inverse(s.x) : s.x, fy_ ? fy_->inverse(s.y) : s.y});
}

}  // namespace mib
