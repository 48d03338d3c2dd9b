// Recurrent layers (simpleRNN, lstm, gru): backpropagation through time against finite
// differences in double (float forward, every input and every weight, returnSequences on and
// off, goBackwards, both GRU conventions), steps computed by hand from the Keras equations,
// the Keras weight layout, the orthogonal initializer, determinism, predict chunking, and the
// messages for inputs that are not sequences.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "chain.h"
#include "layer_v2_check.h"
#include "nn/graph.h"
#include "nn/recurrent_layers.h"
#include "test_util.h"

namespace nnplay {
namespace {

using test::check_layer_gradients;
using test::expect_near_all;
using test::LayerDriver;
using test::random_vector;

double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

// ---------------------------------------------------------------- gradients through time

struct GradCase {
  const char* type;
  const char* extra;  // more config keys
};

class RecurrentGradCheck : public ::testing::TestWithParam<GradCase> {};

TEST_P(RecurrentGradCheck, InputsAndEveryWeightMatchFiniteDifferences) {
  const int n = 3, steps = 4, features = 3, units = 5;
  for (bool sequences : {false, true})
    for (bool backwards : {false, true}) {
      const std::string config = std::string("{\"units\":5,\"biasInitializer\":\"glorotUniform\",") +
                                 "\"returnSequences\":" + (sequences ? "true" : "false") +
                                 ",\"goBackwards\":" + (backwards ? "true" : "false") + GetParam().extra + "}";
      SCOPED_TRACE(std::string(GetParam().type) + " " + config);
      BuiltLayer b = build_layer(GetParam().type, config, {{steps, features}}, 7);
      EXPECT_EQ(b.output_shape, sequences ? (Shape{steps, units}) : (Shape{units}));
      LayerDriver drv{*b.layer, n, true, 1, {random_vector(n * steps * features, 3, -1.5f, 1.5f)}};
      check_layer_gradients(config, drv, 1e-2, 4e-3, 4e-4);
    }
}

INSTANTIATE_TEST_SUITE_P(
    Cells, RecurrentGradCheck,
    ::testing::Values(GradCase{"simpleRNN", ""}, GradCase{"simpleRNN", ",\"activation\":\"sigmoid\""},
                      GradCase{"lstm", ",\"recurrentActivation\":\"sigmoid\""},
                      GradCase{"lstm",
                               ",\"recurrentActivation\":\"sigmoid\",\"unitForgetBias\":false,"
                               "\"activation\":\"elu\""},
                      GradCase{"gru", ",\"recurrentActivation\":\"sigmoid\""},
                      GradCase{"gru", ",\"recurrentActivation\":\"sigmoid\",\"resetAfter\":true"},
                      GradCase{"gru", ",\"recurrentActivation\":\"sigmoid\",\"resetAfter\":true,\"useBias\":false"},
                      GradCase{"lstm", ",\"recurrentActivation\":\"sigmoid\",\"useBias\":false"}),
    [](const ::testing::TestParamInfo<GradCase>& info) { return "case" + std::to_string(info.index); });

// TF.js's default gates (hardSigmoid): piecewise linear, so the check keeps the gates' inputs
// inside the linear part (|z| < 2.5, small weights), away from the kinks.
TEST(RecurrentGradCheck, HardSigmoidGatesAsTfjsDefaults) {
  for (const char* type : {"lstm", "gru"}) {
    BuiltLayer b = build_layer(type, "{\"units\":4,\"returnSequences\":true}", {{3, 2}}, 5);
    for (Variable& v : b.layer->variables())
      for (std::size_t i = 0; i < v.value->size(); ++i) (*v.value)[i] *= 0.5f;
    LayerDriver drv{*b.layer, 2, true, 1, {random_vector(2 * 3 * 2, 8, -1.0f, 1.0f)}};
    check_layer_gradients(type, drv, 1e-2, 4e-3, 4e-4);
  }
}

// ---------------------------------------------------------------- by hand

void set(Variable& v, const std::vector<float>& values) {
  ASSERT_EQ(v.value->size(), values.size()) << v.name;
  for (std::size_t i = 0; i < values.size(); ++i) (*v.value)[i] = values[i];
}

TEST(SimpleRNN, TwoStepsByHand) {
  // units 1, features 2: h0 = tanh(k·x0 + b), h1 = tanh(k·x1 + r·h0 + b).
  BuiltLayer b = build_layer("simpleRNN", "{\"units\":1,\"returnSequences\":true}", {{2, 2}});
  set(b.layer->variables()[0], {0.5f, -1.0f});
  set(b.layer->variables()[1], {0.8f});
  set(b.layer->variables()[2], {0.1f});
  LayerDriver drv{*b.layer, 1, false, 1, {{1.0f, 0.25f, -0.5f, 2.0f}}};
  const double h0 = std::tanh(0.5 * 1.0 - 1.0 * 0.25 + 0.1);
  const double h1 = std::tanh(0.5 * -0.5 - 1.0 * 2.0 + 0.8 * h0 + 0.1);
  EXPECT_TRUE(expect_near_all(drv.forward(), {static_cast<float>(h0), static_cast<float>(h1)}, 1e-5, 1e-6));
  // goBackwards: reads x1 first and returns the sequence in that (reversed) order.
  BuiltLayer back = build_layer("simpleRNN", "{\"units\":1,\"returnSequences\":true,\"goBackwards\":true}", {{2, 2}});
  for (int i = 0; i < 3; ++i) *back.layer->variables()[i].value = *b.layer->variables()[i].value;
  LayerDriver drv_back{*back.layer, 1, false, 1, drv.inputs};
  const double g0 = std::tanh(0.5 * -0.5 - 1.0 * 2.0 + 0.1);
  const double g1 = std::tanh(0.5 * 1.0 - 1.0 * 0.25 + 0.8 * g0 + 0.1);
  EXPECT_TRUE(expect_near_all(drv_back.forward(), {static_cast<float>(g0), static_cast<float>(g1)}, 1e-5, 1e-6));
}

TEST(LSTM, OneStepByHandInKerasGateOrder) {
  // units 1, features 1: kernel [1, 4] = (i, f, c, o), sigmoid gates.
  BuiltLayer b = build_layer("lstm", "{\"units\":1,\"recurrentActivation\":\"sigmoid\"}", {{1, 1}});
  EXPECT_EQ(b.layer->variables()[0].value->shape(), (Shape{1, 4}));
  EXPECT_EQ(b.layer->variables()[1].value->shape(), (Shape{1, 4}));
  EXPECT_EQ(b.layer->variables()[2].value->shape(), (Shape{4}));
  set(b.layer->variables()[0], {0.5f, -0.3f, 0.9f, 0.2f});
  set(b.layer->variables()[2], {0.1f, 1.0f, -0.2f, 0.05f});
  LayerDriver drv{*b.layer, 1, false, 1, {{2.0f}}};
  const double x = 2.0;
  const double i = sigmoid(0.5 * x + 0.1), f = sigmoid(-0.3 * x + 1.0), c_tilde = std::tanh(0.9 * x - 0.2);
  const double o = sigmoid(0.2 * x + 0.05);
  const double c = f * 0.0 + i * c_tilde, h = o * std::tanh(c);
  EXPECT_TRUE(expect_near_all(drv.forward(), {static_cast<float>(h)}, 1e-5, 1e-6));
  const RecurrentBuffers& st = static_cast<RecurrentLayer&>(*b.layer).state();
  EXPECT_NEAR(st.c[1], c, 1e-6);  // the cell state after step 0, readable per step
  EXPECT_NEAR(st.gates[1], f, 1e-6);
}

TEST(LSTM, TwoStepsCarryTheCellState) {
  BuiltLayer b = build_layer("lstm", "{\"units\":1,\"recurrentActivation\":\"sigmoid\",\"useBias\":false}", {{2, 1}});
  set(b.layer->variables()[0], {0.5f, -0.3f, 0.9f, 0.2f});
  set(b.layer->variables()[1], {0.4f, 0.7f, -0.6f, 0.3f});
  LayerDriver drv{*b.layer, 1, false, 1, {{1.0f, -1.0f}}};
  const double i0 = sigmoid(0.5), f0 = sigmoid(-0.3), g0 = std::tanh(0.9), o0 = sigmoid(0.2);
  const double c0 = i0 * g0, h0 = o0 * std::tanh(c0);
  const double i1 = sigmoid(-0.5 + 0.4 * h0), f1 = sigmoid(0.3 + 0.7 * h0), g1 = std::tanh(-0.9 - 0.6 * h0);
  const double o1 = sigmoid(-0.2 + 0.3 * h0);
  const double c1 = f1 * c0 + i1 * g1, h1 = o1 * std::tanh(c1);
  (void)f0;
  EXPECT_TRUE(expect_near_all(drv.forward(), {static_cast<float>(h1)}, 1e-5, 1e-6));
}

TEST(GRU, TwoStepsByHandBothConventions) {
  // units 1, features 1, gates (z, r, h); recurrent kernel (Rz, Rr, Rh).
  const float k[] = {0.5f, -0.4f, 0.8f}, r[] = {0.3f, 0.6f, -0.7f}, bin[] = {0.1f, -0.2f, 0.05f};
  const float brec[] = {0.02f, 0.3f, -0.1f};
  const double x0 = 1.5, x1 = -0.5;
  for (bool after : {false, true}) {
    SCOPED_TRACE(after ? "resetAfter" : "reset before");
    BuiltLayer b = build_layer(
        "gru",
        std::string("{\"units\":1,\"recurrentActivation\":\"sigmoid\",\"resetAfter\":") + (after ? "true}" : "false}"),
        {{2, 1}});
    set(b.layer->variables()[0], {k[0], k[1], k[2]});
    set(b.layer->variables()[1], {r[0], r[1], r[2]});
    if (after) {
      EXPECT_EQ(b.layer->variables()[2].value->shape(), (Shape{2, 3}));
      set(b.layer->variables()[2], {bin[0], bin[1], bin[2], brec[0], brec[1], brec[2]});
    } else {
      EXPECT_EQ(b.layer->variables()[2].value->shape(), (Shape{3}));
      set(b.layer->variables()[2], {bin[0], bin[1], bin[2]});
    }
    auto step = [&](double x, double h) {
      const double rz = after ? brec[0] : 0.0, rr = after ? brec[1] : 0.0;
      const double z = sigmoid(k[0] * x + bin[0] + r[0] * h + rz);
      const double rg = sigmoid(k[1] * x + bin[1] + r[1] * h + rr);
      const double hh = after ? std::tanh(k[2] * x + bin[2] + rg * (r[2] * h + brec[2]))
                              : std::tanh(k[2] * x + bin[2] + (rg * h) * r[2]);
      return z * h + (1.0 - z) * hh;
    };
    const double h0 = step(x0, 0.0), h1 = step(x1, h0);
    LayerDriver drv{*b.layer, 1, false, 1, {{static_cast<float>(x0), static_cast<float>(x1)}}};
    EXPECT_TRUE(expect_near_all(drv.forward(), {static_cast<float>(h1)}, 1e-5, 1e-6));
  }
}

// ---------------------------------------------------------------- weights, initializers

TEST(Recurrent, WeightsInKerasLayoutAndParamCounts) {
  // Keras: 4·(units·(features + units) + units) for LSTM(32) on 1 feature = 4352.
  const std::string spec = R"({"inputShape":[28,1],"layers":[{"type":"lstm","units":32},{"type":"dense","units":10}]})";
  const std::string info = inspect_model(spec);
  EXPECT_NE(info.find("\"totalParams\":4682"), std::string::npos) << info;  // 4352 + 330
  Sequential lstm(parse_graph_spec(spec));
  ASSERT_EQ(lstm.variables().size(), 5u);
  EXPECT_EQ(lstm.variables()[0].name, "lstm_1/kernel");
  EXPECT_EQ(lstm.variables()[1].name, "lstm_1/recurrent_kernel");
  EXPECT_EQ(lstm.variables()[2].name, "lstm_1/bias");
  EXPECT_EQ(lstm.variables()[0].value->shape(), (Shape{1, 128}));
  EXPECT_EQ(lstm.variables()[1].value->shape(), (Shape{32, 128}));
  // unitForgetBias: ones in the forget gate's slice, zeros elsewhere.
  const Tensor& bias = *lstm.variables()[2].value;
  for (int j = 0; j < 128; ++j) EXPECT_EQ(bias[static_cast<std::size_t>(j)], (j >= 32 && j < 64) ? 1.0f : 0.0f) << j;
  // GRU resetAfter: 3·(units·(features + units) + 2·units); without: one bias row.
  EXPECT_NE(inspect_model(R"({"inputShape":[5,3],"layers":[{"type":"gru","units":4,"resetAfter":true}]})")
                .find("\"totalParams\":108"),
            std::string::npos);
  EXPECT_NE(inspect_model(R"({"inputShape":[5,3],"layers":[{"type":"gru","units":4}]})").find("\"totalParams\":96"),
            std::string::npos);
  EXPECT_NE(
      inspect_model(R"({"inputShape":[5,3],"layers":[{"type":"simpleRNN","units":4}]})").find("\"totalParams\":32"),
      std::string::npos);
}

TEST(Initializers, OrthogonalRowsOrColumnsAreOrthonormalAndSeeded) {
  for (Shape shape : {Shape{8, 32}, Shape{32, 8}, Shape{6, 6}}) {
    Tensor t(shape), again(shape);
    Rng rng(3), rng2(3);
    find_initializer("orthogonal").fill(t, 0, 0, rng);
    find_initializer("orthogonal").fill(again, 0, 0, rng2);
    for (std::size_t i = 0; i < t.size(); ++i) ASSERT_EQ(t[i], again[i]);  // same seed, same bits
    const int rows = shape[0], cols = shape[1];
    const bool by_rows = rows <= cols;
    const int count = by_rows ? rows : cols, len = by_rows ? cols : rows;
    for (int a = 0; a < count; ++a)
      for (int b = 0; b < count; ++b) {
        double dot = 0.0;
        for (int i = 0; i < len; ++i) {
          const std::size_t ia =
              by_rows ? static_cast<std::size_t>(a * cols + i) : static_cast<std::size_t>(i * cols + a);
          const std::size_t ib =
              by_rows ? static_cast<std::size_t>(b * cols + i) : static_cast<std::size_t>(i * cols + b);
          dot += static_cast<double>(t[ia]) * t[ib];
        }
        EXPECT_NEAR(dot, a == b ? 1.0 : 0.0, 1e-5) << shape_to_string(shape) << " " << a << "," << b;
      }
  }
}

// ---------------------------------------------------------------- determinism, predict chunking

TEST(Recurrent, SameSeedSameBitsAndPredictChunksEqualOneForward) {
  // Wide enough that predict splits 100 samples into chunks (workspace per sample counted).
  const std::string spec =
      R"({"inputShape":[128,4],"seed":11,"layers":[{"type":"lstm","units":64,"returnSequences":true},)"
      R"({"type":"gru","units":8,"resetAfter":true},{"type":"dense","units":2}]})";
  Sequential a(parse_graph_spec(spec)), b(parse_graph_spec(spec));
  ASSERT_LT(a.predict_chunk_size(), 100);
  const int n = 100;
  std::vector<float> x = random_vector(static_cast<std::size_t>(n) * 128 * 4, 5);
  std::vector<float> chunked(static_cast<std::size_t>(n) * 2);
  a.predict(chunked.data(), x.data(), n);
  const Tensor& whole = b.forward(x.data(), n);
  ASSERT_EQ(whole.size(), chunked.size());
  for (std::size_t i = 0; i < chunked.size(); ++i) ASSERT_EQ(chunked[i], whole[i]) << i;
}

// ---------------------------------------------------------------- bad input

TEST(Recurrent, InputsThatAreNotSequencesAreNamed) {
  for (const char* type : {"simpleRNN", "lstm", "gru"}) {
    const std::string flat = std::string(R"({"inputShape":[8],"layers":[{"type":")") + type + R"(","units":4}]})";
    EXPECT_ERROR_CONTAINS(parse_graph_spec(flat), "layer 0 (", type,
                          "needs a sequence input [steps, features] per sample", "[8]", "inputShape such as [28, 1]");
    const std::string image = std::string(R"({"inputShape":[4,4,1],"layers":[{"type":")") + type + R"(","units":4}]})";
    EXPECT_ERROR_CONTAINS(Sequential(parse_graph_spec(image)), "needs a sequence input", "[4, 4, 1]");
  }
  EXPECT_ERROR_CONTAINS(parse_graph_spec(R"({"inputShape":[0,3],"layers":[{"type":"lstm","units":4}]})"),
                        "positive integers");
  EXPECT_ERROR_CONTAINS(
      parse_graph_spec(R"({"inputShape":[3,2],"layers":[{"type":"lstm","units":4,"resetAfter":true}]})"),
      "unknown field \"resetAfter\"");
  EXPECT_ERROR_CONTAINS(parse_graph_spec(R"({"inputShape":[3,2],"layers":[{"type":"gru","units":0}]})"), "units");
  EXPECT_ERROR_CONTAINS(
      parse_graph_spec(R"({"inputShape":[3,2],"layers":[{"type":"gru","units":2,"recurrentActivation":"swoosh"}]})"),
      "unknown recurrentActivation", "hardSigmoid");
}

}  // namespace
}  // namespace nnplay
