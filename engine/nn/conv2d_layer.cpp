#include "nn/conv2d_layer.h"

#include <algorithm>

#include "nn/max_pooling2d_layer.h"
#include "ops/conv2d.h"

namespace nnplay {

Conv2dLayer::Conv2dLayer(const LayerArgs& args)
    : Conv2dLayer(args, window_geometry(args.input_shapes.at(0), *args.config, "kernelSize", false)) {}

Conv2dLayer::Conv2dLayer(const LayerArgs& args, const ConvGeometry& g)
    : Layer(args.input_shapes, args.output_shape),
      g_(g),
      filters_(args.output_shape.back()),
      use_bias_(args.variables.size() > 1) {
  NNPLAY_ASSERT(g_.oh > 0 && g_.ow > 0);
  variables_ = args.variables;
}

int Conv2dLayer::chunk_samples() const {
  const std::size_t per_sample = static_cast<std::size_t>(g_.out_pixels()) * static_cast<std::size_t>(g_.patch());
  return static_cast<int>(std::max<std::size_t>(1, kColBudget / per_sample));
}

std::uint64_t Conv2dLayer::workspace_floats_per_sample() const {
  // col for forward and d_col for backward, each of one sample's output pixels × patch.
  return 2 * static_cast<std::uint64_t>(g_.out_pixels()) * static_cast<std::uint64_t>(g_.patch());
}

void Conv2dLayer::forward(const PassContext& ctx, const std::vector<const float*>& inputs, float* out) {
  const int n = ctx.n;
  NNPLAY_ASSERT(n >= 0);
  n_ = n;
  const int chunk = chunk_samples();
  // im2col writes every element of col (padding as zeros) and the d_col GEMM runs with beta 0,
  // so neither buffer needs zeroing: zeroing them cost ~12 % of a step of the ConvNetJS MNIST
  // net (bench W8), more than the pooling layers.
  col_.resize_for_overwrite({std::min(n, chunk) * g_.out_pixels(), g_.patch()});
  const std::ptrdiff_t in_size = static_cast<std::ptrdiff_t>(input_size(0));
  const std::ptrdiff_t out_size = static_cast<std::ptrdiff_t>(output_size());
  for (int b0 = 0; b0 < n; b0 += chunk) {
    const int nb = std::min(chunk, n - b0);
    conv2d_forward(out + b0 * out_size, col_.data(), inputs[0] + b0 * in_size, kernel().data(),
                   use_bias_ ? bias().data() : nullptr, g_, filters_, nb);
  }
  col_holds_batch_ = n <= chunk;
}

void Conv2dLayer::backward(const PassContext& ctx, const std::vector<const float*>& inputs, const float*,
                           const float* d_out, const std::vector<float*>& d_inputs) {
  const int n = ctx.n;
  NNPLAY_ASSERT(n == n_);
  float* d_in = d_inputs[0];
  const int chunk = chunk_samples();
  if (d_in) d_col_.resize_for_overwrite({std::min(n, chunk) * g_.out_pixels(), g_.patch()});
  const std::ptrdiff_t in_size = static_cast<std::ptrdiff_t>(input_size(0));
  const std::ptrdiff_t out_size = static_cast<std::ptrdiff_t>(output_size());
  for (int b0 = 0; b0 < n; b0 += chunk) {
    const int nb = std::min(chunk, n - b0);
    if (!col_holds_batch_) im2col(col_.data(), inputs[0] + b0 * in_size, g_, nb);
    conv2d_backward(d_in ? d_in + b0 * in_size : nullptr, kernel_grad().data(),
                    use_bias_ ? bias_grad().data() : nullptr, d_col_.data(), d_out + b0 * out_size, col_.data(),
                    kernel().data(), g_, filters_, nb);
  }
}

std::unique_ptr<Layer> make_conv2d_layer(const LayerArgs& args) { return std::make_unique<Conv2dLayer>(args); }

}  // namespace nnplay
