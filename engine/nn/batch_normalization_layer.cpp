#include "nn/batch_normalization_layer.h"

#include <cmath>

#include "core/cold.h"
#include "ops/batch_norm.h"

namespace nnplay {

NNPLAY_COLD Shape batch_normalization_output_shape(const std::vector<Shape>& inputs,
                                                   const BatchNormalizationConfig& cfg) {
  NNPLAY_CHECK(inputs.size() == 1, "batchNormalization takes exactly 1 input, got " << inputs.size());
  const Shape& in = inputs[0];
  NNPLAY_CHECK(!in.empty(), "batchNormalization: the input needs at least one axis (the channels), got []");
  NNPLAY_CHECK(in.back() >= 1,
               "batchNormalization: the channel axis must have size >= 1, got input " << shape_to_string(in));
  const int full_rank = static_cast<int>(in.size()) + 1;  // with the batch axis
  NNPLAY_CHECK(cfg.axis == -1 || cfg.axis == full_rank - 1,
               "batchNormalization: only axis -1 (the last, channels-last) is supported, got axis "
                   << cfg.axis << " for input " << shape_to_string(in));
  NNPLAY_CHECK(std::isfinite(cfg.momentum) && cfg.momentum >= 0.0f && cfg.momentum <= 1.0f,
               "batchNormalization: momentum must be a number in [0, 1], got " << cfg.momentum);
  NNPLAY_CHECK(std::isfinite(cfg.epsilon) && cfg.epsilon > 0.0f,
               "batchNormalization: epsilon must be a number > 0, got " << cfg.epsilon);
  return in;
}

NNPLAY_COLD std::vector<VariableInfo> batch_normalization_variables(const std::vector<Shape>& inputs,
                                                                    const BatchNormalizationConfig& cfg) {
  batch_normalization_output_shape(inputs, cfg);
  const Shape c{inputs[0].back()};
  std::vector<VariableInfo> vars;
  if (cfg.scale) vars.push_back({"gamma", c, true});
  if (cfg.center) vars.push_back({"beta", c, true});
  vars.push_back({"moving_mean", c, false});
  vars.push_back({"moving_variance", c, false});
  return vars;
}

namespace {

NNPLAY_COLD float initial_fill(const std::string& name) {
  return name == "gamma" || name == "moving_variance" ? 1.0f : 0.0f;
}

NNPLAY_COLD std::vector<Variable> own_variables(const Shape& input_shape, const BatchNormalizationConfig& cfg,
                                                const std::string& name) {
  std::vector<Variable> vars;
  for (const VariableInfo& info : batch_normalization_variables({input_shape}, cfg))
    vars.push_back(make_variable(name, info, initial_fill(info.name)));
  return vars;
}

}  // namespace

NNPLAY_COLD BatchNormalizationLayer::BatchNormalizationLayer(const Shape& input_shape, BatchNormalizationConfig cfg,
                                                             const std::string& name)
    : BatchNormalizationLayer(input_shape, cfg, own_variables(input_shape, cfg, name)) {
  name_ = name;
}

NNPLAY_COLD BatchNormalizationLayer::BatchNormalizationLayer(const Shape& input_shape, BatchNormalizationConfig cfg,
                                                             std::vector<Variable> variables)
    : Layer({input_shape}, batch_normalization_output_shape({input_shape}, cfg)),
      cfg_(cfg),
      channels_(input_shape.back()) {
  const std::vector<VariableInfo> infos = batch_normalization_variables({input_shape}, cfg_);
  NNPLAY_CHECK(variables.size() == infos.size(),
               "batchNormalization: expected " << infos.size() << " variables, got " << variables.size());
  for (std::size_t i = 0; i < infos.size(); ++i) {
    const Variable& v = variables[i];
    NNPLAY_CHECK(v.value && v.value->shape() == infos[i].shape,
                 "batchNormalization: variable " << v.name << " must have shape " << shape_to_string(infos[i].shape));
    const int index = static_cast<int>(i);
    if (infos[i].name == "gamma") gamma_index_ = index;
    if (infos[i].name == "beta") beta_index_ = index;
    if (infos[i].name == "moving_mean") moving_mean_index_ = index;
  }
  variables_ = std::move(variables);
  const auto c = static_cast<std::size_t>(channels_);
  batch_mean_.assign(c, 0.0f);
  batch_var_.assign(c, 0.0f);
  mean_used_.assign(c, 0.0f);
  inv_std_used_.assign(c, 0.0f);
}

void BatchNormalizationLayer::forward(const PassContext& ctx, const std::vector<const float*>& inputs, float* out) {
  NNPLAY_ASSERT(inputs.size() == 1 && ctx.n >= 0);
  const std::int64_t rows = static_cast<std::int64_t>(ctx.n) * static_cast<std::int64_t>(output_size() / channels_);
  if (rows == 0) return;  // an empty batch has no statistics; nothing to write or update
  const float* g = gamma() ? gamma()->data() : nullptr;
  const float* b = beta() ? beta()->data() : nullptr;
  if (ctx.training) {
    batch_norm_statistics(batch_mean_.data(), batch_var_.data(), inputs[0], rows, channels_);
    mean_used_ = batch_mean_;
    batch_norm_inv_std(inv_std_used_.data(), batch_var_.data(), cfg_.epsilon, channels_);
    batch_norm_forward(out, inputs[0], mean_used_.data(), inv_std_used_.data(), g, b, rows, channels_);
    moving_average_update(moving_mean().value->data(), batch_mean_.data(), cfg_.momentum, channels_);
    moving_average_update(moving_variance().value->data(), batch_var_.data(), cfg_.momentum, channels_);
  } else {
    const float* mm = moving_mean().value->data();
    std::copy(mm, mm + channels_, mean_used_.begin());
    batch_norm_inv_std(inv_std_used_.data(), moving_variance().value->data(), cfg_.epsilon, channels_);
    batch_norm_forward(out, inputs[0], mean_used_.data(), inv_std_used_.data(), g, b, rows, channels_);
  }
}

void BatchNormalizationLayer::backward(const PassContext& ctx, const std::vector<const float*>& inputs, const float*,
                                       const float* d_out, const std::vector<float*>& d_inputs) {
  NNPLAY_ASSERT(inputs.size() == 1 && d_inputs.size() == 1);
  const std::int64_t rows = static_cast<std::int64_t>(ctx.n) * static_cast<std::int64_t>(output_size() / channels_);
  if (rows == 0) return;
  const float* g = gamma() ? gamma()->data() : nullptr;
  // A frozen (non-trainable) gamma or beta gets no gradient.
  auto grad_of = [this](int index) -> float* {
    if (index < 0 || !variables_[index].trainable || !variables_[index].grad) return nullptr;
    return variables_[index].grad->data();
  };
  float* d_gamma = grad_of(gamma_index_);
  float* d_beta = grad_of(beta_index_);
  auto backward_op = ctx.training ? batch_norm_backward_training : batch_norm_backward_inference;
  backward_op(d_inputs[0], d_gamma, d_beta, d_out, inputs[0], mean_used_.data(), inv_std_used_.data(), g, rows,
              channels_);
}

}  // namespace nnplay
