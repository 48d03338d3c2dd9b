#include "nn/average_pooling2d_layer.h"

#include "core/cold.h"
#include "ops/avg_pool2d.h"

namespace nnplay {

namespace {

NNPLAY_COLD void check_image(const char* type, const std::vector<Shape>& inputs) {
  NNPLAY_CHECK(inputs.size() == 1, type << " takes exactly 1 input, got " << inputs.size());
  const Shape& in = inputs[0];
  NNPLAY_CHECK(
      in.size() == 3 && in[0] >= 1 && in[1] >= 1 && in[2] >= 1,
      type << ": the input must be an image [height, width, channels] (channels last), got " << shape_to_string(in));
}

NNPLAY_COLD ConvGeometry geometry_of(const Shape& in, const AveragePooling2dConfig& cfg) {
  const int sh = cfg.stride_h == 0 ? cfg.pool_h : cfg.stride_h;
  const int sw = cfg.stride_w == 0 ? cfg.pool_w : cfg.stride_w;
  return make_conv_geometry(in[0], in[1], in[2], cfg.pool_h, cfg.pool_w, sh, sw, cfg.same_padding);
}

}  // namespace

NNPLAY_COLD Shape average_pooling2d_output_shape(const std::vector<Shape>& inputs, const AveragePooling2dConfig& cfg) {
  check_image("averagePooling2d", inputs);
  NNPLAY_CHECK(cfg.pool_h >= 1 && cfg.pool_w >= 1,
               "averagePooling2d: poolSize must be integers >= 1, got [" << cfg.pool_h << ", " << cfg.pool_w << "]");
  NNPLAY_CHECK(cfg.stride_h >= 0 && cfg.stride_w >= 0 && (cfg.stride_h != 0) == (cfg.stride_w != 0),
               "averagePooling2d: strides must be integers >= 1 (or left out: the pool size), got ["
                   << cfg.stride_h << ", " << cfg.stride_w << "]");
  const ConvGeometry g = geometry_of(inputs[0], cfg);
  NNPLAY_CHECK(g.oh > 0 && g.ow > 0, "averagePooling2d: the pool "
                                         << cfg.pool_h << "x" << cfg.pool_w << " does not fit the input "
                                         << shape_to_string(inputs[0])
                                         << " with padding \"valid\"; use a smaller poolSize or padding \"same\"");
  return {g.oh, g.ow, g.c};
}

NNPLAY_COLD Shape global_average_pooling2d_output_shape(const std::vector<Shape>& inputs,
                                                        const GlobalAveragePooling2dConfig&) {
  check_image("globalAveragePooling2d", inputs);
  return {inputs[0][2]};
}

NNPLAY_COLD AveragePooling2dLayer::AveragePooling2dLayer(const Shape& input_shape, AveragePooling2dConfig cfg,
                                                         const std::string& name)
    : Layer({input_shape}, average_pooling2d_output_shape({input_shape}, cfg)),
      name_(name),
      cfg_(cfg),
      g_(geometry_of(input_shape, cfg)) {}

void AveragePooling2dLayer::forward(const PassContext& ctx, const std::vector<const float*>& inputs, float* out) {
  NNPLAY_ASSERT(inputs.size() == 1 && ctx.n >= 0);
  avg_pool2d_forward(out, inputs[0], g_, ctx.n);
}

void AveragePooling2dLayer::backward(const PassContext& ctx, const std::vector<const float*>&, const float*,
                                     const float* d_out, const std::vector<float*>& d_inputs) {
  NNPLAY_ASSERT(d_inputs.size() == 1);
  if (d_inputs[0]) avg_pool2d_backward(d_inputs[0], d_out, g_, ctx.n);
}

NNPLAY_COLD GlobalAveragePooling2dLayer::GlobalAveragePooling2dLayer(const Shape& input_shape,
                                                                     GlobalAveragePooling2dConfig cfg,
                                                                     const std::string& name)
    : Layer({input_shape}, global_average_pooling2d_output_shape({input_shape}, cfg)),
      name_(name),
      pixels_(input_shape[0] * input_shape[1]),
      channels_(input_shape[2]) {}

void GlobalAveragePooling2dLayer::forward(const PassContext& ctx, const std::vector<const float*>& inputs, float* out) {
  NNPLAY_ASSERT(inputs.size() == 1 && ctx.n >= 0);
  global_avg_pool2d_forward(out, inputs[0], ctx.n, pixels_, channels_);
}

void GlobalAveragePooling2dLayer::backward(const PassContext& ctx, const std::vector<const float*>&, const float*,
                                           const float* d_out, const std::vector<float*>& d_inputs) {
  NNPLAY_ASSERT(d_inputs.size() == 1);
  if (d_inputs[0]) global_avg_pool2d_backward(d_inputs[0], d_out, ctx.n, pixels_, channels_);
}

}  // namespace nnplay
