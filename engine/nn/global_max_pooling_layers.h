// globalMaxPooling2d ([h, w, c] → [c]) and globalMaxPooling1d ([steps, c] → [c]): the largest
// value of each channel over all positions (ops/global_max_pool.h), no weights. One class: the two
// differ only in the input rank they take. In nnplay-extra.wasm (CMakeLists.txt
// NNPLAY_EXTRA_PART_REGEX), as the average pooling layers are.
#pragma once

#include <string>
#include <vector>

#include "nn/layer.h"

namespace nnplay {

// rank 3 (an image, globalMaxPooling2d) or 2 (a sequence, globalMaxPooling1d), per sample.
// Throws Error starting with `where` for another number of inputs or another input rank.
Shape global_max_pooling_output_shape(const std::vector<Shape>& inputs, int input_rank, const std::string& where,
                                      const std::string& input_desc);

class GlobalMaxPoolingLayer : public Layer {
 public:
  // input_shape: [h, w, c] or [steps, c].
  GlobalMaxPoolingLayer(const Shape& input_shape, const std::string& name);

  const std::string& name() const { return name_; }

  void forward(const PassContext& ctx, const std::vector<const float*>& inputs, float* out) override;
  void backward(const PassContext& ctx, const std::vector<const float*>& inputs, const float* out, const float* d_out,
                const std::vector<float*>& d_inputs) override;

 private:
  std::string name_;
  int positions_, channels_;
};

}  // namespace nnplay
