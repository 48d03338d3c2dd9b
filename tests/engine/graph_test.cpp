// The graph (nn/graph.h) beyond chains: a two-input, two-output graph with a shared layer,
// gradient-checked end to end; v2 spec errors; inspect; the registry's tables; the memory
// budget (sizes that wrap a 32-bit size_t are refused before anything is allocated).
#include "nn/graph.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "core/tensor.h"
#include "kernels/gemm.h"
#include "nn/registry.h"
#include "test_util.h"

namespace nnplay {
namespace {

using test::gradients_match;
using test::numeric_gradient;
using test::project;
using test::random_vector;

// a [3] -> shared (dense 4, tanh) ------------------------------> output 0
// b [2] -> proj (dense 3) -> shared (2nd call, same weights) -> head (dense 2, sigmoid) -> output 1
const char* kBranching = R"({"format":"nnplay-graph","seed":7,"layers":[
  {"name":"a","type":"input","config":{"shape":[3]}},
  {"name":"b","type":"input","config":{"shape":[2]}},
  {"name":"proj","type":"dense","config":{"units":3,"biasInitializer":"glorotUniform"},"inbound":[["b"]]},
  {"name":"shared","type":"dense","config":{"units":4,"activation":"tanh","biasInitializer":"glorotUniform"},
   "inbound":[["a"],[["proj",0,0]]]},
  {"name":"head","type":"dense","config":{"units":2,"activation":"sigmoid"},"inbound":[[["shared",1,0]]]}],
  "inputs":["a","b"],"outputs":[["shared",0,0],"head"]})";

TEST(Graph, BranchingSharedLayerGradientsMatchFiniteDifferences) {
  Graph g(parse_graph_spec(kBranching));
  ASSERT_EQ(g.num_inputs(), 2);
  ASSERT_EQ(g.num_outputs(), 2);
  EXPECT_EQ(g.output_shape(0), (Shape{4}));
  EXPECT_EQ(g.output_shape(1), (Shape{2}));
  // Shared: one kernel and bias for both calls.
  std::vector<std::string> names;
  for (const Variable& v : g.variables()) names.push_back(v.name);
  EXPECT_EQ(names, (std::vector<std::string>{"proj/kernel", "proj/bias", "shared/kernel", "shared/bias", "head/kernel",
                                             "head/bias"}));
  const int n = 3;
  std::vector<float> a = random_vector(n * 3, 1), b = random_vector(n * 2, 2);
  const std::vector<float> r0 = random_vector(n * 4, 3), r1 = random_vector(n * 2, 4);
  auto loss = [&] {
    g.forward(PassContext{false, nullptr, n}, {a.data(), b.data()});
    return project(g.output(0).data(), r0) + project(g.output(1).data(), r1);
  };
  loss();
  g.backward(PassContext{false, nullptr, n},
             {GradientSeed{g.output_node(0), r0.data()}, GradientSeed{g.output_node(1), r1.data()}});
  std::vector<std::vector<float>> grads;
  for (const Variable& v : g.variables()) grads.emplace_back(v.grad->data(), v.grad->data() + v.grad->size());
  for (std::size_t k = 0; k < grads.size(); ++k) {
    Variable& v = g.variables()[k];
    EXPECT_TRUE(
        gradients_match(grads[k].data(), numeric_gradient(v.value->data(), v.value->size(), 1e-2, loss), 1e-2, 3e-4))
        << v.name;
  }
  // The gradient reached proj only through the shared layer's second call.
  double proj_norm = 0;
  for (float x : grads[0]) proj_norm += std::fabs(x);
  EXPECT_GT(proj_norm, 1e-3);
  // A sub-model sharing the weights by name: the encoder path a -> shared.
  Graph encoder(parse_graph_spec(R"({"format":"nnplay-graph","layers":[
    {"name":"a","type":"input","config":{"shape":[3]}},
    {"name":"shared","type":"dense","config":{"units":4,"activation":"tanh"},"inbound":[["a"]]}],
    "outputs":["shared"]})"),
                g);
  EXPECT_EQ(encoder.variables()[0].value.get(), g.variables()[2].value.get());
  const Tensor& e = encoder.forward(a.data(), n);
  g.forward(PassContext{false, nullptr, n}, {a.data(), b.data()});
  EXPECT_TRUE(test::expect_near_all(e.data(), g.output(0).data(), e.size(), 0, 0));
  EXPECT_EQ(g.layer_output("head").shape(), (Shape{n, 2}));
  EXPECT_EQ(g.output_activation(1), ActivationKind::kSigmoid);
  EXPECT_EQ(g.fusable_output_activation(1), ActivationKind::kSigmoid);
}

