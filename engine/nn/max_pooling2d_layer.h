// MaxPooling2D layer: the largest value of each window, per channel, on NHWC images. No
// variables; caches, per output, which input won (ties: the first in window order, as TF).
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "kernels/im2col.h"
#include "nn/layer.h"
#include "nn/registry.h"

namespace nnplay {

class MaxPooling2dLayer : public Layer {
 public:
  MaxPooling2dLayer(const LayerArgs& args, const ConvGeometry& g)
      : Layer(args.input_shapes, args.output_shape), g_(g) {}

  void forward(const PassContext& ctx, const std::vector<const float*>& inputs, float* out) override;
  void backward(const PassContext& ctx, const std::vector<const float*>& inputs, const float* out, const float* d_out,
                const std::vector<float*>& d_inputs) override;
  std::uint64_t workspace_floats_per_sample() const override { return output_size(); }  // argmax
  bool writes_input_gradient(int) const override { return true; }

  const ConvGeometry& geometry() const { return g_; }

 private:
  int min_samples_per_task() const;
  ConvGeometry g_;
  std::vector<std::int32_t> argmax_;  // [n, oh, ow, c]: index of the winner within its sample
  int n_ = 0;
};

// The window geometry of a conv2d / maxPooling2d config on input [h, w, c] (strides resolved:
// null means 1 for conv2d and the pool size for pooling).
ConvGeometry window_geometry(const Shape& input, const Config& config, const char* size_key,
                             bool stride_defaults_to_size);

std::unique_ptr<Layer> make_max_pooling2d_layer(const LayerArgs& args);

}  // namespace nnplay
