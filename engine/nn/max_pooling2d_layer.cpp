#include "nn/max_pooling2d_layer.h"

#include <algorithm>

#include "core/cold.h"
#include "core/parallel.h"
#include "ops/max_pool2d.h"

namespace nnplay {

NNPLAY_COLD ConvGeometry window_geometry(const Shape& input, const Config& config, const char* size_key,
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
  // Images are independent outputs: split over samples (core/parallel.h), small batches whole.
  const std::ptrdiff_t in_size = static_cast<std::ptrdiff_t>(input_size(0));
  const std::ptrdiff_t out_size = static_cast<std::ptrdiff_t>(output_size());
  parallel_ranges(ctx.n, min_samples_per_task(), [&](int b0, int b1, int) {
    max_pool2d_forward(out + b0 * out_size, argmax_.data() + b0 * out_size, inputs[0] + b0 * in_size, g_, b1 - b0);
  });
}

int MaxPooling2dLayer::min_samples_per_task() const {
  // About 16k input floats per task: below that, waking a thread costs more than it saves.
  return static_cast<int>(std::max<std::size_t>(1, (std::size_t{1} << 14) / std::max<std::size_t>(1, input_size(0))));
}

void MaxPooling2dLayer::backward(const PassContext& ctx, const std::vector<const float*>&, const float*,
                                 const float* d_out, const std::vector<float*>& d_inputs) {
  NNPLAY_ASSERT(ctx.n == n_);
  if (!d_inputs[0]) return;
  const std::ptrdiff_t in_size = static_cast<std::ptrdiff_t>(input_size(0));
  const std::ptrdiff_t out_size = static_cast<std::ptrdiff_t>(output_size());
  const bool write = (ctx.write_d_inputs & 1u) != 0;
  parallel_ranges(ctx.n, min_samples_per_task(), [&](int b0, int b1, int) {
    float* d_in = d_inputs[0] + b0 * in_size;
    const float* d_o = d_out + b0 * out_size;
    const std::int32_t* am = argmax_.data() + b0 * out_size;
    if (write)
      max_pool2d_backward_write(d_in, d_o, am, g_, b1 - b0);
    else
      max_pool2d_backward(d_in, d_o, am, g_, b1 - b0);
  });
}

NNPLAY_COLD std::unique_ptr<Layer> make_max_pooling2d_layer(const LayerArgs& args) {
  return std::make_unique<MaxPooling2dLayer>(args,
                                             window_geometry(args.input_shapes[0], *args.config, "poolSize", true));
}

}  // namespace nnplay
