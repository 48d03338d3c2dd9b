#include "nn/activation_layer.h"

#include "core/check.h"
#include "core/cold.h"
#include "kernels/activation_kernels.h"

namespace nnplay {

NNPLAY_COLD ActivationLayer::ActivationLayer(const LayerArgs& args, ActivationKind kind, float alpha)
    : Layer(args.input_shapes, args.output_shape), kind_(kind), alpha_(alpha) {
  const Shape& in = args.input_shapes.at(0);
  cols_ = in.back();
  rows_per_sample_ = static_cast<int>(shape_size64(in) / static_cast<std::uint64_t>(cols_));
}

void ActivationLayer::forward(const PassContext& ctx, const std::vector<const float*>& inputs, float* out) {
  NNPLAY_ASSERT(inputs.size() == 1);
  activation_forward(out, inputs[0], kind_, alpha_, ctx.n * rows_per_sample_, cols_);
}

void ActivationLayer::backward(const PassContext& ctx, const std::vector<const float*>& inputs, const float* out,
                               const float* d_out, const std::vector<float*>& d_inputs) {
  if (!d_inputs[0]) return;
  if (ctx.write_d_inputs & 1u) {
    NNPLAY_ASSERT(kind_ == ActivationKind::kRelu);
    relu_backward_write(
        d_inputs[0], d_out, inputs[0],
        static_cast<std::size_t>(ctx.n) * static_cast<std::size_t>(rows_per_sample_) * static_cast<std::size_t>(cols_));
    return;
  }
  activation_backward(d_inputs[0], d_out, inputs[0], out, kind_, alpha_, ctx.n * rows_per_sample_, cols_);
}

NNPLAY_COLD std::unique_ptr<Layer> make_activation_layer(const LayerArgs& args) {
  const ActivationInfo& info = find_activation(args.config->string("activation"));
  const float alpha = args.config->is_null("alpha") ? info.default_alpha : args.config->number("alpha");
  return std::make_unique<ActivationLayer>(args, info.kind, alpha);
}

}  // namespace nnplay
