// Graph: the model as a DAG of layer calls (Keras functional form). Sequential is a chain of it.
//
// Spec JSON, v2 (Keras-like; "config" keys are the layer table's, nn/registry.cpp):
//   {"format": "nnplay-graph", "seed": 42,
//    "layers": [
//      {"name": "input_1", "type": "input", "config": {"shape": [2]}},
//      {"name": "dense_1", "type": "dense", "config": {"units": 8, "activation": "tanh"},
//       "inbound": [["input_1"]]},
//      {"name": "dense_2", "type": "dense", "config": {"units": 1}, "inbound": [["dense_1"]]}],
//    "inputs": ["input_1"], "outputs": ["dense_2"]}
//  - "inbound" lists the layer's calls; each call lists its input refs. A layer with several
//    calls is shared: every call uses the same Variables. A ref is "name" (call 0 of that layer,
//    its tensor 0) or ["name", callIndex, tensorIndex] (Keras's [layer, node_index, tensor_index]);
//    only a layer with several output tensors (a recurrent layer with returnState: [output, h]
//    or, for lstm, [output, h, c]) has a tensor index other than 0.
//  - "inputs" defaults to every input layer in order; "outputs" is required.
//  - Layer names: 1..100 characters, unique, no "/" (weights are named "<layer>/<weight>").
// Spec JSON, v1 (today's Sequential; still read, as a chain with today's names):
//   {"inputShape": [2], "seed": 42, "layers": [{"type": "dense", "units": 8, ...}, ...]}
//   layer i is named "<type>_<i+1>" (dense_1, maxPooling2d_2, ...), the input "input".
//
// Building validates once, before allocating anything: names unique, refs exist, acyclic, the
// inputs each layer type takes, shapes through each type's shape rule, config keys and types,
// and the memory budget below. Errors name the layer ("layer 1 (dense)" in v1, "layer "d" (dense)"
// in v2) and what is allowed.
//
// Nodes: each call is one node, except that a dense / conv2d call with an activation other than
// linear becomes two (the linear node and an activation node): the layer's name refers to the
// last one for outputs and views; its weights keep Keras names ("dense_1/kernel"). A call of a
// layer with several output tensors is its node, writing them side by side in each sample's
// row, followed by one part node per tensor (nn/output_part_layer.h); refs, outputs and views
// name the part nodes, the layer's name its tensor 0.
// The graph owns every node's output buffer [n, shape...]; layers own only their caches.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/rng.h"
#include "core/tensor.h"
#include "nn/layer.h"
#include "nn/registry.h"

namespace nnplay {

// ---- Memory budget (wasm has a 2 GiB heap and a 32-bit size_t) ------------------------------------
// Checked once at build, in 64 bits, before anything is allocated:
//  - every variable at most kMaxVariableFloats (256 MiB);
//  - all variables, counted 4 times (value, gradient, up to two optimizer slots), at most
//    kMaxModelFloats (1 GiB);
//  - every node's output at most kMaxSampleFloats values per sample.
// predict() chunks its batch so that (output + workspace) per sample × chunk stays under
// kPredictBudgetFloats per buffer.
constexpr std::uint64_t kMaxVariableFloats = std::uint64_t{1} << 26;
constexpr std::uint64_t kMaxModelFloats = std::uint64_t{1} << 28;
constexpr std::uint64_t kMaxSampleFloats = std::uint64_t{1} << 24;
constexpr std::uint64_t kPredictBudgetFloats = std::uint64_t{1} << 22;

// ---- Spec --------------------------------------------------------------------------------------------

struct NodeRef {
  std::string layer;
  int call = 0;
  int tensor = 0;  // which output tensor of that call (returnState's states: 1 and up)
};

struct GraphLayerSpec {
  std::string name;
  std::string type;                           // the table name (aliases resolved)
  std::string where;                          // how messages name it: "layer 0 (dense)" or "layer \"d\" (dense)"
  Config config;                              // checked against the table, defaults filled in
  std::vector<std::vector<NodeRef>> inbound;  // one entry per call
};

struct GraphSpec {
  std::uint64_t seed = 0;
  std::vector<GraphLayerSpec> layers;
  std::vector<NodeRef> inputs, outputs;
  bool from_sequential = false;  // v1: messages call the input "the model input"
};

// v1 or v2 JSON (see above). Throws Error naming what is wrong.
GraphSpec parse_graph_spec(const std::string& json);
// A v2 spec as JSON text (v1 specs come out in v2 form).
std::string graph_spec_to_json(const GraphSpec& spec);

// {"inputs":[{"name","shape"}],"outputs":[{"name","shape"}],
//  "layers":[{"name","type","outputShape","nodes":[{"inbound":[[name,call]],"outputShape"}],
//             "params","variables":[{"name","shape","trainable"}]}],
//  "totalParams","trainableParams","nonTrainableParams"}  or  {"error":"message"}.
// Pure: checks the spec as build would, allocates no weights.
std::string inspect_model(const std::string& json);

// ---- Graph --------------------------------------------------------------------------------------------

// A backward seed: the gradient d [n, size of the node's output] added at a node.
struct GradientSeed {
  int node;
  const float* d;
};

struct LayerInfo {
  std::string name, type;
  Shape output_shape;      // of its first call
  std::vector<int> nodes;  // per call: the node holding its output (the activation node if split)
};

class Graph {
 public:
  // Validates, builds, initialises (seeded by spec.seed: same seed, same weights). Throws Error.
  explicit Graph(const GraphSpec& spec);
  // As above, but a layer whose name is also in `share_from` uses that graph's Variables (same
  // names and shapes required): an encoder cut out of an autoencoder trains the same weights.
  Graph(const GraphSpec& spec, const Graph& share_from);
  ~Graph();
  Graph(const Graph&) = delete;
  Graph& operator=(const Graph&) = delete;

