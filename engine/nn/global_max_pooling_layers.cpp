#include "nn/global_max_pooling_layers.h"

#include "core/check.h"
#include "core/cold.h"
#include "ops/global_max_pool.h"

namespace nnplay {

NNPLAY_COLD Shape global_max_pooling_output_shape(const std::vector<Shape>& inputs, int input_rank,
                                                  const std::string& where, const std::string& input_desc) {
  NNPLAY_CHECK(inputs.size() == 1, where << " takes exactly 1 input, got " << inputs.size());
  const Shape& in = inputs[0];
  if (input_rank == 3)
    NNPLAY_CHECK(in.size() == 3, where << " needs an image input [height, width, channels] per sample (batches [batch, "
                                          "height, width, channels]), but "
                                       << input_desc << " is " << shape_to_string(in));
  else
    NNPLAY_CHECK(in.size() == 2, where << " needs a sequence input [steps, features] per sample (batches [batch, "
                                          "steps, features]), but "
                                       << input_desc << " is " << shape_to_string(in));
  for (int d : in)
    NNPLAY_CHECK(d >= 1, where << ": " << input_desc << " " << shape_to_string(in) << " has an empty axis");
  return {in.back()};
}

NNPLAY_COLD GlobalMaxPoolingLayer::GlobalMaxPoolingLayer(const Shape& input_shape, const std::string& name)
    : Layer({input_shape}, {input_shape.back()}), name_(name) {
  std::int64_t positions = 1;
  for (std::size_t d = 0; d + 1 < input_shape.size(); ++d) positions *= input_shape[d];
  positions_ = static_cast<int>(positions);  // per-sample sizes are bounded far below 2^31 (kMaxTensorElements)
  channels_ = input_shape.back();
}

void GlobalMaxPoolingLayer::forward(const PassContext& ctx, const std::vector<const float*>& inputs, float* out) {
  NNPLAY_ASSERT(inputs.size() == 1 && ctx.n >= 0);
  global_max_pool_forward(out, inputs[0], ctx.n, positions_, channels_);
}

void GlobalMaxPoolingLayer::backward(const PassContext& ctx, const std::vector<const float*>& inputs, const float* out,
                                     const float* d_out, const std::vector<float*>& d_inputs) {
  NNPLAY_ASSERT(d_inputs.size() == 1 && inputs.size() == 1);
  if (d_inputs[0]) global_max_pool_backward(d_inputs[0], inputs[0], out, d_out, ctx.n, positions_, channels_);
}

}  // namespace nnplay
