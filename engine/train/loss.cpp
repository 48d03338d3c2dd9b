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

namespace {

// Each loss kind's op (LossKind order), called through this table rather than a switch. Why:
// Binaryen's inliner puts a function with one caller into its caller, so called from a switch
// every loss's loops would sit in it, in the engine's first wasm module; called through pointers
// each stays a function of its own, and the split moves the ones typical programs never run to
// the second module (their rows' part is kExtra, nn/registry.cpp).
struct LossOps {
  double (*forward)(const float* pred, const float* y, int n, int k, float delta);
  void (*backward)(float* d_pred, const float* pred, const float* y, int n, int k, float delta);
  // The gradient with respect to the logits of the fused output activation (sigmoid, softmax).
  void (*fused_backward)(float* d_logits, const float* pred, const float* y, int n, int k);
};

// The ops without a parameter, in the table's signature (delta is huberLoss's).
template <double (*Forward)(const float*, const float*, int, int)>
double without_delta(const float* pred, const float* y, int n, int k, float) {
  return Forward(pred, y, n, k);
}
template <void (*Backward)(float*, const float*, const float*, int, int)>
void without_delta(float* d_pred, const float* pred, const float* y, int n, int k, float) {
  Backward(d_pred, pred, y, n, k);
}

constexpr LossOps kLossOps[] = {
    {without_delta<mean_squared_error_forward>, without_delta<mean_squared_error_backward>, nullptr},
    {without_delta<binary_crossentropy_forward>, without_delta<binary_crossentropy_backward>,
     binary_crossentropy_sigmoid_backward},
    {without_delta<categorical_crossentropy_forward>, without_delta<categorical_crossentropy_backward>,
     categorical_crossentropy_softmax_backward},
    {without_delta<sparse_categorical_crossentropy_forward>, without_delta<sparse_categorical_crossentropy_backward>,
     sparse_categorical_crossentropy_softmax_backward},
    {without_delta<mean_absolute_error_forward>, without_delta<mean_absolute_error_backward>, nullptr},
    {without_delta<mean_absolute_percentage_error_forward>, without_delta<mean_absolute_percentage_error_backward>,
     nullptr},
    {huber_loss_forward, huber_loss_backward, nullptr},
    {without_delta<hinge_forward>, without_delta<hinge_backward>, nullptr},
    {without_delta<squared_hinge_forward>, without_delta<squared_hinge_backward>, nullptr},
    {without_delta<log_cosh_forward>, without_delta<log_cosh_backward>, nullptr},
    {without_delta<kullback_leibler_divergence_forward>, without_delta<kullback_leibler_divergence_backward>, nullptr},
    {without_delta<cosine_proximity_forward>, without_delta<cosine_proximity_backward>, nullptr},
    {without_delta<poisson_forward>, without_delta<poisson_backward>, nullptr},
    {without_delta<mean_squared_logarithmic_error_forward>, without_delta<mean_squared_logarithmic_error_backward>,
     nullptr},
    {without_delta<categorical_hinge_forward>, without_delta<categorical_hinge_backward>, nullptr},
};
static_assert(sizeof(kLossOps) / sizeof(kLossOps[0]) == static_cast<std::size_t>(LossKind::kCategoricalHinge) + 1,
              "one row per loss kind");

const LossOps& loss_ops(LossKind kind) { return kLossOps[static_cast<std::size_t>(kind)]; }

}  // namespace

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
  return loss_ops(kind_).forward(pred, y, n, k, delta_);
}

void Loss::unweighted_backward(float* d, const float* pred, const float* y, int n, int k) const {
  std::memset(d, 0, sizeof(float) * static_cast<std::size_t>(n) * static_cast<std::size_t>(k));
  const LossOps& ops = loss_ops(kind_);
  if (fused_)
    ops.fused_backward(d, pred, y, n, k);
  else
    ops.backward(d, pred, y, n, k, delta_);
}

}  // namespace nnplay
