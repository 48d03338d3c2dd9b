// Activation layer: out = f(in), element-wise, softmax along the last axis (per pixel over the
// channels of an image, as TF.js). Also the node the graph appends to a dense / conv2d layer
// whose spec names an activation, so the fused cross-entropy gradient can be seeded at its input.
#pragma once

#include <memory>

#include "nn/layer.h"
#include "nn/registry.h"

namespace nnplay {

class ActivationLayer : public Layer {
 public:
  ActivationLayer(const LayerArgs& args, ActivationKind kind, float alpha);

  void forward(const PassContext& ctx, const std::vector<const float*>& inputs, float* out) override;
  void backward(const PassContext& ctx, const std::vector<const float*>& inputs, const float* out, const float* d_out,
                const std::vector<float*>& d_inputs) override;

  ActivationKind kind() const { return kind_; }
  // relu only (the conv nets' activation): the others keep accumulating into a zeroed buffer.
  bool writes_input_gradient(int) const override { return kind_ == ActivationKind::kRelu; }

 private:
  ActivationKind kind_;
  float alpha_;
  int rows_per_sample_, cols_;  // softmax rows: everything before the last axis
};

// config: "activation" (a name of activation_table()) and "alpha" (null: the activation's default).
std::unique_ptr<Layer> make_activation_layer(const LayerArgs& args);

}  // namespace nnplay
