#include "nn/max_pooling2d_layer.h"

#include "ops/max_pool2d.h"

namespace nnplay {

ConvGeometry window_geometry(const Shape& input, const Config& config, const char* size_key,
                             bool stride_defaults_to_size) {
  const std::array<int, 2> k = config.pair(size_key);
  std::array<int, 2> s = {1, 1};
  if (!config.is_null("strides"))
    s = config.pair("strides");
  else if (stride_defaults_to_size)
    s = k;
  return make_conv_geometry(input.at(0), input.at(1), input.at(2), k[0], k[1], s[0], s[1],
                            config.string("padding") == "same");
}

void MaxPooling2dLayer::forward(const PassContext& ctx, const std::vector<const float*>& inputs, float* out) {
  n_ = ctx.n;
  argmax_.resize(static_cast<std::size_t>(ctx.n) * static_cast<std::size_t>(output_size()));
  max_pool2d_forward(out, argmax_.data(), inputs[0], g_, ctx.n);
}

void MaxPooling2dLayer::backward(const PassContext& ctx, const std::vector<const float*>&, const float*,
                                 const float* d_out, const std::vector<float*>& d_inputs) {
  NNPLAY_ASSERT(ctx.n == n_);
  if (!d_inputs[0]) return;
  if (ctx.write_d_inputs & 1u)
    max_pool2d_backward_write(d_inputs[0], d_out, argmax_.data(), g_, ctx.n);
  else
    max_pool2d_backward(d_inputs[0], d_out, argmax_.data(), g_, ctx.n);
}

std::unique_ptr<Layer> make_max_pooling2d_layer(const LayerArgs& args) {
  return std::make_unique<MaxPooling2dLayer>(args,
                                             window_geometry(args.input_shapes[0], *args.config, "poolSize", true));
}

}  // namespace nnplay
