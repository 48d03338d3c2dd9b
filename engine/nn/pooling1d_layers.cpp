#include "nn/pooling1d_layers.h"

#include "core/check.h"
#include "core/cold.h"
#include "nn/max_pooling2d_layer.h"
#include "ops/avg_pool2d.h"

namespace nnplay {

NNPLAY_COLD ConvGeometry pooling1d_geometry(const Shape& input, const Pooling1dConfig& cfg) {
  const int stride = cfg.stride == 0 ? cfg.pool : cfg.stride;
  return make_conv_geometry(1, input.at(0), input.at(1), 1, cfg.pool, 1, stride, cfg.same_padding);
}

NNPLAY_COLD Shape pooling1d_output_shape(const std::vector<Shape>& inputs, const Pooling1dConfig& cfg,
                                         const std::string& where, const std::string& input_desc) {
  NNPLAY_CHECK(inputs.size() == 1, where << " takes exactly 1 input, got " << inputs.size());
  const Shape& in = inputs[0];
  NNPLAY_CHECK(in.size() == 2 && in[0] >= 1 && in[1] >= 1,
               where << " needs a sequence input [steps, features] per sample (batches [batch, steps, features]), but "
                     << input_desc << " is " << shape_to_string(in));
  const ConvGeometry g = pooling1d_geometry(in, cfg);
  NNPLAY_CHECK(g.ow > 0, where << ": poolSize " << cfg.pool << " is longer than " << input_desc << " "
                               << shape_to_string(in)
                               << " with padding \"valid\" (the output would be empty); use a smaller poolSize or "
                                  "padding \"same\"");
  return {g.ow, in[1]};
}

NNPLAY_COLD std::unique_ptr<Layer> make_max_pooling1d_layer(const LayerArgs& args, const Pooling1dConfig& cfg) {
  return std::make_unique<MaxPooling2dLayer>(args, pooling1d_geometry(args.input_shapes.at(0), cfg));
}

NNPLAY_COLD AveragePooling1dLayer::AveragePooling1dLayer(const LayerArgs& args, const Pooling1dConfig& cfg)
    : Layer(args.input_shapes, args.output_shape), g_(pooling1d_geometry(args.input_shapes.at(0), cfg)) {}

void AveragePooling1dLayer::forward(const PassContext& ctx, const std::vector<const float*>& inputs, float* out) {
  NNPLAY_ASSERT(inputs.size() == 1 && ctx.n >= 0);
  avg_pool2d_forward(out, inputs[0], g_, ctx.n);
}

void AveragePooling1dLayer::backward(const PassContext& ctx, const std::vector<const float*>&, const float*,
                                     const float* d_out, const std::vector<float*>& d_inputs) {
  NNPLAY_ASSERT(d_inputs.size() == 1);
  if (d_inputs[0]) avg_pool2d_backward(d_inputs[0], d_out, g_, ctx.n);
}

}  // namespace nnplay
