// BatchNormalization layer (Keras / TF.js `batchNormalization`), channels last (axis −1 only).
//
// Training (ctx.training): normalises with the batch's statistics over every axis but the last
// (population variance, as tf.moments), then updates
//   moving_mean     ← moving_mean − (moving_mean − batch_mean) · (1 − momentum)
//   moving_variance ← moving_variance − (moving_variance − batch_variance) · (1 − momentum)
// with the *biased* batch variance: TF.js 4.22 (tfjs-layers normalization.ts) feeds
// tf.moments' variance to the moving average unchanged, where Python Keras 2 applied the
// n / (n − 1) correction. We match TF.js. The gradient flows through the batch statistics.
// Inference: normalises with the moving statistics; the gradient is the affine one.
//
// Weights, in Keras order: gamma (if scale), beta (if center), both trainable; moving_mean and
// moving_variance, non-trainable (skipped by optimizers, saved). Initialised ones, zeros, zeros,
// ones. The layer reads them through variables() on every pass, so the graph may replace them
// with shared Variables after construction.
//
// Divergence from TF.js, on purpose: TF.js 4.22 throws in training when center or scale is
// false (it reads the missing beta/gamma); here they are simply 0 and 1.
#pragma once

#include <string>
#include <vector>

#include "nn/layer.h"
#include "nn/variable_info.h"

namespace nnplay {

struct BatchNormalizationConfig {
  int axis = -1;           // only the last axis (−1, or the input's rank counting the batch as 0)
  float momentum = 0.99f;  // in [0, 1]
  float epsilon = 1e-3f;   // > 0
  bool center = true;      // add beta
  bool scale = true;       // multiply by gamma
};

// Output = input. Throws Error for another axis, momentum outside [0, 1], epsilon <= 0.
Shape batch_normalization_output_shape(const std::vector<Shape>& inputs, const BatchNormalizationConfig& cfg);
// gamma [c] (if scale), beta [c] (if center), moving_mean [c], moving_variance [c].
std::vector<VariableInfo> batch_normalization_variables(const std::vector<Shape>& inputs,
                                                        const BatchNormalizationConfig& cfg);

class BatchNormalizationLayer : public Layer {
 public:
  BatchNormalizationLayer(const Shape& input_shape, BatchNormalizationConfig cfg, const std::string& name);
  // With the Variables the graph made (batch_normalization_variables' order, shapes and
  // trainable flags), so shared and sub-model layers use the same tensors.
  BatchNormalizationLayer(const Shape& input_shape, BatchNormalizationConfig cfg, std::vector<Variable> variables);

  const std::string& name() const { return name_; }
  const BatchNormalizationConfig& config() const { return cfg_; }
  int channels() const { return channels_; }

  void forward(const PassContext& ctx, const std::vector<const float*>& inputs, float* out) override;
  void backward(const PassContext& ctx, const std::vector<const float*>& inputs, const float* out, const float* d_out,
                const std::vector<float*>& d_inputs) override;

  // Statistics of the last training forward (population variance).
  const std::vector<float>& batch_mean() const { return batch_mean_; }
  const std::vector<float>& batch_variance() const { return batch_var_; }

 private:
  Tensor* gamma() { return gamma_index_ < 0 ? nullptr : variables_[gamma_index_].value.get(); }
  Tensor* beta() { return beta_index_ < 0 ? nullptr : variables_[beta_index_].value.get(); }
  Variable& moving_mean() { return variables_[moving_mean_index_]; }
  Variable& moving_variance() { return variables_[moving_mean_index_ + 1]; }

  std::string name_;
  BatchNormalizationConfig cfg_;
  int channels_;
  int gamma_index_ = -1, beta_index_ = -1, moving_mean_index_ = 0;
  // The statistics the last forward normalised with (batch ones in training, moving ones at
  // inference), as backward needs them.
  std::vector<float> batch_mean_, batch_var_, mean_used_, inv_std_used_;
};

}  // namespace nnplay
