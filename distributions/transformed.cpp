#include "distributions/transformed.hpp"

namespace mib {

Transformed::Transformed(std::shared_ptr<const Distribution> base, TransformPtr fx, TransformPtr fy,
                         const std::string& where, TransformPtr fz)
    : base_(std::move(base)), fx_(std::move(fx)), fy_(std::move(fy)) {
  const Dims d = base_->dims();
  if (d.z > 0) fz_ = std::move(fz);
  dims_ = {fx_ ? fx_->output_dim(d.x, where + " (X side)") : d.x,
           fy_ ? fy_->output_dim(d.y, where + " (Y side)") : d.y,
           fz_ ? fz_->output_dim(d.z, where + " (Z side)") : d.z};
}

Sample Transformed::sample(std::size_t n, Rng& rng) const {
  Sample s = base_->sample(n, rng);
  if (fx_) s.x = fx_->forward(s.x);
  if (fy_) s.y = fy_->forward(s.y);
  if (fz_) s.z = fz_->forward(s.z);
  return s;
}

std::optional<Eigen::VectorXd> Transformed::pmi(const Sample& s) const {
  return base_->pmi({fx_ ? fx_->inverse(s.x) : s.x, fy_ ? fy_->inverse(s.y) : s.y,
                     fz_ ? fz_->inverse(s.z) : s.z});
}

}  // namespace mib
