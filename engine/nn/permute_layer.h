// permute (Keras / TF.js): each sample's axes reordered by `dims`, Keras's 1-based numbering of
// the per-sample axes (the batch stays first): dims [2, 1] turns [steps, features] into
// [features, steps]. No weights. In nnplay-extra.wasm.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "nn/layer.h"

namespace nnplay {

// The permuted shape. Throws Error starting with `where` unless dims is a permutation of 1 … rank.
Shape permute_output_shape(const std::vector<Shape>& inputs, const std::vector<int>& dims, const std::string& where,
                           const std::string& input_desc);

class PermuteLayer : public Layer {
 public:
  PermuteLayer(const Shape& input_shape, const std::vector<int>& dims);

  void forward(const PassContext& ctx, const std::vector<const float*>& inputs, float* out) override;
  void backward(const PassContext& ctx, const std::vector<const float*>& inputs, const float* out, const float* d_out,
                const std::vector<float*>& d_inputs) override;

 private:
  std::vector<std::size_t> src_;  // ops/permute.h's index, one sample's worth
};

}  // namespace nnplay