  const GraphSpec& spec() const { return spec_; }
  std::uint64_t seed() const { return spec_.seed; }

  int num_inputs() const { return static_cast<int>(input_nodes_.size()); }
  int num_outputs() const { return static_cast<int>(output_nodes_.size()); }
  const Shape& input_shape(int i = 0) const;
  const Shape& output_shape(int i = 0) const;
  int input_size(int i = 0) const { return static_cast<int>(shape_size64(input_shape(i))); }
  int output_size(int i = 0) const { return static_cast<int>(shape_size64(output_shape(i))); }

  // Layers other than inputs, in spec order (the v1 "layer i").
  int num_layers() const { return static_cast<int>(layer_order_.size()); }
  const LayerInfo& layer_info(int i) const;
  // Index into the layers above by name, or -1.
  int find_layer(const std::string& name) const;

  // inputs[i]: [n, input_size(i)], kept (not copied) until the matching backward.
  void forward(const PassContext& ctx, const std::vector<const float*>& inputs);
  // Inference on a single-input graph: training false. Returns output 0.
  const Tensor& forward(const float* x, int n);
  const Tensor& output(int i = 0) const;
  // Forwards run so far: a caller that ran one can tell whether the layers' caches are still its.
  std::uint64_t forward_count() const { return forwards_; }
  // Output of a layer (its first call's last node) from the last forward: [n, shape...].
  const Tensor& layer_output(int i) const;
  const Tensor& layer_output(const std::string& name) const;

  // Checks model input i's values x [n, input_size(i)] with every layer that reads that input
  // directly (Layer::check_input_values: an embedding's ids). Throws Error.
  void check_input_values(int i, const float* x, int n) const;

  // The states layer i exposes (Layer::states(); empty for most types) and state k of its first
  // call from the last forward, [n, shape...] in sample order.
  std::vector<StateInfo> layer_states(int i) const;
  void read_layer_state(int i, int k, float* out) const;

  // Inference over x [n, input_size] into out [n, output_size] (single input and output), in
  // chunks that keep every node's buffers under kPredictBudgetFloats. Same numbers as one forward.
  void predict(float* out, const float* x, int n);
  // The same over every input (xs[i]: [n, input_size(i)]) into every output (outs[o]:
  // [n, output_size(o)]; a null entry skips that output).
  void predict(const std::vector<float*>& outs, const std::vector<const float*>& xs, int n);
  int predict_chunk_size() const;

  // Zeroes every trainable gradient, adds the seeds, walks the nodes in reverse, each node's
  // gradient accumulating from all its consumers. ctx must be the forward's.
  void backward(const PassContext& ctx, const std::vector<GradientSeed>& seeds);
  // Seeds d_output [n, output_size(i)] at output i.
  void backward(const PassContext& ctx, int output, const float* d_output);
  // As backward(ctx, seeds), and also accumulates (+=) the gradient w.r.t. model input i into
  // d_inputs[i] ([n, input_size(i)], zeroed by the caller; a null entry skips that input).
  // Throws Error when an input asked for feeds a layer that reads it as ids (an embedding).
  void backward_to_inputs(const PassContext& ctx, const std::vector<GradientSeed>& seeds,
                          const std::vector<float*>& d_inputs);

