// Layer: the contract every node of the graph model (nn/graph.h) is built on. This header is
// the interface only; the graph, the tables (nn/registry.h) and the layers implement it.
//
// What a layer is:
//  - One node of the DAG. It reads k >= 1 inputs (flat [n, input_size(i)] buffers, NHWC for
//    images) and writes one output [n, output_size()] into a buffer the graph owns.
//  - It owns its caches (masks, normalised values, im2col) but not its inputs or its output.
//  - Its weights are Variables: shared_ptrs, so a layer applied at several nodes, or a sub-model
//    cut out of a bigger one (an encoder out of an autoencoder), uses the very same tensors.
//  - It may add a loss of its own (Keras add_loss: a KL term, an activity regularizer); backward
//    then adds that loss's gradient too.
//
// Contract of a pass (the graph keeps it; layers only NNPLAY_ASSERT it):
//  - forward(ctx, inputs, out): out is written, not accumulated. inputs and out stay valid and
//    unchanged until the matching backward.
//  - backward(ctx, inputs, out, d_out, d_inputs): accumulates (+=) into d_inputs[i] (skipped when
//    null: that input needs no gradient) and into every trainable variable's grad. Zeroing is
//    the graph's job. ctx is the forward's context (same training flag, same n), except for
//    ctx.write_d_inputs: a layer that says writes_input_gradient(i) is asked to write
//    d_inputs[i] outright when it is that buffer's only writer, and the graph skips zeroing it.
//  - ctx.rng is the pass's own stream (seeded from the model seed and the step number), so a
//    dropout mask is the same on every platform and independent of how steps were batched.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/rng.h"
#include "core/tensor.h"

namespace nnplay {

struct PassContext {
  bool training = false;  // dropout drops and batchNormalization uses batch statistics only then
  Rng* rng = nullptr;     // the pass's stream; layers that need randomness draw only from it
  int n = 0;              // samples in this pass
  // false: backward leaves out the gradients of the losses layers add (klDivergence's KL). A
  // gradient through model.apply() is the gradient of its outputs only, as in TF.js, where a
  // layer's added losses are the caller's to add (model.losses).
  bool added_losses = true;
  // Backward only, set by the graph per node: bit i means d_inputs[i] was not zeroed and this
  // node is its only writer, so backward must write every element of it (=) instead of adding.
  // Set only for inputs whose layer says writes_input_gradient(i).
  std::uint32_t write_d_inputs = 0;
};

// A weight tensor of a layer, as optimizers, getWeights/setWeights and saving see it.
struct Variable {
  std::string name;               // Keras name: "dense_1/kernel", "batch_normalization_1/moving_mean"
  std::shared_ptr<Tensor> value;  // shared by every node and sub-model that uses the layer
  std::shared_ptr<Tensor> grad;   // same shape; null when !trainable
  bool trainable = true;          // false: skipped by optimizers, still saved (moving statistics)
  float l1 = 0.0f;                // regularization of this tensor (kernels), added to the loss
  float l2 = 0.0f;
};

// A named internal state a layer keeps from its last forward, readable as a node payload
// ("lstm_1:c"): its per-sample shape, fixed when the layer is built.
struct StateInfo {
  std::string name;  // "h", "c", "gates"; a wrapper prefixes its parts' ("forward_h")
  Shape shape;       // per sample, e.g. [steps, units]
};

class Layer {
 public:
  virtual ~Layer() = default;

  // Per-sample shapes, fixed when the layer is built (shape rules live in nn/registry.cpp).
  const Shape& output_shape() const { return output_shape_; }
  std::uint64_t output_size() const { return shape_size64(output_shape_); }
  int num_inputs() const { return static_cast<int>(input_shapes_.size()); }
  const Shape& input_shape(int i) const { return input_shapes_.at(static_cast<std::size_t>(i)); }
  std::uint64_t input_size(int i) const { return shape_size64(input_shape(i)); }

