#include "nn/activation_layer.h"

#include <cmath>

namespace nnplay {

Shape activation_output_shape(const std::vector<Shape>& inputs, const ActivationLayerConfig& cfg) {
  NNPLAY_CHECK(inputs.size() == 1, "activation takes exactly 1 input, got " << inputs.size());
  NNPLAY_CHECK(!inputs[0].empty(), "activation: the input needs at least one axis, got []");
  NNPLAY_CHECK(std::isfinite(cfg.alpha) && cfg.alpha >= 0.0f,
               "activation " << activation_name(cfg.kind) << ": alpha must be a finite number >= 0, got " << cfg.alpha);
  return inputs[0];
}

ActivationLayer::ActivationLayer(const Shape& input_shape, ActivationLayerConfig cfg, const std::string& name)
    : Layer({input_shape}, activation_output_shape({input_shape}, cfg)),
      name_(name),
      cfg_(cfg),
      last_(input_shape.back()) {}

void ActivationLayer::forward(const PassContext& ctx, const std::vector<const float*>& inputs, float* out) {
  NNPLAY_ASSERT(inputs.size() == 1 && ctx.n >= 0);
  if (last_ == 0) return;
  // Rows of the last axis: softmax normalises each; the element-wise kinds do not care.
  const auto rows = static_cast<int>(static_cast<std::uint64_t>(ctx.n) * output_size() / static_cast<std::uint64_t>(last_));
  activation_forward(out, inputs[0], cfg_.kind, cfg_.alpha, rows, last_);
}

void ActivationLayer::backward(const PassContext& ctx, const std::vector<const float*>& inputs, const float* out,
                               const float* d_out, const std::vector<float*>& d_inputs) {
  NNPLAY_ASSERT(inputs.size() == 1 && d_inputs.size() == 1);
  if (!d_inputs[0] || last_ == 0) return;
  const auto rows = static_cast<int>(static_cast<std::uint64_t>(ctx.n) * output_size() / static_cast<std::uint64_t>(last_));
  activation_backward(d_inputs[0], d_out, inputs[0], out, cfg_.kind, cfg_.alpha, rows, last_);
}

}  // namespace nnplay
