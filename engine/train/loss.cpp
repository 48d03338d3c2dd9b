#include "train/loss.h"

#include <cmath>
#include <cstring>

#include "core/check.h"
#include "core/cold.h"
#include "ops/binary_crossentropy.h"
#include "ops/categorical_crossentropy.h"
#include "ops/categorical_hinge.h"
#include "ops/cosine_proximity.h"
#include "ops/hinge.h"
#include "ops/huber_loss.h"
#include "ops/kullback_leibler_divergence.h"
#include "ops/log_cosh.h"
#include "ops/mean_absolute_error.h"
#include "ops/mean_absolute_percentage_error.h"
#include "ops/mean_squared_error.h"
#include "ops/mean_squared_logarithmic_error.h"
#include "ops/poisson.h"
#include "ops/sparse_categorical_crossentropy.h"
#include "ops/squared_hinge.h"

namespace nnplay {

NNPLAY_COLD Loss::Loss(const std::string& name, ActivationKind output_activation, const Config& params) {
  const LossInfo& info = find_loss(name);
  name_ = info.name;
  kind_ = info.kind;
  fused_ = info.fused_activation != ActivationKind::kLinear && info.fused_activation == output_activation;
  for (const ConfigKey& k : info.keys) {
    const std::string key(k.name);
    const float v = params.has(key) ? params.number(key) : static_cast<float>(k.default_value.number);
    if (k.name == "delta") {
      NNPLAY_CHECK(std::isfinite(v) && v > 0.0f, info.name << ": delta must be a finite number > 0, got " << v);
      delta_ = v;
    }
  }
}

double Loss::forward(const float* pred, const float* y, int n, int k, const float* sample_weight) const {
  if (!sample_weight) return batch_mean(pred, y, n, k);
  // Every loss op is a mean over samples of a per-sample loss, so one sample's loss is the op
  // on that row alone.
  const int t = target_size(k);
  double sum = 0.0;
  for (int i = 0; i < n; ++i)
    if (sample_weight[i] != 0.0f)
      sum += static_cast<double>(sample_weight[i]) *
             batch_mean(pred + static_cast<std::size_t>(i) * k, y + static_cast<std::size_t>(i) * t, 1, k);
  return n > 0 ? sum / n : 0.0;
}

void Loss::backward(float* d, const float* pred, const float* y, int n, int k, const float* sample_weight) const {
  unweighted_backward(d, pred, y, n, k);
  if (!sample_weight) return;
  // The op's row i is (1/n)·∂loss_i; the weighted mean's is (w_i/n)·∂loss_i.
  for (int i = 0; i < n; ++i) {
    float* row = d + static_cast<std::size_t>(i) * k;
    for (int c = 0; c < k; ++c) row[c] *= sample_weight[i];
  }
}

double Loss::batch_mean(const float* pred, const float* y, int n, int k) const {
  switch (kind_) {
    case LossKind::kMeanSquaredError: return mean_squared_error_forward(pred, y, n, k);
    case LossKind::kBinaryCrossentropy: return binary_crossentropy_forward(pred, y, n, k);
    case LossKind::kCategoricalCrossentropy: return categorical_crossentropy_forward(pred, y, n, k);
    case LossKind::kSparseCategoricalCrossentropy: return sparse_categorical_crossentropy_forward(pred, y, n, k);
    case LossKind::kMeanAbsoluteError: return mean_absolute_error_forward(pred, y, n, k);
    case LossKind::kMeanAbsolutePercentageError: return mean_absolute_percentage_error_forward(pred, y, n, k);
    case LossKind::kHuberLoss: return huber_loss_forward(pred, y, n, k, delta_);
    case LossKind::kHinge: return hinge_forward(pred, y, n, k);
    case LossKind::kSquaredHinge: return squared_hinge_forward(pred, y, n, k);
    case LossKind::kLogCosh: return log_cosh_forward(pred, y, n, k);
    case LossKind::kKullbackLeiblerDivergence: return kullback_leibler_divergence_forward(pred, y, n, k);
    case LossKind::kCosineProximity: return cosine_proximity_forward(pred, y, n, k);
    case LossKind::kPoisson: return poisson_forward(pred, y, n, k);
    case LossKind::kMeanSquaredLogarithmicError: return mean_squared_logarithmic_error_forward(pred, y, n, k);
    case LossKind::kCategoricalHinge: return categorical_hinge_forward(pred, y, n, k);
  }
  return 0.0;
}

void Loss::unweighted_backward(float* d, const float* pred, const float* y, int n, int k) const {
  std::memset(d, 0, sizeof(float) * static_cast<std::size_t>(n) * static_cast<std::size_t>(k));
  switch (kind_) {
    case LossKind::kMeanSquaredError: mean_squared_error_backward(d, pred, y, n, k); return;
    case LossKind::kBinaryCrossentropy:
      if (fused_)
        binary_crossentropy_sigmoid_backward(d, pred, y, n, k);
      else
        binary_crossentropy_backward(d, pred, y, n, k);
      return;
    case LossKind::kCategoricalCrossentropy:
      if (fused_)
        categorical_crossentropy_softmax_backward(d, pred, y, n, k);
      else
        categorical_crossentropy_backward(d, pred, y, n, k);
      return;
    case LossKind::kSparseCategoricalCrossentropy:
      if (fused_)
        sparse_categorical_crossentropy_softmax_backward(d, pred, y, n, k);
      else
        sparse_categorical_crossentropy_backward(d, pred, y, n, k);
      return;
    case LossKind::kMeanAbsoluteError: mean_absolute_error_backward(d, pred, y, n, k); return;
    case LossKind::kMeanAbsolutePercentageError: mean_absolute_percentage_error_backward(d, pred, y, n, k); return;
    case LossKind::kHuberLoss: huber_loss_backward(d, pred, y, n, k, delta_); return;
    case LossKind::kHinge: hinge_backward(d, pred, y, n, k); return;
    case LossKind::kSquaredHinge: squared_hinge_backward(d, pred, y, n, k); return;
    case LossKind::kLogCosh: log_cosh_backward(d, pred, y, n, k); return;
    case LossKind::kKullbackLeiblerDivergence: kullback_leibler_divergence_backward(d, pred, y, n, k); return;
    case LossKind::kCosineProximity: cosine_proximity_backward(d, pred, y, n, k); return;
    case LossKind::kPoisson: poisson_backward(d, pred, y, n, k); return;
    case LossKind::kMeanSquaredLogarithmicError: mean_squared_logarithmic_error_backward(d, pred, y, n, k); return;
    case LossKind::kCategoricalHinge: categorical_hinge_backward(d, pred, y, n, k); return;
  }
}

}  // namespace nnplay
