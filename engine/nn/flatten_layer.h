// Flatten layer: any per-sample shape -> [size], in row-major (NHWC) order as TF.js. Every batch
// is already the flat buffer [n, size], so forward copies the values unchanged (the graph owns
// each node's output) and backward passes the gradient through.
#pragma once

#include <memory>

#include "nn/layer.h"
#include "nn/registry.h"

namespace nnplay {

class FlattenLayer : public Layer {
 public:
  explicit FlattenLayer(const LayerArgs& args) : Layer(args.input_shapes, args.output_shape) {}

  void forward(const PassContext& ctx, const std::vector<const float*>& inputs, float* out) override;
  void backward(const PassContext& ctx, const std::vector<const float*>& inputs, const float* out, const float* d_out,
                const std::vector<float*>& d_inputs) override;
};

std::unique_ptr<Layer> make_flatten_layer(const LayerArgs& args);

}  // namespace nnplay
