// LMI, latent MI (Gowri et al., NeurIPS 2024); see estimators/lmi.hpp.
#include "estimators/lmi.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/deadline.hpp"
#include "core/error.hpp"
#include "estimators/knn/neighbors.hpp"
#include "estimators/ksg.hpp"
#include "estimators/neural/lmi_model.hpp"
#include "estimators/neural/protocol.hpp"

namespace mib {
namespace {

using neural::AeCross;

constexpr int kChunk = 1024;  // rows per forward pass when validating and encoding

template <class T>
Estimate lmi_estimate(const LmiParams& p, const Sample& raw, Rng& rng) {
  Sample s = raw;
  if (p.input_clip > 0) {
    s.x = s.x.cwiseMax(-p.input_clip).cwiseMin(p.input_clip);
    s.y = s.y.cwiseMax(-p.input_clip).cwiseMin(p.input_clip);
  }
  NeuralProtocol split;  // only its split and its check that a batch fits
  split.split = p.split;
  split.batch = 1;
  const auto d = neural::split_rows<T>(s, split, rng, "lmi");
  AeCross<T> model(p, d.dx, d.dy, rng);
  neural::Adam<T> adam(model.params().size(), p.lr, 1e-7);
  neural::BatchSampler order(d.n_train);
  const int batch = std::min(p.batch, d.n_train);
  std::vector<T> xb, yb, grad;
  std::vector<int> rows;

  const auto validation_loss = [&] {
    double sum = 0;
    for (int at = 0; at < d.n_test; at += kChunk) {
      const int m = std::min(kChunk, d.n_test - at);
      sum += m * model.loss(d.x_test.data() + static_cast<std::size_t>(at) * d.dx,
                            d.y_test.data() + static_cast<std::size_t>(at) * d.dy, m, nullptr,
                            nullptr);
    }
    return sum / d.n_test;
  };

  nlohmann::json train_curve = nlohmann::json::array(), validation_curve = nlohmann::json::array();
  double best = std::numeric_limits<double>::infinity();
  std::vector<T> best_params = model.params();
  int best_epoch = 0, since_best = 0, epoch = 0;
  bool stopped_early = false;
  for (epoch = 1; epoch <= p.epochs; ++epoch) {
    const auto& perm = order.next(d.n_train, rng);
    double train_sum = 0;
    for (int at = 0; at < d.n_train; at += batch) {
      check_deadline();
      const int m = std::min(batch, d.n_train - at);
      rows.assign(perm.begin() + at, perm.begin() + at + m);
      neural::gather(d.x_train, d.dx, rows, m, xb);
      neural::gather(d.y_train, d.dy, rows, m, yb);
      grad.assign(model.params().size(), T(0));
      train_sum += m * model.loss(xb.data(), yb.data(), m, &rng, grad.data());
      adam.step(model.params(), grad);
    }
    const double v = validation_loss();
    train_curve.push_back(train_sum / d.n_train);
    validation_curve.push_back(v);
    if (v < best) {  // a NaN loss is never an improvement
      best = v, best_epoch = epoch, since_best = 0;
      best_params = model.params();
    } else if (p.patience > 0 && ++since_best >= p.patience) {
      stopped_early = true;
      break;
    }
  }
  // With no finite validation loss the kept weights would be the untrained ones, and KSG on
  // their codes a number that means nothing: fail the cell instead.
  require<DataError>(best_epoch > 0, "lmi", "the validation loss", "finite at some epoch",
                     "never finite (training diverged; try a smaller lr)");
  model.params() = best_params;

  // KSG (algorithm 1) on the held-out codes.
  std::vector<double> zx, zy;
  for (int at = 0; at < d.n_test; at += kChunk) {
    const int m = std::min(kChunk, d.n_test - at);
    model.encode(true, d.x_test.data() + static_cast<std::size_t>(at) * d.dx, m, zx);
    model.encode(false, d.y_test.data() + static_cast<std::size_t>(at) * d.dy, m, zy);
  }
  const Eigen::Map<const Matrix> cx(zx.data(), d.n_test, p.latent),
      cy(zy.data(), d.n_test, p.latent);
  // The codes are finite: the kept epoch's validation loss, computed from them, was.
  const knn::MarginalCounts c =
      knn::ksg_counts(cx, cy, p.k, knn::CountRule::kJointRadius, knn::Metric::kMax,
                      knn::Backend::kAuto, p.common.threads);
  std::vector<double> pointwise;
  const KsgValue v = ksg_value(c.nx, c.ny, p.k, KsgEstimator::Algorithm::kFirst,
                               p.pointwise ? &pointwise : nullptr);
  nlohmann::json info = {{"epochs", std::min(epoch, p.epochs)},
                         {"stopped_early", stopped_early},
                         {"best_epoch", best_epoch},
                         {"validation_loss", std::move(validation_curve)},
                         {"train_loss", std::move(train_curve)}};
  if (p.pointwise) {
    info["pmi"] = pointwise;
    info["pmi_rows"] = d.test_rows;
  }
  return {v.mi, std::move(info), Diagnostics{v.ceiling, {}}};
}

}  // namespace

std::size_t LmiEstimator::min_samples() const {
  std::size_t n = 2;
  while (true) {
    const auto train = static_cast<std::size_t>(std::floor(params_.split * static_cast<double>(n)));
    if (train >= 1 && n - train >= static_cast<std::size_t>(params_.k) + 1) return n;
    ++n;
  }
}

Estimate LmiEstimator::estimate_core(const Sample& s, Rng& rng) const {
  if (params_.precision == "float64") return lmi_estimate<double>(params_, s, rng);
  return lmi_estimate<float>(params_, s, rng);
}

}  // namespace mib