// Gradient buffers whose only consumer writes them (relu, maxPooling2d) are not zeroed before
// backward. Here the relu output is also a model output with a seed of its own, which its pool
// must add to, not overwrite; and a second pass on the same graph (buffers holding the first
// pass's values) must give the very bits of a fresh graph.
const char* kWrittenGradients = R"({"format":"nnplay-graph","seed":5,"layers":[
  {"name":"x","type":"input","config":{"shape":[6,6,2]}},
  {"name":"conv","type":"conv2d","config":{"filters":3,"kernelSize":3,"padding":"same","activation":"relu",
   "biasInitializer":"glorotUniform"},"inbound":[["x"]]},
  {"name":"pool","type":"maxPooling2d","config":{"poolSize":2},"inbound":[["conv"]]},
  {"name":"conv2","type":"conv2d","config":{"filters":2,"kernelSize":2,"activation":"relu"},"inbound":[["pool"]]},
  {"name":"flat","type":"flatten","config":{},"inbound":[["conv2"]]},
  {"name":"head","type":"dense","config":{"units":3},"inbound":[["flat"]]}],
  "inputs":["x"],"outputs":["conv","head"]})";

TEST(Graph, WrittenGradientBuffersKeepSeedsAndLeaveNothingBehind) {
  Graph g(parse_graph_spec(kWrittenGradients));
  const int n = 2;
  const std::vector<float> x = random_vector(n * 6 * 6 * 2, 11);
  const std::vector<float> r0 = random_vector(n * 6 * 6 * 3, 12), r1 = random_vector(n * 3, 13);
  const PassContext ctx{false, nullptr, n};
  auto loss = [&] {
    g.forward(ctx, {x.data()});
    return project(g.output(0).data(), r0) + project(g.output(1).data(), r1);
  };
  loss();
  g.backward(ctx, {GradientSeed{g.output_node(0), r0.data()}, GradientSeed{g.output_node(1), r1.data()}});
  for (Variable& v : g.variables()) {
    const std::vector<float> grad(v.grad->data(), v.grad->data() + v.grad->size());
    EXPECT_TRUE(
        gradients_match(grad.data(), numeric_gradient(v.value->data(), v.value->size(), 1e-3, loss), 2e-2, 2e-3))
        << v.name;
  }
  // Second pass, head seed only, on buffers the first pass wrote; then a fresh graph.
  g.forward(ctx, {x.data()});
  g.backward(ctx, {GradientSeed{g.output_node(1), r1.data()}});
  Graph fresh(parse_graph_spec(kWrittenGradients));
  fresh.forward(ctx, {x.data()});
  fresh.backward(ctx, {GradientSeed{fresh.output_node(1), r1.data()}});
  ASSERT_EQ(g.variables().size(), fresh.variables().size());
  for (std::size_t k = 0; k < g.variables().size(); ++k) {
    const Tensor& a = *g.variables()[k].grad;
    const Tensor& b = *fresh.variables()[k].grad;
    ASSERT_EQ(a.size(), b.size());
    EXPECT_EQ(0, std::memcmp(a.data(), b.data(), a.size() * sizeof(float))) << g.variables()[k].name;
  }
}

TEST(Graph, DenseOnTheLastAxisOfAnyRank) {
  Graph g(parse_graph_spec(R"({"inputShape":[2,3],"seed":1,"layers":[{"units":2}]})"));
  EXPECT_EQ(g.output_shape(), (Shape{2, 2}));
  const std::vector<float> x = {1, 2, 3, 4, 5, 6};
  const Tensor& y = g.forward(x.data(), 1);
  const Tensor& w = *g.variables()[0].value;  // [3, 2]
  for (int row = 0; row < 2; ++row)
    for (int u = 0; u < 2; ++u) {
      float expect = 0;
      for (int f = 0; f < 3; ++f)
        expect += x[static_cast<std::size_t>(row * 3 + f)] * w[static_cast<std::size_t>(f * 2 + u)];
      EXPECT_NEAR(y[static_cast<std::size_t>(row * 2 + u)], expect, 1e-6);
    }
}

