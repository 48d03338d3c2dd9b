// The layers of issue 6 §2 as rows of the layer table, through the graph: a graph using every one
// of them builds, inspects and gradient-checks end to end (training and inference passes);
// dropout is the identity at inference and masks in training; batchNormalization's moving
// statistics update in a Trainer step (skipped by the optimizer) and are used at inference.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "core/json.h"
#include "core/tensor.h"
#include "data/dataset.h"
#include "nn/graph.h"
#include "nn/registry.h"
#include "test_util.h"
#include "train/trainer.h"

namespace nnplay {
namespace {

using test::gradients_match;
using test::numeric_gradient;
using test::project;
using test::random_vector;

// img [4, 4, 2] -> bn -> avg (2x2) [2, 2, 2] -> flat (reshape [null]) [8] -+
//                    +-> gap [2] -----------------------------------------+-> cat [10] -> drop -> d1 (dense 3) -+
// v [5] -> d2 (dense 3, tanh) ---------------------------------------------------------------------------------+-> sum
// (add)
const char* kAllNewLayers = R"({"format":"nnplay-graph","seed":11,"layers":[
  {"name":"img","type":"input","config":{"shape":[4,4,2]}},
  {"name":"v","type":"input","config":{"shape":[5]}},
  {"name":"bn","type":"batchNormalization","config":{"momentum":0.9,"betaInitializer":"glorotUniform",
   "gammaInitializer":"glorotUniform"},"inbound":[["img"]]},
  {"name":"avg","type":"averagePooling2d","config":{"poolSize":2},"inbound":[["bn"]]},
  {"name":"flat","type":"reshape","config":{"targetShape":[null]},"inbound":[["avg"]]},
  {"name":"gap","type":"globalAveragePooling2d","inbound":[["bn"]]},
  {"name":"cat","type":"concatenate","config":{"axis":-1},"inbound":[["flat","gap"]]},
  {"name":"drop","type":"dropout","config":{"rate":0.25,"seed":5},"inbound":[["cat"]]},
  {"name":"d1","type":"dense","config":{"units":3,"biasInitializer":"glorotUniform"},"inbound":[["drop"]]},
  {"name":"d2","type":"dense","config":{"units":3,"activation":"tanh"},"inbound":[["v"]]},
  {"name":"sum","type":"add","inbound":[["d1","d2"]]}],
  "inputs":["img","v"],"outputs":["sum"]})";

std::vector<std::string> names_of(const std::vector<Variable>& vars) {
  std::vector<std::string> names;
  for (const Variable& v : vars) names.push_back(v.name);
  return names;
}

TEST(GraphLayersV2, EveryNewLayerBuildsAndInspects) {
  Graph g(parse_graph_spec(kAllNewLayers));
  EXPECT_EQ(g.output_shape(0), (Shape{3}));
  EXPECT_EQ(g.layer_info(g.find_layer("avg")).output_shape, (Shape{2, 2, 2}));
  EXPECT_EQ(g.layer_info(g.find_layer("flat")).output_shape, (Shape{8}));
  EXPECT_EQ(g.layer_info(g.find_layer("gap")).output_shape, (Shape{2}));
  EXPECT_EQ(g.layer_info(g.find_layer("cat")).output_shape, (Shape{10}));
  EXPECT_EQ(names_of(g.variables()),
            (std::vector<std::string>{"bn/gamma", "bn/beta", "bn/moving_mean", "bn/moving_variance", "d1/kernel",
                                      "d1/bias", "d2/kernel", "d2/bias"}));
  EXPECT_TRUE(g.variables()[0].trainable && g.variables()[1].trainable);
  EXPECT_FALSE(g.variables()[2].trainable || g.variables()[3].trainable);
  EXPECT_FALSE(g.variables()[2].grad);  // optimizers have nothing to read
  for (float m : std::vector<float>(g.variables()[2].value->data(), g.variables()[2].value->data() + 2))
    EXPECT_EQ(m, 0.0f);
  for (float v : std::vector<float>(g.variables()[3].value->data(), g.variables()[3].value->data() + 2))
    EXPECT_EQ(v, 1.0f);

  const JsonDocument doc = parse_json(inspect_model(kAllNewLayers), "inspect_model: ");
  const JsonValue j = doc.root();
  ASSERT_FALSE(j.contains("error")) << j.dump();
  EXPECT_EQ(j["nonTrainableParams"].dump(), "4");  // moving_mean [2], moving_variance [2]
  EXPECT_EQ(j["trainableParams"].as_int64(), 4 + 10 * 3 + 3 + 5 * 3 + 3);
  int checked = 0;
  for (JsonValue layer : j["layers"]) {
    if (layer["name"].as_string() == "bn") {
      ASSERT_EQ(layer["variables"].size(), 4u);
      EXPECT_EQ(layer["variables"][2]["name"].as_string(), "bn/moving_mean");
      EXPECT_EQ(layer["variables"][2]["trainable"].dump(), "false");
      EXPECT_EQ(layer["config"]["movingVarianceInitializer"].as_string(), "ones");
      ++checked;
    }
    if (layer["name"].as_string() == "cat") {
      EXPECT_EQ(layer["outputShape"].dump(), "[10]");
      ++checked;
    }
  }
  EXPECT_EQ(checked, 2);
}