  // inputs[i]: [ctx.n, input_size(i)]; out: [ctx.n, output_size()].
  virtual void forward(const PassContext& ctx, const std::vector<const float*>& inputs, float* out) = 0;
  virtual void backward(const PassContext& ctx, const std::vector<const float*>& inputs, const float* out,
                        const float* d_out, const std::vector<float*>& d_inputs) = 0;

  // Weights in Keras order (dense: kernel, bias; batchNormalization: gamma, beta, moving_mean,
  // moving_variance). Empty for layers without weights.
  std::vector<Variable>& variables() { return variables_; }

  // The graph asks this of a layer whose variables no other node shares: from now on, may its
  // backward set (=) their gradients rather than add to them (+=)? true: it does, and the graph
  // stops zeroing them before every backward pass (megabytes for a wide dense layer) and zeroes
  // them only on a pass that skips this node. false (the default): it keeps accumulating.
  virtual bool overwrite_variable_grads() { return false; }

  // The loss this layer added in the last training forward (0 when none); backward adds its
  // gradient. Summed into the model's loss by the trainer, like Keras model.losses.
  virtual double added_loss() const { return 0.0; }

  // A figure this layer reports in the training logs under its layer's name (klDivergence: the
  // KL divergence before β, batch mean of the last forward, training or not). false: none.
  virtual bool has_log_figure() const { return false; }
  virtual double log_figure() const { return 0.0; }

  // Sets a config key that may change between training steps without rebuilding the model
  // (klDivergence's beta: a slider). Returns false when the layer has no such live key; throws
  // Error naming the key and the allowed range for a bad value.
  virtual bool set_live_number(const std::string& key, double value) {
    (void)key;
    (void)value;
    return false;
  }

  // Floats per sample this layer holds besides its output during a pass (caches, im2col
  // columns): predict chunking keeps (output + workspace) x chunk under the memory budget.
  virtual std::uint64_t workspace_floats_per_sample() const { return 0; }

  // Checks the values of input `input` ([n, input_size(input)]) where this layer reads them as
  // something other than numbers (an embedding's ids); throws Error naming the layer, the bad
  // value, its sample and what is allowed. The session calls it when data for the model is
  // sealed, for layers fed straight by a model input; such a layer calls it in forward too.
  virtual void check_input_values(int input, const float* x, int n) const {
    (void)input;
    (void)x;
    (void)n;
  }

  // True when backward can write d_inputs[input] outright (every element, =) when
  // ctx.write_d_inputs asks, with the same values as adding into a zeroed buffer (0 + g, so
  // even the sign of a zero is the same). The graph then skips zeroing that buffer: zeroing
  // every gradient buffer cost ~5 % of a step of the ConvNetJS MNIST net (bench W8).
  virtual bool writes_input_gradient(int input) const {
    (void)input;
    return false;
  }

  // False when the layer reads input `input` as something without a gradient (an embedding's
  // ids): the graph refuses to report a model input's gradient through it.
  virtual bool input_has_gradient(int input) const {
    (void)input;
    return true;
  }

  // True when an inference forward draws random numbers of the layer's own (gaussianSampling
  // with sampleAtInference): such a forward cannot be run again with the same numbers.
  virtual bool draws_at_inference() const { return false; }

  // The states this layer exposes (recurrent layers: h per step, LSTM c and gates); empty for
  // most layers. read_state(k, out) writes state k of the last forward as [n, states()[k].shape]
  // in sample order (n the last forward's), whatever order the layer keeps it in. Reading
  // happens right after a forward (predict copies it per chunk), never between forward and
  // backward of a training step.
  virtual std::vector<StateInfo> states() const { return {}; }
  virtual void read_state(int k, float* out) const {
    (void)k;
    (void)out;
  }

 protected:
  Layer(std::vector<Shape> input_shapes, Shape output_shape)
      : input_shapes_(std::move(input_shapes)), output_shape_(std::move(output_shape)) {}

  std::vector<Shape> input_shapes_;
  Shape output_shape_;
  std::vector<Variable> variables_;
};

}  // namespace nnplay
