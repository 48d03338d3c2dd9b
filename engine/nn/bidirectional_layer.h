// Bidirectional (Keras / TF.js Bidirectional) around simpleRNN, lstm or gru: the same sequence
// read forwards by one recurrent layer and backwards by another (its own weights), the two
// outputs merged (concat, the default; sum, mul, ave). With returnSequences the backward part's
// output is put back into time order first, as Keras does, so step t of the output merges
// what both directions computed for input step t.
//
// Weights, Keras order: the forward layer's kernel, recurrent_kernel, bias, then the backward
// layer's, named "<layer>/forward_<cell>/kernel" ... "<layer>/backward_<cell>/bias" (TF.js names
// them after the wrapped layer, "forward_lstm_1"; the order and shapes are TF.js's, which is
// what getWeights/setWeights use). The parts are RecurrentLayers (nn/recurrent_layers.h) built
// from explicit configs, driven into this layer's own buffers.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "nn/recurrent_layers.h"

namespace nnplay {

enum class MergeMode { kConcat, kSum, kMul, kAve };

struct BidirectionalConfig {
  RecurrentConfig cell;  // as the wrapped layer's config says (goBackwards applies to the forward part)
  MergeMode merge = MergeMode::kConcat;
};

BidirectionalConfig bidirectional_config_from(const Config& c);
Shape bidirectional_output_shape(const std::vector<Shape>& inputs, const BidirectionalConfig& cfg,
                                 const std::string& where, const std::string& input_desc);
std::vector<VariableSpec> bidirectional_variables(const std::vector<Shape>& inputs, const BidirectionalConfig& cfg);

class BidirectionalLayer : public Layer {
 public:
  BidirectionalLayer(const Shape& input_shape, const BidirectionalConfig& cfg, std::vector<Variable> variables);

  void forward(const PassContext& ctx, const std::vector<const float*>& inputs, float* out) override;
  void backward(const PassContext& ctx, const std::vector<const float*>& inputs, const float* out, const float* d_out,
                const std::vector<float*>& d_inputs) override;
  std::uint64_t workspace_floats_per_sample() const override;
  // forward_h, forward_c, ..., backward_h, ...: each part's states (in its own processing order).
  std::vector<StateInfo> states() const override;
  void read_state(int k, float* out) const override;

 private:
  BidirectionalConfig cfg_;
  std::unique_ptr<RecurrentLayer> fwd_, bwd_;
  std::vector<float> out_f_, out_b_, d_f_, d_b_;  // [n, part output]
  int n_ = -1;
};

std::unique_ptr<Layer> make_bidirectional_layer(const LayerArgs& args);

}  // namespace nnplay
