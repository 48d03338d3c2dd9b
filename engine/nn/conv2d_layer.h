// Conv2D layer: out = conv(in, kernel) + bias on NHWC images. Variables: kernel
// [kh, kw, channels, filters] (regularized) and bias [filters] (TF.js layout and names). The
// activation is a node of its own (nn/activation_layer.h). Caches the im2col matrix of the input.
//
// Memory and cache: im2col needs kh·kw·channels floats per output pixel, so a batch is processed
// in chunks of samples whose col fits kColBudget floats (at least one sample); backward then
// rebuilds each chunk's col from the input (which the Layer contract keeps alive). The budget is
// cache-sized, not memory-sized: a whole batch's col (4.7 MB for the ConvNetJS MNIST net, bench
// W8, batch 20) went out to L3 and came back three times (im2col, the forward product, d_W), and
// one sample's col (L2-resident) trained that net 1.4x as fast (wasm, V8), the second im2col
// included. Only when the whole batch fits does backward reuse forward's col.
//
// Threads (core/parallel.h): chunks are independent outputs, so forward and the d_in half of
// backward run one chunk per task, each thread with its own col / d_col. The kernel and bias
// gradients are sums over chunks: with more than one chunk, each chunk's gradient goes to a
// buffer of its own and the chunks are then added in chunk order on the calling thread, so the
// bits do not depend on the thread count (nor on which thread ran which chunk).
#pragma once

#include <cstddef>
#include <memory>
#include <vector>

#include "kernels/im2col.h"
#include "nn/layer.h"
#include "nn/registry.h"

namespace nnplay {

class Conv2dLayer : public Layer {
 public:
  static constexpr std::size_t kColBudget = std::size_t{1} << 15;  // floats (128 KiB)

  explicit Conv2dLayer(const LayerArgs& args);
  // With the geometry given (conv1d: a one-row image, nn/sequence_layers.h).
  Conv2dLayer(const LayerArgs& args, const ConvGeometry& g);

  void forward(const PassContext& ctx, const std::vector<const float*>& inputs, float* out) override;
  void backward(const PassContext& ctx, const std::vector<const float*>& inputs, const float* out, const float* d_out,
                const std::vector<float*>& d_inputs) override;
  std::uint64_t workspace_floats_per_sample() const override;

  const ConvGeometry& geometry() const { return g_; }
  Tensor& kernel() { return *variables_[0].value; }
  Tensor& kernel_grad() { return *variables_[0].grad; }
  Tensor& bias() { return *variables_.at(1).value; }
  Tensor& bias_grad() { return *variables_.at(1).grad; }

 private:
  int chunk_samples() const;

  ConvGeometry g_;
  int filters_;
  bool use_bias_;
  float* col(int slot) { return slot == 0 ? col_.data() : slot_cols_[static_cast<std::size_t>(slot - 1)].data(); }
  float* d_col(int slot) { return slot == 0 ? d_col_.data() : slot_d_cols_[static_cast<std::size_t>(slot - 1)].data(); }
  void size_slots(std::vector<Tensor>& slots, const Tensor& like);

  Tensor col_, d_col_;                           // [chunk·oh·ow, kh·kw·c], thread slot 0's
  std::vector<Tensor> slot_cols_, slot_d_cols_;  // the same for the pool's other threads
  Tensor grad_parts_;                            // [chunks, kh·kw·c·filters + filters]: each chunk's d_W and d_b
  bool col_holds_batch_ = false;                 // col_ is the im2col of the whole last forward batch
  int n_ = 0;
};

std::unique_ptr<Layer> make_conv2d_layer(const LayerArgs& args);

}  // namespace nnplay
