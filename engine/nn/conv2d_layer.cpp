#include "nn/conv2d_layer.h"

#include <algorithm>
#include <cstring>

#include "core/cold.h"
#include "core/parallel.h"
#include "kernels/vec.h"
#include "nn/max_pooling2d_layer.h"
#include "ops/conv2d.h"

namespace nnplay {

NNPLAY_COLD Conv2dLayer::Conv2dLayer(const LayerArgs& args)
    : Conv2dLayer(args, window_geometry(args.input_shapes.at(0), *args.config, "kernelSize", false)) {}

NNPLAY_COLD Conv2dLayer::Conv2dLayer(const LayerArgs& args, const ConvGeometry& g)
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

NNPLAY_COLD std::uint64_t Conv2dLayer::workspace_floats_per_sample() const {
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
  const int chunks = (n + chunk - 1) / chunk;
  if (chunks > 1) size_slots(slot_cols_, col_);
  const std::ptrdiff_t in_size = static_cast<std::ptrdiff_t>(input_size(0));
  const std::ptrdiff_t out_size = static_cast<std::ptrdiff_t>(output_size());
  parallel_for(chunks, [&](int c, int slot) {
    const int b0 = c * chunk, nb = std::min(chunk, n - b0);
    conv2d_forward(out + b0 * out_size, col(slot), inputs[0] + b0 * in_size, kernel().data(),
                   use_bias_ ? bias().data() : nullptr, g_, filters_, nb);
  });
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
  const int chunks = (n + chunk - 1) / chunk;
  if (chunks <= 1) {  // one chunk: the gradients accumulate straight into d_W and d_b
    if (n == 0) return;
    if (!col_holds_batch_) im2col(col_.data(), inputs[0], g_, n);
    conv2d_backward(d_in, kernel_grad().data(), use_bias_ ? bias_grad().data() : nullptr, d_col_.data(), d_out,
                    col_.data(), kernel().data(), g_, filters_, n);
    return;
  }
  size_slots(slot_cols_, col_);
  if (d_in) size_slots(slot_d_cols_, d_col_);
  const std::size_t w_size = kernel_grad().size(), part = w_size + static_cast<std::size_t>(filters_);
  grad_parts_.resize_for_overwrite({chunks, static_cast<int>(part)});
  parallel_for(chunks, [&](int c, int slot) {
    const int b0 = c * chunk, nb = std::min(chunk, n - b0);
    float* parts = grad_parts_.data() + static_cast<std::size_t>(c) * part;
    std::memset(parts, 0, part * sizeof(float));  // conv2d_backward adds into them
    float* cs = col(slot);
    im2col(cs, inputs[0] + b0 * in_size, g_, nb);
    conv2d_backward(d_in ? d_in + b0 * in_size : nullptr, parts, use_bias_ ? parts + w_size : nullptr,
                    d_in ? d_col(slot) : nullptr, d_out + b0 * out_size, cs, kernel().data(), g_, filters_, nb);
  });
  // The chunks' gradients, added in chunk order whatever thread computed them.
  for (int c = 0; c < chunks; ++c) {
    const float* parts = grad_parts_.data() + static_cast<std::size_t>(c) * part;
    vec_axpy(kernel_grad().data(), 1.0f, parts, w_size);
    if (use_bias_) vec_axpy(bias_grad().data(), 1.0f, parts + w_size, static_cast<std::size_t>(filters_));
  }
}

void Conv2dLayer::size_slots(std::vector<Tensor>& slots, const Tensor& like) {
  // Sized here, on the calling thread: tasks must not allocate (a wasm memory growth inside a
  // pool thread would leave the library's views of the heap stale).
  slots.resize(static_cast<std::size_t>(std::max(thread_count() - 1, 0)));
  for (Tensor& t : slots) t.resize_for_overwrite(like.shape());
}

NNPLAY_COLD std::unique_ptr<Layer> make_conv2d_layer(const LayerArgs& args) {
  return std::make_unique<Conv2dLayer>(args);
}

}  // namespace nnplay