// Σ r·out against central differences for every trainable variable, the pass's Rng re-seeded on
// every forward so dropout draws the same mask in every evaluation.
void check_graph_gradients(Graph& g, bool training, const std::vector<std::vector<float>>& inputs, int n) {
  const std::vector<float> r = random_vector(static_cast<std::size_t>(n) * g.output_size(0), 77);
  Rng rng(0);
  auto loss = [&] {
    rng = Rng(123);
    std::vector<const float*> ptrs;
    for (const auto& x : inputs) ptrs.push_back(x.data());
    g.forward(PassContext{training, &rng, n}, ptrs);
    return project(g.output(0).data(), r);
  };
  loss();
  rng = Rng(123);
  std::vector<const float*> ptrs;
  for (const auto& x : inputs) ptrs.push_back(x.data());
  g.forward(PassContext{training, &rng, n}, ptrs);
  g.backward(PassContext{training, &rng, n}, 0, r.data());
  std::vector<std::vector<float>> grads;
  for (const Variable& v : g.variables())
    grads.emplace_back(v.grad ? std::vector<float>(v.grad->data(), v.grad->data() + v.grad->size())
                              : std::vector<float>());
  for (std::size_t k = 0; k < grads.size(); ++k) {
    Variable& v = g.variables()[k];
    if (!v.trainable) continue;
    EXPECT_TRUE(
        gradients_match(grads[k].data(), numeric_gradient(v.value->data(), v.value->size(), 1e-2, loss), 2e-2, 5e-4))
        << v.name << (training ? " (training)" : " (inference)");
  }
}

TEST(GraphLayersV2, GradientsMatchFiniteDifferencesInTrainingAndInference) {
  Graph g(parse_graph_spec(kAllNewLayers));
  const int n = 3;
  const std::vector<std::vector<float>> inputs = {random_vector(n * 32, 1, -2.0f, 2.0f), random_vector(n * 5, 2)};
  check_graph_gradients(g, true, inputs, n);
  // Inference uses the moving statistics: make them something other than 0 and 1 first.
  for (int i = 0; i < 2; ++i) {
    (*g.variables()[2].value)[static_cast<std::size_t>(i)] = 0.3f * (i + 1);
    (*g.variables()[3].value)[static_cast<std::size_t>(i)] = 0.5f + i;
  }
  check_graph_gradients(g, false, inputs, n);
}