TEST(Graph, SpecErrorsNameTheLayer) {
  auto v2 = [](const std::string& layers, const std::string& outputs) {
    return parse_graph_spec(
        R"({"format":"nnplay-graph","layers":[{"name":"x","type":"input","config":{"shape":[2]}},)" + layers +
        R"(],"outputs":)" + outputs + "}");
  };
  EXPECT_ERROR_CONTAINS(v2(R"({"name":"d","type":"dense","config":{"units":2},"inbound":[["nope"]]})", R"(["d"])"),
                        "layer \"d\" (dense)", "\"nope\"", "no layer");
  EXPECT_ERROR_CONTAINS(v2(R"({"name":"d","type":"dense","config":{"units":2},"inbound":[["e"]]},
                              {"name":"e","type":"dense","config":{"units":2},"inbound":[["d"]]})",
                           R"(["e"])"),
                        "cycle");
  EXPECT_ERROR_CONTAINS(v2(R"({"name":"x","type":"dense","config":{"units":2},"inbound":[["x"]]})", R"(["x"])"),
                        "used twice");
  EXPECT_ERROR_CONTAINS(v2(R"({"name":"d","type":"dense","config":{"units":"8"},"inbound":[["x"]]})", R"(["d"])"),
                        "units must be an integer", "the string \"8\"");
  EXPECT_ERROR_CONTAINS(v2(R"({"name":"d","type":"dense","config":{"units":{}},"inbound":[["x"]]})", R"(["d"])"),
                        "got an object");
  EXPECT_ERROR_CONTAINS(v2(R"({"name":"d","type":"dense","config":{"units":2},"inbound":[["x","x"]]})", R"(["d"])"),
                        "takes 1 input", "got 2");
  EXPECT_ERROR_CONTAINS(v2(R"({"name":"d","type":"dense","config":{"units":2},"inbound":[["x"]]})", R"(["x"])"),
                        "is an input layer");
}

TEST(Inspect, ShapesVariablesAndParamsWithoutBuilding) {
  const std::string out = inspect_model(kBranching);
  EXPECT_NE(out.find(R"("name":"shared/kernel","shape":[3,4],"trainable":true)"), std::string::npos) << out;
  EXPECT_NE(out.find(R"("totalParams":)" + std::to_string(2 * 3 + 3 + 3 * 4 + 4 + 4 * 2 + 2)), std::string::npos)
      << out;
  EXPECT_NE(out.find(R"("outputShape":[2])"), std::string::npos) << out;
  const std::string v1 =
      inspect_model(R"({"inputShape":[28,28,1],"layers":[{"type":"conv2d","filters":8,"kernelSize":3},
                                          {"type":"flatten"},{"units":10,"activation":"softmax"}]})");
  EXPECT_NE(v1.find(R"("name":"conv2d_1")"), std::string::npos) << v1;
  EXPECT_NE(v1.find(R"("outputShape":[26,26,8])"), std::string::npos) << v1;
  EXPECT_NE(v1.find(R"("name":"dense_3/kernel","shape":[5408,10])"), std::string::npos) << v1;
  EXPECT_NE(inspect_model("{bad").find(R"("error":)"), std::string::npos);
  // A model far over the budget is described, not allocated.
  const std::string big = inspect_model(R"({"inputShape":[100000],"layers":[{"units":100000}]})");
  EXPECT_NE(big.find("error"), std::string::npos);
  EXPECT_NE(big.find("10000000000"), std::string::npos) << big;
}

TEST(Registry, AliasesDefaultsAndAllowedLists) {
  EXPECT_EQ(find_loss("mse").name, "meanSquaredError");
  EXPECT_EQ(find_loss("binary_crossentropy").name, "binaryCrossentropy");
  EXPECT_EQ(find_loss("sparse_categorical_crossentropy").kind, LossKind::kSparseCategoricalCrossentropy);
  EXPECT_EQ(find_metric("acc").log_name, "acc");
  EXPECT_EQ(find_metric("meanAbsoluteError").log_name, "mae");
  EXPECT_EQ(find_activation("leaky_relu").kind, ActivationKind::kLeakyRelu);
  EXPECT_FLOAT_EQ(find_activation("elu").default_alpha, 1.0f);
  EXPECT_EQ(find_initializer("glorot_uniform").name, "glorotUniform");
  EXPECT_EQ(find_layer_type("MaxPooling2D", "x").name, "maxPooling2d");
  EXPECT_FLOAT_EQ(find_optimizer("adam").defaults.learning_rate, 0.001f);
  EXPECT_FLOAT_EQ(find_optimizer("momentum").defaults.momentum, 0.9f);
  EXPECT_ERROR_CONTAINS(find_loss("sparseCategoricalHinge"), "unknown loss \"sparseCategoricalHinge\"",
                        "meanSquaredError, binaryCrossentropy");
  EXPECT_ERROR_CONTAINS(find_metric("auc"), "accuracy (or acc)", "mae");
  EXPECT_ERROR_CONTAINS(find_layer_type("transformer", "layer 3"), "layer 3", "dense, conv2d, maxPooling2d, flatten",
                        "simpleRNN, lstm, gru");
  // A dense spec's defaults come from its row.
  const Config c = parse_layer_config(find_layer_type("dense", "x"), R"({"units":3})", "x");
  EXPECT_EQ(c.string("activation"), "linear");
  EXPECT_TRUE(c.boolean("useBias"));
  EXPECT_TRUE(c.is_null("kernelRegularizer"));
  // The lists the bindings hand to the library.
  const std::string tables = engine_tables_json();
  for (const std::string& name : layer_type_names()) EXPECT_NE(tables.find("\"" + name + "\""), std::string::npos);
  EXPECT_NE(tables.find("\"binary_crossentropy\""), std::string::npos);
  EXPECT_NE(tables.find("\"logName\":\"acc\""), std::string::npos);
}

