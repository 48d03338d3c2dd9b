// Graph: the passes (forward, backward, predict). These run on every training step, so they
// allocate nothing once the batch size is known: node buffers are sized when the batch size
// changes (the last, smaller batch of an epoch; a predict chunk), and the per-node pointer lists
// are reused scratch. The wasm build compiles this file -O3 and the rest of the graph -Os.
#include <algorithm>

#include "core/cold.h"
#include "kernels/vec.h"
#include "nn/graph.h"

namespace nnplay {

namespace {

// [n, per_sample...]
void size_for_batch(Tensor& t, int n, const Shape& per_sample) {
  Shape s;
  s.reserve(per_sample.size() + 1);
  s.push_back(n);
  s.insert(s.end(), per_sample.begin(), per_sample.end());
  t.resize(std::move(s));
}

}  // namespace

const float* Graph::node_data(int node) const {
  const Node& n = nodes_[static_cast<std::size_t>(node)];
  return n.is_input() ? input_ptrs_[static_cast<std::size_t>(node)] : out_[static_cast<std::size_t>(node)].data();
}

void Graph::forward(const PassContext& ctx, const std::vector<const float*>& inputs) {
  NNPLAY_CHECK(ctx.n >= 0, "forward: batch size must be >= 0, got " << ctx.n);
  NNPLAY_CHECK(inputs.size() == input_nodes_.size(),
               "forward: the model has " << input_nodes_.size() << " inputs, got " << inputs.size());
  for (std::size_t i = 0; i < inputs.size(); ++i) input_ptrs_[static_cast<std::size_t>(input_nodes_[i])] = inputs[i];
  if (ctx.n != out_n_) {
    for (std::size_t i = 0; i < nodes_.size(); ++i)
      if (!nodes_[i].is_input()) size_for_batch(out_[i], ctx.n, nodes_[i].shape);
    out_n_ = ctx.n;
  }
  for (std::size_t i = 0; i < nodes_.size(); ++i) {
    Node& node = nodes_[i];
    if (node.is_input()) continue;
    pass_inputs_.clear();
    for (int p : node.inputs) pass_inputs_.push_back(node_data(p));
    node.impl->forward(ctx, pass_inputs_, out_[i].data());
  }
  last_n_ = ctx.n;
  ++forwards_;
}

const Tensor& Graph::forward(const float* x, int n) {
  PassContext ctx{false, nullptr, n};
  forward(ctx, {x});
  return output(0);
}

const Tensor& Graph::output(int i) const {
  return out_[static_cast<std::size_t>(output_nodes_.at(static_cast<std::size_t>(i)))];
}

const Tensor& Graph::layer_output(int i) const { return out_[static_cast<std::size_t>(layer_info(i).nodes.at(0))]; }

NNPLAY_COLD const Tensor& Graph::layer_output(const std::string& name) const {
  const int i = find_layer(name);
  NNPLAY_CHECK(i >= 0, "no layer named \"" << name.substr(0, 100) << "\" (inputs have no output buffer)");
  return layer_output(i);
}

NNPLAY_COLD int Graph::predict_chunk_size() const {
  std::uint64_t widest = 1;
  for (std::size_t i = 0; i < nodes_.size(); ++i) {
    const Node& node = nodes_[i];
    std::uint64_t per_sample = shape_size64(node.shape);
    if (!node.is_input()) per_sample += node.impl->workspace_floats_per_sample();
    widest = std::max(widest, per_sample);
  }
  return static_cast<int>(std::max<std::uint64_t>(1, std::min<std::uint64_t>(kPredictBudgetFloats / widest, 1u << 30)));
}

void Graph::predict(float* out, const float* x, int n) {
  NNPLAY_CHECK(num_inputs() == 1 && num_outputs() == 1, "predict(out, x, n) needs one input and one output");
  predict(std::vector<float*>{out}, std::vector<const float*>{x}, n);
}

void Graph::predict(const std::vector<float*>& outs, const std::vector<const float*>& xs, int n) {
  NNPLAY_CHECK(n >= 0, "predict: sample count must be >= 0, got " << n);
  NNPLAY_CHECK(static_cast<int>(xs.size()) == num_inputs(),
               "predict: the model has " << num_inputs() << " inputs, got " << xs.size());
  NNPLAY_CHECK(static_cast<int>(outs.size()) == num_outputs(),
               "predict: the model has " << num_outputs() << " outputs, got " << outs.size() << " buffers");
  const int chunk = predict_chunk_size();
  std::vector<const float*> chunk_xs(xs.size());
  for (int start = 0; start < n; start += chunk) {
    const int count = std::min(chunk, n - start);
    for (std::size_t i = 0; i < xs.size(); ++i)
      chunk_xs[i] = xs[i] + static_cast<std::size_t>(start) * static_cast<std::size_t>(input_size(static_cast<int>(i)));
    forward(PassContext{false, nullptr, count}, chunk_xs);
    for (std::size_t o = 0; o < outs.size(); ++o) {
      if (!outs[o]) continue;
      const std::size_t out_size = static_cast<std::size_t>(output_size(static_cast<int>(o)));
      const Tensor& y = output(static_cast<int>(o));
      std::copy(y.data(), y.data() + static_cast<std::size_t>(count) * out_size,
                outs[o] + static_cast<std::size_t>(start) * out_size);
    }
  }
}

void Graph::backward(const PassContext& ctx, const std::vector<GradientSeed>& seeds) {
  static const std::vector<float*> no_inputs;
  backward_pass(ctx, seeds, no_inputs);
}

void Graph::backward_to_inputs(const PassContext& ctx, const std::vector<GradientSeed>& seeds,
                               const std::vector<float*>& d_inputs) {
  NNPLAY_CHECK(static_cast<int>(d_inputs.size()) == num_inputs(),
               "input gradients: the model has " << num_inputs() << " inputs, got " << d_inputs.size() << " buffers");
  // Checked before the walk: an id has no gradient, and a silent zero would read as "this step
  // does not matter".
  for (std::size_t k = 0; k < nodes_.size(); ++k) {
    const Node& node = nodes_[k];
    if (node.is_input()) continue;
    for (std::size_t j = 0; j < node.inputs.size(); ++j) {
      const int input = input_index_[static_cast<std::size_t>(node.inputs[j])];
      if (input < 0 || !d_inputs[static_cast<std::size_t>(input)]) continue;
      const GraphLayerSpec& layer = spec_.layers[static_cast<std::size_t>(node.layer)];
      NNPLAY_CHECK(node.impl->input_has_gradient(static_cast<int>(j)),
                   "input gradients: model input " << input << " feeds " << layer.where
                                                   << ", which reads it as ids; ids have no gradient (ask for the "
                                                      "gradients of models whose inputs are numbers)");
    }
  }
  backward_pass(ctx, seeds, d_inputs);
}

bool Graph::input_has_gradient(int i) const {
  for (const Node& node : nodes_) {
    if (node.is_input()) continue;
    for (std::size_t j = 0; j < node.inputs.size(); ++j)
      if (input_index_[static_cast<std::size_t>(node.inputs[j])] == i &&
          !node.impl->input_has_gradient(static_cast<int>(j)))
        return false;
  }
  return true;
}

bool Graph::draws_at_inference() const {
  for (const Node& node : nodes_)
    if (!node.is_input() && node.impl->draws_at_inference()) return true;
  return false;
}

void Graph::backward_pass(const PassContext& ctx, const std::vector<GradientSeed>& seeds,
                          const std::vector<float*>& d_inputs) {
  NNPLAY_CHECK(last_n_ >= 0 && ctx.n == last_n_, "backward: needs the forward pass of the same batch first");
  // Frozen variables too: their layers' backward writes them. Those a node sets are not zeroed.
  for (Tensor* grad : grads_to_zero_) grad->zero();
  // Gradient buffers exist only once something trains (inference never holds them), sized like
  // the outputs; backward accumulates into them, so they start every pass at zero, except those
  // whose only consumer writes them outright (Node::writes_d_inputs), unless a seed lands there.
  for (std::size_t k = 0; k < nodes_.size(); ++k) pass_writes_[k] = nodes_[k].writes_d_inputs;
  for (const GradientSeed& s : seeds) {
    NNPLAY_CHECK(
        s.node >= 0 && s.node < static_cast<int>(nodes_.size()) && !nodes_[static_cast<std::size_t>(s.node)].is_input(),
        "backward: seed at node " << s.node << ", which is no layer node");
    for (std::size_t k = 0; k < nodes_.size(); ++k) {
      const std::vector<int>& in = nodes_[k].inputs;
      for (std::size_t j = 0; j < in.size() && j < 32; ++j)
        if (in[j] == s.node) pass_writes_[k] &= ~(std::uint32_t{1} << j);
    }
  }
  std::vector<char>& written = has_grad_;  // reused as scratch first: 1 = some consumer writes it
  std::fill(written.begin(), written.end(), 0);
  for (std::size_t k = 0; k < nodes_.size(); ++k)
    for (std::size_t j = 0; j < nodes_[k].inputs.size() && j < 32; ++j)
      if (pass_writes_[k] >> j & 1u) written[static_cast<std::size_t>(nodes_[k].inputs[j])] = 1;
  const bool resized = ctx.n != d_out_n_;
  for (std::size_t i = 0; i < nodes_.size(); ++i) {
    if (nodes_[i].is_input()) continue;
    if (resized)
      size_for_batch(d_out_[i], ctx.n, nodes_[i].shape);
    else if (!written[i])
      d_out_[i].zero();
  }
  std::fill(has_grad_.begin(), has_grad_.end(), 0);
  d_out_n_ = ctx.n;
  for (const GradientSeed& s : seeds) {
    Tensor& d = d_out_[static_cast<std::size_t>(s.node)];
    vec_add(d.data(), d.data(), s.d, d.size());
    has_grad_[static_cast<std::size_t>(s.node)] = 1;
  }
  PassContext node_ctx = ctx;
  for (std::size_t k = nodes_.size(); k-- > 0;) {
    Node& node = nodes_[k];
    if (node.is_input()) continue;
    // A node no gradient reached contributes nothing, unless its layer added a loss of its own
    // (and the pass includes added losses).
    if (!has_grad_[k] && (!ctx.added_losses || node.impl->added_loss() == 0.0)) {
      // The buffers it would have written: its producers may still run (a loss of their own).
      for (std::size_t j = 0; j < node.inputs.size() && j < 32; ++j)
        if (pass_writes_[k] >> j & 1u) d_out_[static_cast<std::size_t>(node.inputs[j])].zero();
      // Its variables' gradients are still last pass's: this pass's are zero.
      if (overwrites_grads_[k])
        for (Variable& v : node.impl->variables()) v.grad->zero();
      continue;
    }
    node_ctx.write_d_inputs = pass_writes_[k];
    pass_inputs_.clear();
    pass_d_inputs_.clear();
    for (int p : node.inputs) {
      pass_inputs_.push_back(node_data(p));
      if (nodes_[static_cast<std::size_t>(p)].is_input()) {
        // Model inputs need no gradient in training; an input-gradient pass asks for them.
        const int input = input_index_[static_cast<std::size_t>(p)];
        pass_d_inputs_.push_back(d_inputs.empty() ? nullptr : d_inputs[static_cast<std::size_t>(input)]);
      } else {
        pass_d_inputs_.push_back(d_out_[static_cast<std::size_t>(p)].data());
        has_grad_[static_cast<std::size_t>(p)] = 1;
      }
    }
    node.impl->backward(node_ctx, pass_inputs_, out_[k].data(), d_out_[k].data(), pass_d_inputs_);
  }
}

void Graph::backward(const PassContext& ctx, int output, const float* d_output) {
  backward(ctx, {GradientSeed{output_node(output), d_output}});
}

double Graph::added_loss() const {
  double sum = 0.0;
  for (const Node& n : nodes_)
    if (!n.is_input()) sum += n.impl->added_loss();
  return sum;
}

}  // namespace nnplay