TEST(GraphLayersV2, DropoutIsTheIdentityAtInferenceAndMasksInTraining) {
  Graph g(parse_graph_spec(R"({"format":"nnplay-graph","seed":3,"layers":[
    {"name":"x","type":"input","config":{"shape":[50]}},
    {"name":"drop","type":"dropout","config":{"rate":0.4},"inbound":[["x"]]}],"outputs":["drop"]})"));
  const int n = 4;
  const std::vector<float> x = random_vector(n * 50, 9, 0.5f, 1.5f);
  const Tensor& inference = g.forward(x.data(), n);
  EXPECT_TRUE(test::expect_near_all(inference.data(), x.data(), x.size(), 0, 0));
  std::vector<float> out(x.size());
  g.predict(out.data(), x.data(), n);
  EXPECT_TRUE(test::expect_near_all(out.data(), x.data(), x.size(), 0, 0));

  Rng rng(42);
  g.forward(PassContext{true, &rng, n}, {x.data()});
  const Tensor& trained = g.output(0);
  int dropped = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (trained[i] == 0.0f) {
      ++dropped;
    } else {
      EXPECT_FLOAT_EQ(trained[i], x[i] / 0.6f) << i;  // kept values scaled by 1 / (1 - rate)
    }
  }
  EXPECT_GT(dropped, 40);  // about 80 of 200
  EXPECT_LT(dropped, 120);
  // Same stream, same mask.
  std::vector<float> first(trained.data(), trained.data() + trained.size());
  Rng again(42);
  g.forward(PassContext{true, &again, n}, {x.data()});
  EXPECT_TRUE(test::expect_near_all(g.output(0).data(), first.data(), first.size(), 0, 0));
}

TEST(GraphLayersV2, DropoutInATrainerStepMasksTheGradient) {
  // rate 0.5 on the input of a dense layer: the kernel rows of dropped features get no
  // gradient, so with one sample some rows stay exactly at their initial values.
  Graph g(parse_graph_spec(R"({"format":"nnplay-graph","seed":3,"layers":[
    {"name":"x","type":"input","config":{"shape":[40]}},
    {"name":"drop","type":"dropout","config":{"rate":0.5},"inbound":[["x"]]},
    {"name":"d","type":"dense","config":{"units":1},"inbound":[["drop"]]}],"outputs":["d"]})"));
  Dataset data;
  data.x = Tensor({1, 40});
  data.y = Tensor({1, 1});
  for (int i = 0; i < 40; ++i) data.x[static_cast<std::size_t>(i)] = 1.0f;
  data.y[0] = 5.0f;
  const std::vector<float> before(g.variables()[0].value->data(), g.variables()[0].value->data() + 40);
  CompileSpec c;
  c.optimizer.name = "sgd";
  c.optimizer.learning_rate = 0.1f;
  Trainer t(g, c);
  t.train_steps(data, 1, 1, false);
  int unchanged = 0;
  for (int i = 0; i < 40; ++i)
    unchanged += (*g.variables()[0].value)[static_cast<std::size_t>(i)] == before[static_cast<std::size_t>(i)];
  EXPECT_GT(unchanged, 5);
  EXPECT_LT(unchanged, 35);
}

