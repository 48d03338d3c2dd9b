// Recurrent layers (Keras / TF.js simpleRNN, lstm, gru): a sequence [n, steps, features] in,
// h after every step ([n, steps, units], returnSequences) or after the last ([n, units]) out;
// with returnState, also the final state as further output tensors (Keras: [output, h_T] for
// simpleRNN and GRU, [output, h_T, c_T] for LSTM), written side by side in each sample's row
// (the graph's multi-tensor convention, nn/registry.h LayerType::extra_outputs).
// The math, including backpropagation through time, is in ops/simple_rnn.h, ops/lstm.h and
// ops/gru.h; this file holds the typed config, the pure shape and variable rules, and the
// Layer that owns one pass's buffers.
//
// Weights, Keras order and layout: kernel [features, k·units], recurrent_kernel [units, k·units],
// bias [k·units] (GRU with resetAfter: [2, 3·units]), k = 1, 4 (i f c o), 3 (z r h).
//
// Wrappers (bidirectional, timeDistributed) build this layer as a part: RecurrentConfig, the
// shape and variable functions and the constructor take everything explicitly (no table
// lookups), so a wrapper makes two of them (one with go_backwards flipped) from the Variables
// it allocated, drives forward/backward into its own buffers, and merges.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "nn/layer.h"
#include "nn/registry.h"
#include "ops/recurrent_sequence.h"

namespace nnplay {

enum class RecurrentCell { kSimpleRnn, kLstm, kGru };

struct RecurrentConfig {
  RecurrentCell cell = RecurrentCell::kLstm;
  int units = 1;
  ActivationKind activation = ActivationKind::kTanh;
  float activation_alpha = 0.0f;  // leakyRelu / elu: the activation table's default
  ActivationKind recurrent_activation = ActivationKind::kHardSigmoid;
  bool use_bias = true;
  bool return_sequences = false;
  bool return_state = false;
  bool go_backwards = false;
  bool unit_forget_bias = true;  // LSTM
  bool reset_after = false;      // GRU
  // Training only: the fraction of input features (dropout) and of h_{t−1}'s units
  // (recurrentDropout) dropped, each mask drawn once per sequence from the pass's stream.
  float dropout = 0, recurrent_dropout = 0;
  std::string kernel_initializer = "glorotUniform", recurrent_initializer = "orthogonal", bias_initializer = "zeros";
  float kernel_l1 = 0, kernel_l2 = 0, recurrent_l1 = 0, recurrent_l2 = 0, bias_l1 = 0, bias_l2 = 0;
};

// The table name of a cell: "simpleRNN", "lstm", "gru" (constexpr: the rows of
// nn/layer_rows_seq.cpp are named by it at compile time).
constexpr const char* recurrent_type_name(RecurrentCell cell) {
  switch (cell) {
    case RecurrentCell::kSimpleRnn: return "simpleRNN";
    case RecurrentCell::kLstm: return "lstm";
    case RecurrentCell::kGru: return "gru";
  }
  return "?";
}
int recurrent_gates(RecurrentCell cell);

// [steps, units] or [units]. Throws Error starting with `where` for an input that is not a
// sequence [steps, features] (naming `input_desc` and its shape) or a zero-length one.
Shape recurrent_output_shape(const std::vector<Shape>& inputs, const RecurrentConfig& cfg, const std::string& where,
                             const std::string& input_desc);
// The final-state tensors returnState adds after the output: [units] (h), and for LSTM [units] (c).
std::vector<Shape> recurrent_state_shapes(const RecurrentConfig& cfg);
// kernel, recurrent_kernel, bias (when useBias), initializers and regularization filled in.
std::vector<VariableSpec> recurrent_variables(const std::vector<Shape>& inputs, const RecurrentConfig& cfg);

class RecurrentLayer : public Layer {
 public:
  // variables: as recurrent_variables() lists them.
  RecurrentLayer(const Shape& input_shape, const RecurrentConfig& cfg, std::vector<Variable> variables);

  const RecurrentConfig& config() const { return cfg_; }
  int steps() const { return input_shapes_[0][0]; }
  int features() const { return input_shapes_[0][1]; }

  void forward(const PassContext& ctx, const std::vector<const float*>& inputs, float* out) override;
  void backward(const PassContext& ctx, const std::vector<const float*>& inputs, const float* out, const float* d_out,
                const std::vector<float*>& d_inputs) override;
  std::uint64_t workspace_floats_per_sample() const override;

  // The last forward's state per step, step-major in processing order (ops/recurrent_sequence.h):
  // h [steps + 1, n, units] (slot 0 the zero initial state), for LSTM c likewise and the gates
  // i f c̃ o [steps, n, 4·units], for GRU z r h̃ [steps, n, 3·units]. For reading (payloads).
  const RecurrentBuffers& state() const { return buffers_; }
  int last_n() const { return last_n_; }

  // The same as payloads, per sample and step in processing order (step s of a goBackwards
  // layer read input steps−1−s, as its returnSequences output does): "h" [steps, units] (h after
  // each step, equal to the returnSequences output), LSTM "c" [steps, units] and "gates"
  // [steps, 4·units] (i f c̃ o), GRU "gates" [steps, 3·units] (z r h̃).
  std::vector<StateInfo> states() const override;
  void read_state(int k, float* out) const override;

 private:
  RecurrentShape shape_for(int n) const;
  // Training with dropout / recurrentDropout: the pass's masks into buffers_ (else cleared).
  void draw_masks(const PassContext& ctx);
  RecurrentWeights weights() const;
  // Floats per sample of the op's own output (without returnState's final states).
  std::size_t output_size_of_op() const;

  RecurrentConfig cfg_;
  RecurrentBuffers buffers_;
  // returnState: the op's output before packing, and the unpacked gradients of output, h_T, c_T.
  std::vector<float> own_out_, d_own_out_, d_h_final_, d_c_final_;
  int last_n_ = -1;
};

// The table rows' factory: LayerArgs' config parsed into a RecurrentConfig by the row.
RecurrentConfig recurrent_config_from(const Config& c, RecurrentCell cell);
std::unique_ptr<Layer> make_recurrent_layer(const LayerArgs& args, RecurrentCell cell);

}  // namespace nnplay
