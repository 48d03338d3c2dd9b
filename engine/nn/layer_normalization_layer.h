// LayerNormalization layer (Keras / TF.js `layerNormalization`), last axis only: every sample's
// (every step's) vector normalised by its own mean and variance (ops/layer_norm.h), the same in
// training and inference, then gamma · x̂ + beta per channel. Weights in Keras order: gamma (if
// scale), beta (if center), both trainable, initialised ones and zeros unless the config's
// initializers say otherwise. In nnplay-extra.wasm.
#pragma once

#include <string>
#include <vector>

#include "nn/layer.h"
#include "nn/variable_info.h"

namespace nnplay {

struct LayerNormalizationConfig {
  int axis = -1;          // only the last axis
  float epsilon = 1e-3f;  // > 0
  bool center = true;     // add beta
  bool scale = true;      // multiply by gamma
};

// Output = input. Throws Error starting with `where` for another axis or epsilon <= 0.
Shape layer_normalization_output_shape(const std::vector<Shape>& inputs, const LayerNormalizationConfig& cfg,
                                       const std::string& where);
// gamma [c] (if scale), beta [c] (if center).
std::vector<VariableInfo> layer_normalization_variables(const std::vector<Shape>& inputs,
                                                        const LayerNormalizationConfig& cfg);

class LayerNormalizationLayer : public Layer {
 public:
  // With the Variables the graph made (layer_normalization_variables' order and shapes).
  LayerNormalizationLayer(const Shape& input_shape, LayerNormalizationConfig cfg, std::vector<Variable> variables);

  void forward(const PassContext& ctx, const std::vector<const float*>& inputs, float* out) override;
  void backward(const PassContext& ctx, const std::vector<const float*>& inputs, const float* out, const float* d_out,
                const std::vector<float*>& d_inputs) override;

 private:
  float* grad_of(int index);
  LayerNormalizationConfig cfg_;
  int channels_;
  int gamma_index_ = -1, beta_index_ = -1;
  std::vector<float> xhat_, inv_std_;  // the last forward's, for backward
};

}  // namespace nnplay
