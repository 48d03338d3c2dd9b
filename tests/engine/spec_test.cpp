// Spec parsing and validation: defaults as TF.js, and every rejection names what was wrong and
// what is allowed.
#include <gtest/gtest.h>

#include <string>

#include "chain.h"
#include "nn/graph.h"
#include "nn/registry.h"
#include "test_util.h"
#include "train/trainer.h"

namespace nnplay {
namespace {

const char* kModel =
    R"({"inputShape":[2],"seed":42,"layers":[
         {"type":"dense","units":8,"activation":"tanh","kernelRegularizer":{"l2":0.001}},
         {"units":1,"activation":"sigmoid","kernelInitializer":"heNormal","useBias":false}]})";

TEST(ModelSpecParse, ReadsFieldsAndDefaults) {
  GraphSpec s = parse_graph_spec(kModel);
  EXPECT_EQ(s.seed, 42u);
  ASSERT_EQ(s.layers.size(), 3u);  // the input, then the two layers
  EXPECT_EQ(s.layers[0].type, "input");
  EXPECT_EQ(s.layers[0].config.shape("shape"), (Shape{2}));
  EXPECT_EQ(s.layers[1].name, "dense_1");
  EXPECT_EQ(s.layers[2].name, "dense_2");
  EXPECT_EQ(s.layers[1].config.integer("units"), 8);
  EXPECT_EQ(s.layers[1].config.string("activation"), "tanh");
  EXPECT_EQ(s.layers[1].config.string("kernelInitializer"), "glorotUniform");
  EXPECT_FLOAT_EQ(s.layers[1].config.at("kernelRegularizer").l2, 0.001f);
  EXPECT_FLOAT_EQ(s.layers[1].config.at("kernelRegularizer").l1, 0.0f);
  EXPECT_EQ(s.layers[2].config.string("kernelInitializer"), "heNormal");
  EXPECT_FALSE(s.layers[2].config.boolean("useBias"));
  EXPECT_EQ(s.layers[2].inbound.at(0).at(0).layer, "dense_1");
}

TEST(ModelSpecParse, InputShapeOnFirstLayerLikeTfjs) {
  GraphSpec s = parse_graph_spec(R"({"layers":[{"inputShape":[3],"units":2}]})");
  EXPECT_EQ(s.layers[0].config.shape("shape"), (Shape{3}));
  EXPECT_EQ(s.layers[1].config.string("activation"), "linear");
  EXPECT_ERROR_CONTAINS(parse_graph_spec(R"({"layers":[{"units":2},{"inputShape":[3],"units":2}]})"),
                        "only allowed on the first layer");
}

TEST(ModelSpecParse, Rejections) {
  EXPECT_ERROR_CONTAINS(parse_graph_spec(R"({"layers":[{"units":2}]})"), "missing inputShape");
  EXPECT_ERROR_CONTAINS(parse_graph_spec(R"({"inputShape":[2],"layers":[{"units":0}]})"), "layer 0", "units", "got 0");
  EXPECT_ERROR_CONTAINS(parse_graph_spec(R"({"inputShape":[2],"layers":[{"units":-3}]})"), "units", "got -3");
  EXPECT_ERROR_CONTAINS(parse_graph_spec(R"({"inputShape":[2],"layers":[{"units":2.5}]})"), "units", "integer");
  EXPECT_ERROR_CONTAINS(
      parse_graph_spec(R"({"inputShape":[2],"layers":[{"units":4},{"units":2,"activation":"swoosh"}]})"), "layer 1",
      "unknown activation \"swoosh\"", "linear, relu, leakyRelu, elu, sigmoid, tanh, softmax, hardSigmoid");
  EXPECT_ERROR_CONTAINS(
      parse_graph_spec(R"({"inputShape":[2],"layers":[{"units":2,"kernelInitializer":"lecunNormal"}]})"),
      "kernelInitializer \"lecunNormal\"", "glorotUniform, heNormal, zeros, ones, orthogonal");
  EXPECT_ERROR_CONTAINS(parse_graph_spec(R"({"inputShape":[2],"layers":[{"units":2,"kernelRegularizer":{"l2":-1}}]})"),
                        "l2", ">= 0");
  EXPECT_ERROR_CONTAINS(parse_graph_spec(R"({"inputShape":[2],"layers":[{"units":2,"activaton":"relu"}]})"),
                        "unknown field \"activaton\"", "activation");
  EXPECT_ERROR_CONTAINS(parse_graph_spec(R"({"inputShape":[0],"layers":[{"units":2}]})"), "inputShape", "positive");
  EXPECT_ERROR_CONTAINS(parse_graph_spec(R"({"inputShape":[2],"layers":[]})"), "at least one layer");
  EXPECT_ERROR_CONTAINS(parse_graph_spec(R"({"inputShape":[2],"layers":[{"type":"conv3d","units":2}]})"),
                        "layer type \"conv3d\"", "dense, conv2d, maxPooling2d, flatten");
  EXPECT_ERROR_CONTAINS(parse_graph_spec(R"({"inputShape":[2],"layers":[{"units":2,"activation":"elu","alpha":-1}]})"),
                        "alpha", ">= 0");
  EXPECT_FLOAT_EQ(parse_graph_spec(R"({"inputShape":[2],"layers":[{"units":2,"activation":"leakyRelu","alpha":0.1}]})")
                      .layers[1]
                      .config.number("alpha"),
                  0.1f);
  EXPECT_ERROR_CONTAINS(parse_graph_spec("{not json"), "not valid JSON");
  EXPECT_ERROR_CONTAINS(parse_graph_spec("[1,2]"), "must be a JSON object");
}