  // False when a layer reads model input i as ids (an embedding): it has no gradient.
  bool input_has_gradient(int i) const;
  // True when some layer draws random numbers of its own in an inference forward
  // (Layer::draws_at_inference): two inference forwards of the same rows then differ.
  bool draws_at_inference() const;

  // The kind of the activation node that produces output i when the fused cross-entropy
  // gradient may be seeded at its input (it is an activation node, only the output uses it, and
  // its input is not a model input); kLinear otherwise.
  ActivationKind fusable_output_activation(int output) const;
  // The activation at output i (kLinear when the output node is no activation node).
  ActivationKind output_activation(int output) const;
  // The node whose output is output i's pre-activation (for a fused seed).
  int pre_activation_node(int output) const;
  int output_node(int output) const { return output_nodes_.at(static_cast<std::size_t>(output)); }

  // Every variable once, in Keras order (layers in spec order, each layer's own order).
  std::vector<Variable>& variables() { return variables_; }
  const std::vector<Variable>& variables() const { return variables_; }
  // Sum of the layers' added losses from the last forward.
  double added_loss() const;

  // The layers that report a figure in the training logs (Layer::has_log_figure: klDivergence's
  // KL), by name in spec order, and their figures from the last forward (summed over a shared
  // layer's calls), in that order. values is resized; it allocates only the first time.
  const std::vector<std::string>& log_figure_names() const { return figure_names_; }
  void log_figures(std::vector<double>& values) const;

  // Changes a live config key of a layer between steps (Layer::set_live_number: klDivergence's
  // "beta"), on every call of that layer, and in the spec so a saved model keeps it. Throws Error
  // naming the layer and the key when it has no such key, or the allowed range.
  void set_layer_number(const std::string& layer, const std::string& key, double value);

 private:
  struct Node {
    int layer;  // index into spec_.layers
    int call;
    bool activation_split;  // the activation node added after a dense / conv2d call
    bool output_part;       // a part node: one output tensor of a multi-tensor call
    std::vector<int> inputs;
    Shape shape;                         // per sample
    std::unique_ptr<Layer> impl;         // null for input nodes
    std::unique_ptr<Config> own_config;  // the activation node's config
    int consumers = 0;
    // Bit j: this node writes input j's gradient outright (its only consumer edge, and the layer
    // writes_input_gradient(j)); that gradient buffer is not zeroed before backward.
    std::uint32_t writes_d_inputs = 0;
    bool is_input() const { return impl == nullptr; }
  };

  void build(const Graph* share_from);
  const Layer& first_call_layer(int i) const;  // the layer's own node (not its activation node)
  const float* node_data(int node) const;
  // The backward walk; d_inputs empty: no model input gets a gradient.
  void backward_pass(const PassContext& ctx, const std::vector<GradientSeed>& seeds,
                     const std::vector<float*>& d_inputs);

  GraphSpec spec_;
  std::vector<Node> nodes_;  // in topological order
  std::vector<int> input_nodes_, output_nodes_;
  std::vector<int> layer_order_;  // spec layer index of layers()[i]
  std::vector<LayerInfo> layer_infos_;
  std::vector<std::string> figure_names_;       // log_figure_names()
  std::vector<std::vector<int>> figure_nodes_;  // per figure, the nodes that report it
  std::vector<Variable> variables_;
  std::vector<Tensor> out_;    // per node (empty for inputs)
  std::vector<Tensor> d_out_;  // per node, gradient w.r.t. its output
  std::vector<char> has_grad_;
  std::vector<std::uint32_t> pass_writes_;  // per node, its writes_d_inputs in this pass (seeds clear bits)
  // Backward zeroes these variable gradients first; the rest are set by the one node that owns
  // them (overwrites_grads_, per node: Layer::overwrite_variable_grads said yes).
  std::vector<Tensor*> grads_to_zero_;
  std::vector<char> overwrites_grads_;
  std::vector<const float*> input_ptrs_;
  std::vector<int> input_index_;  // per node: its index among the model inputs, -1 for layers
  int last_n_ = -1;
  std::uint64_t forwards_ = 0;             // forward_count()
  int out_n_ = -1;                         // batch size out_ is shaped for
  int d_out_n_ = -1;                       // and d_out_
  std::vector<const float*> pass_inputs_;  // scratch of the passes: one node's input pointers
  std::vector<float*> pass_d_inputs_;      // and its input gradients
};

}  // namespace nnplay
