// Test helper: a Sequential (v1) spec written as a struct in code, turned into its v1 JSON and
// built as the chain Graph the engine makes of it, plus the few conveniences the older tests
// read (params(), layer(i), backward from a Tensor). The engine has no Sequential class: a
// Sequential is a chain of nn/graph.h; this only keeps the tests short.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/strings.h"
#include "nn/graph.h"
#include "nn/registry.h"

namespace nnplay {

struct LayerSpec {
  std::string type = "dense";
  int units = 0;
  int filters = 0;
  int kernel_h = 0, kernel_w = 0;
  int stride_h = 0, stride_w = 0;  // 0: the type's default
  std::string padding = "valid";
  std::string activation = "linear";
  float activation_alpha = -1.0f;  // < 0: the activation's default
  std::string kernel_initializer = "glorotUniform";
  std::string bias_initializer = "zeros";
  bool use_bias = true;
  float l1 = 0.0f, l2 = 0.0f;
};

struct ModelSpec {
  Shape input_shape;
  std::vector<LayerSpec> layers;
  std::uint64_t seed = 0;
};

inline std::string number_text(double x) {
  Message m;
  m << x;
  return m.str();
}

inline std::string to_v1_json(const ModelSpec& s) {
  std::string j =
      "{\"inputShape\":" + shape_to_string(s.input_shape) + ",\"seed\":" + std::to_string(s.seed) + ",\"layers\":[";
  for (std::size_t i = 0; i < s.layers.size(); ++i) {
    const LayerSpec& l = s.layers[i];
    if (i) j += ",";
    j += "{\"type\":\"" + l.type + "\"";
    if (l.type == "dense") j += ",\"units\":" + std::to_string(l.units);
    if (l.type == "conv2d") j += ",\"filters\":" + std::to_string(l.filters);
    if (l.type == "conv2d")
      j += ",\"kernelSize\":[" + std::to_string(l.kernel_h) + "," + std::to_string(l.kernel_w) + "]";
    if (l.type == "maxPooling2d" && l.kernel_h)
      j += ",\"poolSize\":[" + std::to_string(l.kernel_h) + "," + std::to_string(l.kernel_w) + "]";
    if ((l.type == "conv2d" || l.type == "maxPooling2d") && l.stride_h)
      j += ",\"strides\":[" + std::to_string(l.stride_h) + "," + std::to_string(l.stride_w) + "]";
    if (l.type == "conv2d" || l.type == "maxPooling2d") j += ",\"padding\":\"" + l.padding + "\"";
    if (l.type == "dense" || l.type == "conv2d") {
      j += ",\"activation\":\"" + l.activation + "\"";
      if (l.activation_alpha >= 0) j += ",\"alpha\":" + number_text(l.activation_alpha);
      j += ",\"kernelInitializer\":\"" + l.kernel_initializer + "\",\"biasInitializer\":\"" + l.bias_initializer +
           "\",\"useBias\":" + (l.use_bias ? "true" : "false");
      if (l.l1 > 0 || l.l2 > 0)
        j += ",\"kernelRegularizer\":{\"l1\":" + number_text(l.l1) + ",\"l2\":" + number_text(l.l2) + "}";
    } else if (l.activation != "linear") {
      j += ",\"activation\":\"" + l.activation + "\"";  // rejected by the table: tests rely on that
    }
    j += "}";
  }
  return j + "]}";
}

inline GraphSpec graph_spec(const ModelSpec& s) { return parse_graph_spec(to_v1_json(s)); }

// A layer of the chain as the older tests look at it.
struct ChainLayerView {
  const LayerInfo* info;
  const char* type() const { return info->type.c_str(); }
  const Shape& output_shape() const { return info->output_shape; }
  int output_size() const { return static_cast<int>(shape_size64(info->output_shape)); }
};

class Sequential : public Graph {
 public:
  explicit Sequential(const ModelSpec& s) : Graph(graph_spec(s)) {}
  explicit Sequential(const GraphSpec& s) : Graph(s) {}

  std::vector<Variable>& params() { return variables(); }
  ChainLayerView layer(int i) const { return ChainLayerView{&layer_info(i)}; }
  // Backward from the gradient w.r.t. the output (an inference-mode pass, as forward(x, n)).
  void backward(const Tensor& d_output) { Graph::backward(ctx(), 0, d_output.data()); }
  // Backward from the gradient w.r.t. the output activation's input (fused losses).
  void backward_pre_activation(const Tensor& d_pre) {
    Graph::backward(ctx(), {GradientSeed{pre_activation_node(0), d_pre.data()}});
  }

 private:
  PassContext ctx() const { return PassContext{false, nullptr, output(0).dim(0)}; }
};

inline std::vector<Shape> layer_output_shapes(const GraphSpec& spec) {
  Graph g(spec);
  std::vector<Shape> shapes;
  for (int i = 0; i < g.num_layers(); ++i) shapes.push_back(g.layer_info(i).output_shape);
  return shapes;
}

}  // namespace nnplay

namespace nnplay {

// One layer built through its table row, outside any graph: config parsed and checked, output
// shape from the shape rule, variables allocated and initialised from `seed`.
struct BuiltLayer {
  std::unique_ptr<Config> config;
  std::vector<Variable> variables;
  Shape output_shape;
  std::unique_ptr<Layer> layer;
};

inline BuiltLayer build_layer(const std::string& type_name, const std::string& config_json, std::vector<Shape> inputs,
                              std::uint64_t seed = 1) {
  const LayerType& type = find_layer_type(type_name, "test layer");
  BuiltLayer b;
  b.config = std::make_unique<Config>(parse_layer_config(type, config_json, "test layer"));
  std::vector<std::string> desc(inputs.size(), "the test input");
  b.output_shape = type.output_shape(inputs, *b.config, "test layer", desc);
  Rng rng(seed);
  if (type.variables) {
    for (const VariableSpec& vs : type.variables(inputs, *b.config)) {
      Variable v;
      v.name = "test/" + vs.suffix;
      v.value = std::make_shared<Tensor>(vs.shape);
      v.grad = std::make_shared<Tensor>(vs.shape);
      v.trainable = vs.trainable;
      initialize_variable(vs, *v.value, rng);
      b.variables.push_back(v);
    }
  }
  LayerArgs args;
  args.input_shapes = inputs;
  args.output_shape = b.output_shape;
  args.config = b.config.get();
  args.variables = b.variables;
  b.layer = type.make(args);
  return b;
}

}  // namespace nnplay
