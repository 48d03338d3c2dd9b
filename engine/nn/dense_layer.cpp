#include "nn/dense_layer.h"

#include "core/cold.h"
#include "ops/dense.h"

namespace nnplay {

NNPLAY_COLD DenseLayer::DenseLayer(const LayerArgs& args)
    : Layer(args.input_shapes, args.output_shape),
      in_(args.input_shapes.at(0).back()),
      units_(args.output_shape.back()),
      use_bias_(args.variables.size() > 1) {
  rows_per_sample_ = static_cast<int>(shape_size64(args.input_shapes[0]) / static_cast<std::uint64_t>(in_));
  variables_ = args.variables;
}

void DenseLayer::forward(const PassContext& ctx, const std::vector<const float*>& inputs, float* out) {
  NNPLAY_ASSERT(ctx.n >= 0 && inputs.size() == 1);
  dense_forward(out, inputs[0], kernel().data(), use_bias_ ? bias().data() : nullptr, ctx.n * rows_per_sample_, in_,
                units_);
}

void DenseLayer::backward(const PassContext& ctx, const std::vector<const float*>& inputs, const float*,
                          const float* d_out, const std::vector<float*>& d_inputs) {
  NNPLAY_ASSERT(inputs.size() == 1 && d_inputs.size() == 1);
  dense_backward(d_inputs[0], kernel_grad().data(), use_bias_ ? bias_grad().data() : nullptr, d_out, inputs[0],
                 kernel().data(), ctx.n * rows_per_sample_, in_, units_, overwrite_grads_);
}

NNPLAY_COLD std::unique_ptr<Layer> make_dense_layer(const LayerArgs& args) {
  return std::make_unique<DenseLayer>(args);
}

}  // namespace nnplay