TEST(GraphLayersV2, BatchNormMovingStatisticsUpdateInATrainerStepAndServeInference) {
  Graph g(parse_graph_spec(R"({"format":"nnplay-graph","seed":5,"layers":[
    {"name":"x","type":"input","config":{"shape":[2]}},
    {"name":"bn","type":"batchNormalization","config":{"momentum":0.75,"epsilon":0.01},"inbound":[["x"]]},
    {"name":"d","type":"dense","config":{"units":1},"inbound":[["bn"]]}],"outputs":["d"]})"));
  Dataset data;
  data.x = Tensor({4, 2});
  data.y = Tensor({4, 1});
  const float xs[8] = {1, 10, 2, 20, 3, 30, 6, 0};  // column 0: mean 3, var 3.5; column 1: mean 15, var 125
  for (int i = 0; i < 8; ++i) data.x[static_cast<std::size_t>(i)] = xs[i];
  for (int i = 0; i < 4; ++i) data.y[static_cast<std::size_t>(i)] = static_cast<float>(i);
  CompileSpec c;
  c.optimizer.name = "sgd";
  c.optimizer.learning_rate = 0.05f;
  Trainer t(g, c);
  t.train_steps(data, 1, 4, false);
  const Tensor& mm = *g.variables()[2].value;
  const Tensor& mv = *g.variables()[3].value;
  // moving = moving − (moving − batch)·(1 − momentum): 0 → 0.25·3, 1 → 1 − (1 − 3.5)·0.25.
  EXPECT_NEAR(mm[0], 0.75, 1e-6);
  EXPECT_NEAR(mm[1], 3.75, 1e-5);
  EXPECT_NEAR(mv[0], 1.625, 1e-5);
  EXPECT_NEAR(mv[1], 1 + 124 * 0.25, 1e-4);
  // gamma and beta moved (trained); the moving statistics are no optimizer's business.
  EXPECT_NE((*g.variables()[0].value)[0], 1.0f);
  EXPECT_NE((*g.variables()[1].value)[0], 0.0f);
  // Inference normalises with the moving statistics.
  const float probe[2] = {2.0f, -1.0f};
  g.forward(probe, 1);
  const Tensor& bn = g.layer_output("bn");
  const Tensor& gamma = *g.variables()[0].value;
  const Tensor& beta = *g.variables()[1].value;
  for (int ch = 0; ch < 2; ++ch) {
    const double want = (probe[ch] - mm[static_cast<std::size_t>(ch)]) /
                            std::sqrt(mv[static_cast<std::size_t>(ch)] + 0.01) * gamma[static_cast<std::size_t>(ch)] +
                        beta[static_cast<std::size_t>(ch)];
    EXPECT_NEAR(bn[static_cast<std::size_t>(ch)], want, 1e-5) << ch;
  }
  // Evaluate changes no moving statistic.
  const float mm0 = mm[0];
  t.evaluate(data, 4);
  EXPECT_EQ(mm[0], mm0);
}

TEST(GraphLayersV2, RowErrorsNameTheLayer) {
  auto spec = [](const std::string& layer) {
    return R"({"format":"nnplay-graph","layers":[{"name":"x","type":"input","config":{"shape":[4,4,2]}},)" + layer +
           R"(],"outputs":["l"]})";
  };
  EXPECT_ERROR_CONTAINS(
      parse_graph_spec(spec(R"({"name":"l","type":"dropout","config":{"rate":1},"inbound":[["x"]]})")),
      "layer \"l\" (dropout)", "rate", "[0, 1)");
  EXPECT_ERROR_CONTAINS(parse_graph_spec(spec(R"({"name":"l","type":"dropout","inbound":[["x"]]})")),
                        "missing \"rate\"");
  EXPECT_ERROR_CONTAINS(
      parse_graph_spec(spec(R"({"name":"l","type":"reshape","config":{"targetShape":[5,-1]},"inbound":[["x"]]})")),
      "layer \"l\" (reshape)", "cannot infer");
  EXPECT_ERROR_CONTAINS(
      parse_graph_spec(spec(R"({"name":"l","type":"batchNormalization","config":{"axis":1},"inbound":[["x"]]})")),
      "layer \"l\" (batchNormalization)", "only axis -1");
  EXPECT_ERROR_CONTAINS(parse_graph_spec(spec(R"({"name":"l","type":"add","inbound":[["x"]]})")), "layer \"l\" (add)",
                        "2 or more inputs");
  EXPECT_ERROR_CONTAINS(
      parse_graph_spec(
          spec(R"({"name":"l","type":"batchNormalization","config":{"gammaInitializer":"twos"},"inbound":[["x"]]})")),
      "gammaInitializer", "allowed");
  EXPECT_ERROR_CONTAINS(
      parse_graph_spec(spec(R"({"name":"l","type":"averagePooling2d","config":{"poolSize":5},"inbound":[["x"]]})")),
      "layer \"l\" (averagePooling2d)", "does not fit");
  // v1 Sequential specs reach the rows too.
  Graph seq(parse_graph_spec(R"({"inputShape":[3],"layers":[{"type":"dense","units":4},{"type":"dropout","rate":0.5},
    {"type":"batchNormalization"},{"type":"dense","units":1}]})"));
  EXPECT_EQ(names_of(seq.variables())[2], "batchNormalization_3/gamma");
}

}  // namespace
}  // namespace nnplay
