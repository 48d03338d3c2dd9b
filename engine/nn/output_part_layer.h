// OutputPartLayer: one output tensor of a layer that returns several (nn/registry.h
// LayerType::extra_outputs, Keras returnState). That layer writes each sample's row as its
// tensors side by side; this node copies tensor k's slice [offset, offset + size) of every row
// into a buffer of its own, so consumers see an ordinary [n, shape...] tensor, and backward adds
// the slice's gradient back into the packed row's.
#pragma once

#include <cstdint>

#include "nn/layer.h"

namespace nnplay {

class OutputPartLayer : public Layer {
 public:
  // packed: the producer's per-sample row [row size]; part: tensor k's per-sample shape.
  OutputPartLayer(const Shape& packed, const Shape& part, std::uint64_t offset);

  void forward(const PassContext& ctx, const std::vector<const float*>& inputs, float* out) override;
  void backward(const PassContext& ctx, const std::vector<const float*>& inputs, const float* out, const float* d_out,
                const std::vector<float*>& d_inputs) override;

 private:
  std::uint64_t offset_;
};

}  // namespace nnplay
