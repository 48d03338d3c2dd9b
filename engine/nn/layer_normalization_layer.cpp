#include "nn/layer_normalization_layer.h"

#include <cmath>

#include "core/check.h"
#include "core/cold.h"
#include "ops/layer_norm.h"

namespace nnplay {

NNPLAY_COLD Shape layer_normalization_output_shape(const std::vector<Shape>& inputs,
                                                   const LayerNormalizationConfig& cfg, const std::string& where) {
  NNPLAY_CHECK(inputs.size() == 1, where << " takes exactly 1 input, got " << inputs.size());
  const Shape& in = inputs[0];
  NNPLAY_CHECK(!in.empty() && in.back() >= 1,
               where << ": the input needs a last axis of size >= 1 to normalise, got " << shape_to_string(in));
  const int full_rank = static_cast<int>(in.size()) + 1;  // with the batch axis
  NNPLAY_CHECK(cfg.axis == -1 || cfg.axis == full_rank - 1, where << ": only axis -1 (the last) is supported, got axis "
                                                                  << cfg.axis << " for input " << shape_to_string(in));
  NNPLAY_CHECK(std::isfinite(cfg.epsilon) && cfg.epsilon > 0.0f,
               where << ": epsilon must be a number > 0, got " << cfg.epsilon);
  return in;
}

NNPLAY_COLD std::vector<VariableInfo> layer_normalization_variables(const std::vector<Shape>& inputs,
                                                                    const LayerNormalizationConfig& cfg) {
  const Shape c{inputs.at(0).back()};
  std::vector<VariableInfo> vars;
  if (cfg.scale) vars.push_back({"gamma", c, true});
  if (cfg.center) vars.push_back({"beta", c, true});
  return vars;
}

NNPLAY_COLD LayerNormalizationLayer::LayerNormalizationLayer(const Shape& input_shape, LayerNormalizationConfig cfg,
                                                             std::vector<Variable> variables)
    : Layer({input_shape}, layer_normalization_output_shape({input_shape}, cfg, "layerNormalization")),
      cfg_(cfg),
      channels_(input_shape.back()) {
  const std::vector<VariableInfo> infos = layer_normalization_variables({input_shape}, cfg_);
  NNPLAY_CHECK(variables.size() == infos.size(),
               "layerNormalization: expected " << infos.size() << " variables, got " << variables.size());
  for (std::size_t i = 0; i < infos.size(); ++i) {
    NNPLAY_CHECK(
        variables[i].value && variables[i].value->shape() == infos[i].shape,
        "layerNormalization: variable " << variables[i].name << " must have shape " << shape_to_string(infos[i].shape));
    if (infos[i].name == "gamma") gamma_index_ = static_cast<int>(i);
    if (infos[i].name == "beta") beta_index_ = static_cast<int>(i);
  }
  variables_ = std::move(variables);
}

float* LayerNormalizationLayer::grad_of(int index) {
  // A frozen (non-trainable) gamma or beta gets no gradient.
  if (index < 0 || !variables_[index].trainable || !variables_[index].grad) return nullptr;
  return variables_[index].grad->data();
}

void LayerNormalizationLayer::forward(const PassContext& ctx, const std::vector<const float*>& inputs, float* out) {
  NNPLAY_ASSERT(inputs.size() == 1 && ctx.n >= 0);
  const std::int64_t rows = static_cast<std::int64_t>(ctx.n) * static_cast<std::int64_t>(output_size() / channels_);
  xhat_.resize(static_cast<std::size_t>(rows) * channels_);
  inv_std_.resize(static_cast<std::size_t>(rows));
  const float* g = gamma_index_ < 0 ? nullptr : variables_[gamma_index_].value->data();
  const float* b = beta_index_ < 0 ? nullptr : variables_[beta_index_].value->data();
  layer_norm_forward(out, xhat_.data(), inv_std_.data(), inputs[0], g, b, rows, channels_, cfg_.epsilon);
}

void LayerNormalizationLayer::backward(const PassContext& ctx, const std::vector<const float*>&, const float*,
                                       const float* d_out, const std::vector<float*>& d_inputs) {
  NNPLAY_ASSERT(d_inputs.size() == 1);
  const std::int64_t rows = static_cast<std::int64_t>(ctx.n) * static_cast<std::int64_t>(output_size() / channels_);
  const float* g = gamma_index_ < 0 ? nullptr : variables_[gamma_index_].value->data();
  layer_norm_backward(d_inputs[0], grad_of(gamma_index_), grad_of(beta_index_), d_out, xhat_.data(), inv_std_.data(), g,
                      rows, channels_);
}

}  // namespace nnplay