TEST(CompileSpecParse, DefaultsPerOptimizerAsTfjs) {
  CompileSpec c = parse_compile_spec(R"({"optimizer":"adam","loss":"binaryCrossentropy","metrics":["acc"]})");
  EXPECT_EQ(c.optimizer.name, "adam");
  EXPECT_FLOAT_EQ(c.optimizer.learning_rate, 0.001f);
  EXPECT_FLOAT_EQ(c.optimizer.epsilon, 1e-7f);
  EXPECT_FLOAT_EQ(c.optimizer.beta1, 0.9f);
  EXPECT_FLOAT_EQ(c.optimizer.beta2, 0.999f);
  EXPECT_EQ(c.metrics, (std::vector<std::string>{"acc"}));
  EXPECT_FLOAT_EQ(parse_compile_spec(R"({"optimizer":"sgd"})").optimizer.learning_rate, 0.01f);
  EXPECT_FLOAT_EQ(parse_compile_spec(R"({"optimizer":"rmsprop"})").optimizer.learning_rate, 0.001f);
  EXPECT_FLOAT_EQ(parse_compile_spec(R"({"optimizer":"adagrad"})").optimizer.initial_accumulator_value, 0.1f);
  CompileSpec m = parse_compile_spec(
      R"({"optimizer":{"name":"momentum","learningRate":0.05,"momentum":0.8,"useNesterov":true},
          "loss":"meanSquaredError","metrics":["accuracy","meanSquaredError"]})");
  EXPECT_FLOAT_EQ(m.optimizer.learning_rate, 0.05f);
  EXPECT_FLOAT_EQ(m.optimizer.momentum, 0.8f);
  EXPECT_TRUE(m.optimizer.use_nesterov);
  EXPECT_EQ(canonical_metric_name(m.metrics[0]), "acc");
  EXPECT_EQ(canonical_metric_name(m.metrics[1]), "mse");
}

TEST(CompileSpecParse, Rejections) {
  EXPECT_ERROR_CONTAINS(parse_compile_spec(R"({"optimizer":"nadam"})"), "unknown optimizer \"nadam\"",
                        "sgd, momentum, adam, rmsprop, adagrad");
  EXPECT_ERROR_CONTAINS(parse_compile_spec(R"({"optimizer":{"name":"sgd","learningRate":0}})"), "learningRate", "> 0",
                        "got 0");
  EXPECT_ERROR_CONTAINS(parse_compile_spec(R"({"optimizer":{"name":"sgd","learningRate":-0.1}})"), "learningRate",
                        "> 0");
  // JSON.stringify(NaN) is null.
  EXPECT_ERROR_CONTAINS(parse_compile_spec(R"({"optimizer":{"name":"sgd","learningRate":null}})"), "learningRate",
                        "finite number");
  EXPECT_ERROR_CONTAINS(parse_compile_spec(R"({"optimizer":{"name":"sgd","learningRate":"0.1"}})"), "learningRate",
                        "finite number");
  EXPECT_ERROR_CONTAINS(parse_compile_spec(R"({"optimizer":{"name":"adam","beta1":1}})"), "beta1", "[0, 1)");
  EXPECT_ERROR_CONTAINS(parse_compile_spec(R"({"optimizer":{"name":"adam","beta2":-0.1}})"), "beta2", "[0, 1)");
  EXPECT_ERROR_CONTAINS(parse_compile_spec(R"({"optimizer":{"name":"rmsprop","decay":1.5}})"), "decay", "[0, 1)");
  EXPECT_ERROR_CONTAINS(parse_compile_spec(R"({"optimizer":{"name":"momentum","momentum":-1}})"), "momentum", "[0, 1)");
  EXPECT_ERROR_CONTAINS(parse_compile_spec(R"({"optimizer":{"name":"adam","epsilon":0}})"), "epsilon", "> 0");
  EXPECT_ERROR_CONTAINS(parse_compile_spec(R"({"optimizer":{"learningRate":0.1}})"), "missing \"name\"");
  EXPECT_ERROR_CONTAINS(parse_compile_spec(R"({"loss":"sparseCategoricalHinge"})"),
                        "unknown loss \"sparseCategoricalHinge\"",
                        "meanSquaredError, binaryCrossentropy, categoricalCrossentropy, sparseCategoricalCrossentropy");
  EXPECT_ERROR_CONTAINS(parse_compile_spec(R"({"metrics":["auc"]})"), "unknown metric \"auc\"", "accuracy", "mse");
  EXPECT_ERROR_CONTAINS(parse_compile_spec(R"({"metrics":["acc","accuracy"]})"), "listed twice");
}

TEST(LossForModel, OutputCompatibility) {
  Graph sigmoid_out(parse_graph_spec(R"({"inputShape":[2],"layers":[{"units":1,"activation":"sigmoid"}]})"));
  CompileSpec c;
  c.loss = "sparseCategoricalCrossentropy";
  EXPECT_ERROR_CONTAINS(validate_loss_for_graph(sigmoid_out, c), "sparseCategoricalCrossentropy", "at least 2",
                        "binaryCrossentropy");
  c.loss = "categoricalCrossentropy";
  EXPECT_ERROR_CONTAINS(validate_loss_for_graph(sigmoid_out, c), "at least 2");
  c.loss = "binaryCrossentropy";
  EXPECT_NO_THROW(validate_loss_for_graph(sigmoid_out, c));
  Graph linear_out(parse_graph_spec(R"({"inputShape":[2],"layers":[{"units":1}]})"));
  EXPECT_ERROR_CONTAINS(validate_loss_for_graph(linear_out, c), "binaryCrossentropy", "sigmoid", "not linear");
  c.loss = "meanSquaredError";
  EXPECT_NO_THROW(validate_loss_for_graph(linear_out, c));
}

}  // namespace
}  // namespace nnplay
