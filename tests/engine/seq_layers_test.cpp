// embedding, conv1d, globalAveragePooling1d, maxPooling1d, averagePooling1d, repeatVector and layerNormalization:
// forward cases computed by hand, finite-difference gradients in double (every input and weight; for embedding, the
// table, since ids take no gradient), the Keras weight layouts and parameter counts, and the messages for bad ids and
// inputs of the wrong rank.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "chain.h"
#include "layer_v2_check.h"
#include "nn/graph.h"
#include "test_util.h"
#include "train/session.h"

namespace nnplay {
namespace {

using test::check_layer_gradients;
using test::expect_near_all;
using test::gradients_match;
using test::LayerDriver;
using test::numeric_gradient;
using test::project;
using test::random_vector;

// ---------------------------------------------------------------- embedding

TEST(Embedding, LooksUpRowsAndAppendsOutputDim) {
  BuiltLayer b = build_layer("embedding", R"({"inputDim":4,"outputDim":2})", {{3}});
  EXPECT_EQ(b.output_shape, (Shape{3, 2}));
  ASSERT_EQ(b.layer->variables().size(), 1u);
  EXPECT_EQ(b.layer->variables()[0].value->shape(), (Shape{4, 2}));
  Tensor& table = *b.layer->variables()[0].value;
  for (std::size_t i = 0; i < table.size(); ++i) {
    EXPECT_LE(std::fabs(table[i]), 0.05f);  // randomUniform ±0.05, TF.js's default
    table[i] = static_cast<float>(i);
  }
  LayerDriver drv{*b.layer, 2, false, 1, {{3, 0, 3, 1, 1, 2}}};
  EXPECT_TRUE(expect_near_all(drv.forward(), {6, 7, 0, 1, 6, 7, 2, 3, 2, 3, 4, 5}, 0, 0));
}

TEST(Embedding, TableGradientMatchesFiniteDifferencesWithRepeatedIds) {
  BuiltLayer b =
      build_layer("embedding", R"({"inputDim":5,"outputDim":3,"embeddingsInitializer":"glorotUniform"})", {{4}}, 3);
  LayerDriver drv{*b.layer, 3, true, 1, {{0, 4, 4, 2, 1, 1, 1, 0, 3, 4, 2, 2}}};
  drv.forward();
  const std::vector<float> r = random_vector(drv.out.size(), 9);
  Variable& v = b.layer->variables()[0];
  for (std::size_t i = 0; i < v.grad->size(); ++i) (*v.grad)[i] = 0.25f;
  drv.backward(r);
  std::vector<float> analytic(v.grad->data(), v.grad->data() + v.grad->size());
  for (float& x : analytic) x -= 0.25f;  // backward accumulates
  const std::vector<double> num = numeric_gradient(v.value->data(), v.value->size(), 1e-2, [&] {
    drv.forward();
    return project(drv.out.data(), r);
  });
  EXPECT_TRUE(gradients_match(analytic.data(), num, 1e-3, 1e-4));
}

TEST(Embedding, IdsOutsideTheRangeOrFractionalAreNamedNotACrash) {
  const std::string spec =
      R"({"format":"nnplay-graph","layers":[{"name":"ids","type":"input","config":{"shape":[3]}},)"
      R"({"name":"emb","type":"embedding","config":{"inputDim":10,"outputDim":4},"inbound":[["ids"]]},)"
      R"({"name":"pool","type":"globalAveragePooling1d","config":{},"inbound":[["emb"]]}],"outputs":["pool"]})";
  TrainingSession s(parse_graph_spec(spec));
  auto load = [&](std::vector<float> x) {
    const int id = s.reserve_dataset(2, 3, 0);
    std::copy(x.begin(), x.end(), s.dataset_x(id));
    s.seal_dataset(id);
    return id;
  };
  EXPECT_ERROR_CONTAINS(load({1, 2, 3, 4, 10, 5}), "layer \"emb\" (embedding)", "sample 1 has id 10 at position 1",
                        "integers in [0, 10)");
  EXPECT_ERROR_CONTAINS(load({1, -1, 3, 4, 9, 5}), "sample 0 has id -1");
  EXPECT_ERROR_CONTAINS(load({1, 2, 3, 4, 2.5f, 5}), "id 2.5", "must be integers");
  EXPECT_EQ(s.num_datasets(), 0);  // the bad sets were freed
  const int good = load({0, 9, 3, 4, 9, 5});
  EXPECT_EQ(s.predict(good, std::vector<int>{1})[0].shape, (Shape{2, 4}));
  // the small-batch path checks in forward
  float* rows = s.input_buffer(1);
  rows[0] = 0;
  rows[1] = 11;
  rows[2] = 1;
  EXPECT_ERROR_CONTAINS(s.predict_input(1), "layer \"emb\" (embedding)", "id 11");
  // wrong ranks and lengths
  EXPECT_ERROR_CONTAINS(
      parse_graph_spec(
          R"({"inputShape":[3],"layers":[{"type":"embedding","inputDim":5,"outputDim":2,"inputLength":4}]})"),
      "inputLength is 4", "[3]");
  EXPECT_ERROR_CONTAINS(parse_graph_spec(R"({"inputShape":[3],"layers":[{"type":"embedding","outputDim":2}]})"),
                        "inputDim");
}

// ---------------------------------------------------------------- conv1d

struct Conv1dCase {
  int kernel, stride;
  const char* padding;
};

class Conv1dGradCheck : public ::testing::TestWithParam<Conv1dCase> {};

TEST_P(Conv1dGradCheck, InputsAndWeightsMatchFiniteDifferences) {
  const Conv1dCase c = GetParam();
  const std::string config = "{\"filters\":3,\"kernelSize\":" + std::to_string(c.kernel) +
                             ",\"strides\":" + std::to_string(c.stride) + ",\"padding\":\"" + c.padding +
                             "\",\"biasInitializer\":\"glorotUniform\"}";
  BuiltLayer b = build_layer("conv1d", config, {{7, 2}}, 5);
  LayerDriver drv{*b.layer, 2, true, 1, {random_vector(2 * 7 * 2, 4, -1.0f, 1.0f)}};
  check_layer_gradients(config, drv, 1e-2, 2e-3, 2e-4);
}

INSTANTIATE_TEST_SUITE_P(Windows, Conv1dGradCheck,
                         ::testing::Values(Conv1dCase{3, 1, "valid"}, Conv1dCase{3, 2, "same"},
                                           Conv1dCase{2, 2, "valid"}, Conv1dCase{4, 1, "same"},
                                           Conv1dCase{1, 3, "same"}),
                         [](const ::testing::TestParamInfo<Conv1dCase>& info) {
                           return "case" + std::to_string(info.index);
                         });

TEST(Conv1d, ByHandInKerasKernelLayoutWithSamePadding) {
  // kernel [k, in, out]; 'same' with k = 3, stride 1: one zero step on each side.
  const int steps = 5, in_c = 2, out_c = 2, k = 3;
  BuiltLayer b = build_layer("conv1d", R"({"filters":2,"kernelSize":3,"padding":"same"})", {{steps, in_c}});
  EXPECT_EQ(b.output_shape, (Shape{steps, out_c}));
  Tensor& kernel = *b.layer->variables()[0].value;
  EXPECT_EQ(kernel.shape(), (Shape{k, in_c, out_c}));
  const std::vector<float> w = random_vector(kernel.size(), 2), bias = {0.3f, -0.1f};
  std::copy(w.begin(), w.end(), kernel.data());
  std::copy(bias.begin(), bias.end(), b.layer->variables()[1].value->data());
  const std::vector<float> x = random_vector(steps * in_c, 8);
  LayerDriver drv{*b.layer, 1, false, 1, {x}};
  std::vector<float> want;
  for (int t = 0; t < steps; ++t)
    for (int f = 0; f < out_c; ++f) {
      double acc = bias[static_cast<std::size_t>(f)];
      for (int j = 0; j < k; ++j) {
        const int src = t + j - 1;
        if (src < 0 || src >= steps) continue;
        for (int c = 0; c < in_c; ++c)
          acc += static_cast<double>(x[static_cast<std::size_t>(src * in_c + c)]) *
                 w[static_cast<std::size_t>((j * in_c + c) * out_c + f)];
      }
      want.push_back(static_cast<float>(acc));
    }
  EXPECT_TRUE(expect_near_all(drv.forward(), want, 1e-5, 1e-6));
}

TEST(Conv1d, ShapesParamsAndMessages) {
  const std::string info = inspect_model(
      R"({"inputShape":[20,3],"layers":[{"type":"conv1d","filters":8,"kernelSize":5,"strides":2,"activation":"relu"}]})");
  EXPECT_NE(info.find("\"totalParams\":128"), std::string::npos) << info;  // 5·3·8 + 8
  EXPECT_NE(info.find("[8,8]"), std::string::npos) << info;                // floor((20 − 5) / 2) + 1 = 8
  EXPECT_ERROR_CONTAINS(
      parse_graph_spec(R"({"inputShape":[20],"layers":[{"type":"conv1d","filters":2,"kernelSize":3}]})"),
      "needs a sequence input [steps, channels]", "[20]");
  EXPECT_ERROR_CONTAINS(
      parse_graph_spec(R"({"inputShape":[2,1],"layers":[{"type":"conv1d","filters":2,"kernelSize":3}]})"),
      "kernelSize 3 is longer");
  EXPECT_ERROR_CONTAINS(
      parse_graph_spec(
          R"({"inputShape":[9,1],"layers":[{"type":"conv1d","filters":2,"kernelSize":3,"dilationRate":2}]})"),
      "dilationRate");
  EXPECT_ERROR_CONTAINS(
      parse_graph_spec(
          R"({"inputShape":[9,1],"layers":[{"type":"conv1d","filters":2,"kernelSize":3,"padding":"causal"}]})"),
      "padding");
}

// ---------------------------------------------------------------- globalAveragePooling1d

TEST(GlobalAveragePooling1d, MeanOverStepsAndItsGradient) {
  BuiltLayer b = build_layer("globalAveragePooling1d", "{}", {{3, 2}});
  EXPECT_EQ(b.output_shape, (Shape{2}));
  LayerDriver drv{*b.layer, 1, false, 1, {{1, 2, 3, 4, 5, 9}}};
  EXPECT_TRUE(expect_near_all(drv.forward(), {3, 5}, 1e-6, 1e-6));
  LayerDriver grad{*b.layer, 2, true, 1, {random_vector(12, 3)}};
  check_layer_gradients("globalAveragePooling1d", grad, 1e-2, 1e-3, 1e-4);
  EXPECT_ERROR_CONTAINS(parse_graph_spec(R"({"inputShape":[4,4,1],"layers":[{"type":"globalAveragePooling1d"}]})"),
                        "needs a sequence input [steps, features]", "[4, 4, 1]");
}

// ---------------------------------------------------------------- maxPooling1d, averagePooling1d

TEST(Pooling1d, WindowsOverStepsByHand) {
  // [5 steps, 2 channels]: channel 0 is 1 4 2 8 5, channel 1 is −1 −3 0 6 −2.
  const std::vector<float> x = {1, -1, 4, -3, 2, 0, 8, 6, 5, -2};
  BuiltLayer mx = build_layer("maxPooling1d", "{}", {{5, 2}});  // poolSize 2, strides 2, valid
  EXPECT_EQ(mx.output_shape, (Shape{2, 2}));
  LayerDriver m{*mx.layer, 1, false, 1, {x}};
  EXPECT_EQ(m.forward(), (std::vector<float>{4, -1, 8, 6}));
  BuiltLayer same = build_layer("maxPooling1d", R"({"poolSize":2,"padding":"same"})", {{5, 2}});
  EXPECT_EQ(same.output_shape, (Shape{3, 2}));
  LayerDriver ms{*same.layer, 1, false, 1, {x}};
  EXPECT_EQ(ms.forward(), (std::vector<float>{4, -1, 8, 6, 5, -2}));
  BuiltLayer avg = build_layer("averagePooling1d", R"({"poolSize":3,"strides":1})", {{5, 2}});
  EXPECT_EQ(avg.output_shape, (Shape{3, 2}));
  LayerDriver a{*avg.layer, 1, false, 1, {x}};
  EXPECT_TRUE(expect_near_all(a.forward(), {7.0f / 3, -4.0f / 3, 14.0f / 3, 1, 5, 4.0f / 3}, 1e-6, 1e-6));
  // "same" at the edge averages the cells inside the sequence only (TF's AvgPool).
  BuiltLayer avg_same = build_layer("averagePooling1d", R"({"poolSize":2,"padding":"same"})", {{5, 2}});
  LayerDriver as{*avg_same.layer, 1, false, 1, {x}};
  EXPECT_TRUE(expect_near_all(as.forward(), {2.5f, -2, 5, 3, 5, -2}, 1e-6, 1e-6));
}

TEST(Pooling1d, GradientsMatchFiniteDifferences) {
  // Distinct values 0.1 apart, so no window's maximum changes within the step.
  std::vector<float> x(2 * 6 * 3);
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = 0.1f * static_cast<float>((i * 13) % x.size()) - 1.5f;
  for (const char* type : {"maxPooling1d", "averagePooling1d"})
    for (const char* config : {R"({"poolSize":2})", R"({"poolSize":3,"strides":1,"padding":"same"})"}) {
      SCOPED_TRACE(std::string(type) + " " + config);
      BuiltLayer b = build_layer(type, config, {{6, 3}});
      LayerDriver drv{*b.layer, 2, true, 1, {x}};
      check_layer_gradients(type, drv, 1e-2, 1e-3, 1e-5);
    }
}

TEST(Pooling1d, BadInputsNameTheLayer) {
  EXPECT_ERROR_CONTAINS(parse_graph_spec(R"({"inputShape":[4,4,1],"layers":[{"type":"maxPooling1d"}]})"),
                        "needs a sequence input [steps, features]", "[4, 4, 1]");
  EXPECT_ERROR_CONTAINS(parse_graph_spec(R"({"inputShape":[3,2],"layers":[{"type":"averagePooling1d","poolSize":4}]})"),
                        "poolSize 4 is longer than", "[3, 2]", "padding \"same\"");
}

// ---------------------------------------------------------------- repeatVector

TEST(RepeatVector, RepeatsEachSamplesVectorAndSumsTheGradient) {
  BuiltLayer b = build_layer("repeatVector", R"({"n":3})", {{2}});
  EXPECT_EQ(b.output_shape, (Shape{3, 2}));
  LayerDriver drv{*b.layer, 2, false, 1, {{1, -2, 5, 7}}};
  EXPECT_EQ(drv.forward(), (std::vector<float>{1, -2, 1, -2, 1, -2, 5, 7, 5, 7, 5, 7}));
  LayerDriver grad{*b.layer, 2, true, 1, {random_vector(4, 5)}};
  check_layer_gradients("repeatVector", grad, 1e-2, 1e-3, 1e-5);
  EXPECT_ERROR_CONTAINS(parse_graph_spec(R"({"inputShape":[4,2],"layers":[{"type":"repeatVector","n":2}]})"),
                        "repeats a vector [features]", "[4, 2]");
  EXPECT_ERROR_CONTAINS(parse_graph_spec(R"({"inputShape":[4],"layers":[{"type":"repeatVector"}]})"), "n");
}

// ---------------------------------------------------------------- layerNormalization

TEST(LayerNormalization, NormalisesEachRowAndLearnsGammaAndBeta) {
  BuiltLayer b = build_layer("layerNormalization", R"({"epsilon":0.001})", {{2, 4}});
  EXPECT_EQ(b.output_shape, (Shape{2, 4}));
  ASSERT_EQ(b.layer->variables().size(), 2u);
  EXPECT_EQ(b.layer->variables()[0].name.substr(b.layer->variables()[0].name.find('/')), "/gamma");
  EXPECT_EQ(b.layer->variables()[1].name.substr(b.layer->variables()[1].name.find('/')), "/beta");
  // Row 1 2 3 4: mean 2.5, variance 1.25; row 5 5 5 5: all x̂ 0.
  LayerDriver drv{*b.layer, 1, false, 1, {{1, 2, 3, 4, 5, 5, 5, 5}}};
  const double inv = 1.0 / std::sqrt(1.25 + 0.001);
  EXPECT_TRUE(expect_near_all(drv.forward(),
                              {static_cast<float>(-1.5 * inv), static_cast<float>(-0.5 * inv),
                               static_cast<float>(0.5 * inv), static_cast<float>(1.5 * inv), 0, 0, 0, 0},
                              1e-6, 1e-6));
  // Gradients with gamma and beta away from their initial values.
  for (Variable& v : b.layer->variables()) {
    const std::vector<float> w = random_vector(4, 31, 0.5f, 1.5f);
    std::copy(w.begin(), w.end(), v.value->data());
  }
  LayerDriver grad{*b.layer, 2, true, 1, {random_vector(16, 32, -2, 2)}};
  check_layer_gradients("layerNormalization", grad, 1e-2, 2e-3, 1e-4);
  BuiltLayer plain = build_layer("layerNormalization", R"({"center":false,"scale":false})", {{5}});
  EXPECT_TRUE(plain.layer->variables().empty());
  LayerDriver p{*plain.layer, 2, true, 1, {random_vector(10, 33, -2, 2)}};
  check_layer_gradients("layerNormalization without weights", p, 1e-2, 2e-3, 1e-4);
  EXPECT_ERROR_CONTAINS(parse_graph_spec(R"({"inputShape":[4],"layers":[{"type":"layerNormalization","axis":0}]})"),
                        "only axis -1");
}

// ---------------------------------------------------------------- bidirectional

TEST(Bidirectional, GradientsForEveryCellAndMergeMode) {
  for (const char* cell : {"simpleRNN", "lstm", "gru"})
    for (const char* merge : {"concat", "sum", "mul", "ave"})
      for (bool sequences : {false, true}) {
        const std::string config = std::string("{\"layer\":\"") + cell + "\",\"mergeMode\":\"" + merge +
                                   "\",\"units\":3,\"recurrentActivation\":\"sigmoid\",\"biasInitializer\":"
                                   "\"glorotUniform\",\"returnSequences\":" +
                                   (sequences ? "true}" : "false}");
        SCOPED_TRACE(config);
        BuiltLayer b = build_layer("bidirectional", config, {{4, 2}}, 7);
        const int width = std::string(merge) == "concat" ? 6 : 3;
        EXPECT_EQ(b.output_shape, sequences ? (Shape{4, width}) : (Shape{width}));
        LayerDriver drv{*b.layer, 2, true, 1, {random_vector(2 * 4 * 2, 3, -1.5f, 1.5f)}};
        check_layer_gradients(config, drv, 1e-2, 4e-3, 4e-4);
      }
}

TEST(Bidirectional, ConcatIsTheForwardLayerAndTheReversedBackwardLayer) {
  const int n = 2, steps = 3, features = 2, units = 2;
  BuiltLayer bi = build_layer("bidirectional",
                              R"({"layer":"gru","units":2,"returnSequences":true,"biasInitializer":"glorotUniform"})",
                              {{steps, features}}, 4);
  ASSERT_EQ(bi.layer->variables().size(), 6u);
  EXPECT_EQ(bi.variables[0].name, "test/forward_gru/kernel");
  EXPECT_EQ(bi.variables[5].name, "test/backward_gru/bias");
  BuiltLayer f = build_layer("gru", R"({"units":2,"returnSequences":true})", {{steps, features}});
  BuiltLayer g = build_layer("gru", R"({"units":2,"returnSequences":true,"goBackwards":true})", {{steps, features}});
  for (int i = 0; i < 3; ++i) {
    *f.layer->variables()[static_cast<std::size_t>(i)].value =
        *bi.layer->variables()[static_cast<std::size_t>(i)].value;
    *g.layer->variables()[static_cast<std::size_t>(i)].value =
        *bi.layer->variables()[static_cast<std::size_t>(3 + i)].value;
  }
  const std::vector<float> x = random_vector(n * steps * features, 6);
  LayerDriver db{*bi.layer, n, false, 1, {x}}, df{*f.layer, n, false, 1, {x}}, dg{*g.layer, n, false, 1, {x}};
  const std::vector<float> out = db.forward(), fo = df.forward(), go = dg.forward();
  for (int i = 0; i < n; ++i)
    for (int t = 0; t < steps; ++t)
      for (int j = 0; j < units; ++j) {
        EXPECT_EQ(out[static_cast<std::size_t>((i * steps + t) * 2 * units + j)],
                  fo[static_cast<std::size_t>((i * steps + t) * units + j)]);
        EXPECT_EQ(out[static_cast<std::size_t>((i * steps + t) * 2 * units + units + j)],
                  go[static_cast<std::size_t>((i * steps + steps - 1 - t) * units + j)]);
      }
  const std::vector<StateInfo> st = bi.layer->states();
  ASSERT_EQ(st.size(), 4u);
  EXPECT_EQ(st[0].name, "forward_h");
  EXPECT_EQ(st[3].name, "backward_gates");
  EXPECT_ERROR_CONTAINS(parse_graph_spec(R"({"inputShape":[3,2],"layers":[{"type":"bidirectional","units":2}]})"),
                        "missing \"layer\"");
  EXPECT_ERROR_CONTAINS(
      parse_graph_spec(R"({"inputShape":[6],"layers":[{"type":"bidirectional","layer":"lstm","units":2}]})"),
      "needs a sequence input [steps, features]");
}

}  // namespace
}  // namespace nnplay
