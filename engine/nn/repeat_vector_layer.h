// repeatVector (Keras / TF.js): [features] → [n, features], the vector as a sequence of n equal
// steps (ops/repeat_vector.h), e.g. between an LSTM encoder's last state and its decoder. No
// weights. In nnplay-extra.wasm with the other sequence layers.
#pragma once

#include <string>
#include <vector>

#include "nn/layer.h"

namespace nnplay {

// [n, features]. Throws Error starting with `where` unless the input is one vector [features].
Shape repeat_vector_output_shape(const std::vector<Shape>& inputs, int n, const std::string& where,
                                 const std::string& input_desc);

class RepeatVectorLayer : public Layer {
 public:
  RepeatVectorLayer(const Shape& input_shape, int n);

  void forward(const PassContext& ctx, const std::vector<const float*>& inputs, float* out) override;
  void backward(const PassContext& ctx, const std::vector<const float*>& inputs, const float* out, const float* d_out,
                const std::vector<float*>& d_inputs) override;

 private:
  int n_, features_;
};

}  // namespace nnplay
