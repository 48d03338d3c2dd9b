// Activation layer (Keras / TF.js `activation`): one node applying an activation to its input,
// element-wise, or softmax over the last axis. Any input shape; no weights. The name lookup
// ("relu", …) and alpha's default belong to the tables; this takes the kind and alpha.
#pragma once

#include <string>
#include <vector>

#include "nn/layer_v2.h"
#include "nn/variable_info.h"
#include "ops/activation.h"

namespace nnplay {

struct ActivationLayerConfig {
  ActivationKind kind = ActivationKind::kLinear;
  float alpha = 0.0f;  // leakyRelu's slope, elu's scale (default_activation_alpha(kind)); ignored by the rest
};

// Output = input. Throws Error for a negative or non-finite alpha.
Shape activation_output_shape(const std::vector<Shape>& inputs, const ActivationLayerConfig& cfg);
inline std::vector<VariableInfo> activation_variables(const std::vector<Shape>&, const ActivationLayerConfig&) {
  return {};
}

class ActivationLayer : public Layer {
 public:
  ActivationLayer(const Shape& input_shape, ActivationLayerConfig cfg, const std::string& name);

  const std::string& name() const { return name_; }
  const ActivationLayerConfig& config() const { return cfg_; }

  void forward(const PassContext& ctx, const std::vector<const float*>& inputs, float* out) override;
  void backward(const PassContext& ctx, const std::vector<const float*>& inputs, const float* out,
                const float* d_out, const std::vector<float*>& d_inputs) override;

 private:
  std::string name_;
  ActivationLayerConfig cfg_;
  int last_;  // size of the last axis: softmax's row
};

}  // namespace nnplay
