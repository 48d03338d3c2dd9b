#include "nn/repeat_vector_layer.h"

#include "core/check.h"
#include "core/cold.h"
#include "ops/repeat_vector.h"

namespace nnplay {

NNPLAY_COLD Shape repeat_vector_output_shape(const std::vector<Shape>& inputs, int n, const std::string& where,
                                             const std::string& input_desc) {
  NNPLAY_CHECK(inputs.size() == 1, where << " takes exactly 1 input, got " << inputs.size());
  const Shape& in = inputs[0];
  NNPLAY_CHECK(in.size() == 1, where << " repeats a vector [features] per sample (batches [batch, features]), but "
                                     << input_desc << " is " << shape_to_string(in)
                                     << "; flatten it or take a recurrent layer's last state first");
  return {n, in[0]};
}

NNPLAY_COLD RepeatVectorLayer::RepeatVectorLayer(const Shape& input_shape, int n)
    : Layer({input_shape}, {n, input_shape.at(0)}), n_(n), features_(input_shape.at(0)) {}

void RepeatVectorLayer::forward(const PassContext& ctx, const std::vector<const float*>& inputs, float* out) {
  NNPLAY_ASSERT(inputs.size() == 1 && ctx.n >= 0);
  repeat_vector_forward(out, inputs[0], ctx.n, n_, features_);
}

void RepeatVectorLayer::backward(const PassContext& ctx, const std::vector<const float*>&, const float*,
                                 const float* d_out, const std::vector<float*>& d_inputs) {
  NNPLAY_ASSERT(d_inputs.size() == 1);
  if (d_inputs[0]) repeat_vector_backward(d_inputs[0], d_out, ctx.n, n_, features_);
}

}  // namespace nnplay
