// maxPooling1d and averagePooling1d (Keras / TF.js) on sequences [steps, channels]: the 2-D
// pooling ops (ops/max_pool2d.h, ops/avg_pool2d.h) on the sequence seen as a one-row image
// [1, steps, channels], with a 1 × poolSize window, which is how TF.js computes them too. The
// memory layouts are the same, so nothing is copied. No weights.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "kernels/im2col.h"
#include "nn/layer.h"
#include "nn/registry.h"

namespace nnplay {

struct Pooling1dConfig {
  int pool = 2;               // poolSize
  int stride = 0;             // 0: the pool size (TF.js's default strides = poolSize)
  bool same_padding = false;  // padding "same" (ceil(steps / stride) outputs) or "valid"
};

// [output steps, channels]. Throws Error starting with `where` ("layer 2 (maxPooling1d)") when
// the input is not [steps, channels] or, with "valid", the window does not fit.
Shape pooling1d_output_shape(const std::vector<Shape>& inputs, const Pooling1dConfig& cfg, const std::string& where,
                             const std::string& input_desc);
// The one-row image geometry of a sequence input [steps, channels].
ConvGeometry pooling1d_geometry(const Shape& input, const Pooling1dConfig& cfg);

// maxPooling1d: the 2-D max pooling layer over the one-row geometry (its argmax, ties and
// threads as for images).
std::unique_ptr<Layer> make_max_pooling1d_layer(const LayerArgs& args, const Pooling1dConfig& cfg);

class AveragePooling1dLayer : public Layer {
 public:
  AveragePooling1dLayer(const LayerArgs& args, const Pooling1dConfig& cfg);

  void forward(const PassContext& ctx, const std::vector<const float*>& inputs, float* out) override;
  void backward(const PassContext& ctx, const std::vector<const float*>& inputs, const float* out, const float* d_out,
                const std::vector<float*>& d_inputs) override;

 private:
  ConvGeometry g_;
};

}  // namespace nnplay