// The tables are constant arrays assembled at compile time (layer_table() from four files):
// every name and alias finds its own row (none is shadowed by an earlier row's), and every
// layer row but the input, which is last, ends with the "trainable" key.
TEST(Registry, EveryNameAndAliasFindsItsOwnRow) {
  const Span<const LayerType*> layers = layer_table();
  ASSERT_EQ(layers.size(), layer_type_names().size());
  for (std::size_t i = 0; i < layers.size(); ++i) {
    const LayerType& row = *layers[i];
    ASSERT_FALSE(row.name.empty()) << "layer row " << i;
    EXPECT_EQ(&find_layer_type(std::string(row.name), "x"), &row);
    for (std::string_view alias : row.aliases) EXPECT_EQ(&find_layer_type(std::string(alias), "x"), &row) << alias;
    if (i + 1 == layers.size()) {
      EXPECT_EQ(row.name, "input");
    } else {
      ASSERT_FALSE(row.keys.empty()) << row.name;
      EXPECT_EQ(row.keys[row.keys.size() - 1].name, "trainable") << row.name;
    }
  }
  for (const ActivationInfo& row : activation_table()) {
    EXPECT_EQ(&find_activation(std::string(row.name)), &row);
    for (std::string_view alias : row.aliases) EXPECT_EQ(&find_activation(std::string(alias)), &row) << alias;
  }
  for (const InitializerInfo& row : initializer_table())
    for (std::string_view alias : row.aliases) EXPECT_EQ(&find_initializer(std::string(alias)), &row) << alias;
  for (const LossInfo& row : loss_table())
    for (std::string_view alias : row.aliases) EXPECT_EQ(&find_loss(std::string(alias)), &row) << alias;
  for (const MetricInfo& row : metric_table())
    for (std::string_view alias : row.aliases) EXPECT_EQ(&find_metric(std::string(alias)), &row) << alias;
  for (const OptimizerInfo& row : optimizer_table()) {
    EXPECT_EQ(&find_optimizer(std::string(row.name)), &row);
    EXPECT_EQ(row.default_spec().name, row.name);
  }
  for (const ScheduleInfo& row : schedule_table())
    for (std::string_view alias : row.aliases) EXPECT_EQ(&find_schedule(std::string(alias)), &row) << alias;
}

// Issue 6 §4: wasm's size_t is 32 bits; these sizes wrapped it and killed the module.
TEST(MemoryBudget, HugeDenseLayersAreErrorsNamingTheLayerAndNothingIsAllocated) {
  EXPECT_ERROR_CONTAINS(Graph(parse_graph_spec(R"({"layers":[{"inputShape":[32768],"units":32769}]})")),
                        "layer 0 (dense)", "kernel [32768, 32769]", "1073774592");
  EXPECT_ERROR_CONTAINS(Graph(parse_graph_spec(R"({"inputShape":[100000],"layers":[{"units":100000}]})")),
                        "layer 0 (dense)", "10000000000");
  // Many layers each under the per-tensor cap can still exceed the model budget.
  std::string layers;
  for (int i = 0; i < 6; ++i) layers += std::string(i ? "," : "") + R"({"units":4096})";
  EXPECT_ERROR_CONTAINS(Graph(parse_graph_spec(R"({"inputShape":[4096],"layers":[)" + layers + "]}")), "weights",
                        "MiB");
  // And the engine goes on working.
  Graph ok(parse_graph_spec(R"({"inputShape":[2],"layers":[{"units":3}]})"));
  const float x[2] = {1, 2};
  EXPECT_EQ(ok.forward(x, 1).size(), 3u);
}

TEST(MemoryBudget, TensorRefusesSizesBeyondTheAddressSpace) {
  EXPECT_ERROR_CONTAINS(Tensor(Shape{1 << 21, 1 << 21, 4}), "elements", "more than this platform can address");
  if (sizeof(std::size_t) == 4) EXPECT_ERROR_CONTAINS(Tensor(Shape{32768, 32769}), "more than this platform");
}

TEST(Gemm, ReferenceWithNoColumnsReadsNothing) {
  // n == 0: C is empty, so A (null here) must not be read; k > 0 and m > 0 made the loop read it.
  float c = 42.0f;
  gemm_ref(false, false, 3, 0, 5, 1.0f, nullptr, 5, nullptr, 0, 0.0f, &c, 0);
  gemm_ref(true, true, 3, 0, 5, 1.0f, nullptr, 3, nullptr, 5, 1.0f, &c, 0);
  EXPECT_EQ(c, 42.0f);
}

}  // namespace
}  // namespace nnplay
