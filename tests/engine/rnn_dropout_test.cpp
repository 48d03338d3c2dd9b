// Recurrent dropout (simpleRNN, lstm, gru, bidirectional: dropout on x_t, recurrentDropout on
// h_{t−1}): backpropagation through time against finite differences in double with the masks
// fixed (the driver re-seeds the pass's stream on every forward), one mask per sequence (the
// same features and units dropped at every step, checked on a linear cell whose output reads the
// mask directly), the keep rate and the inverted scale, inference without masks, determinism,
// and the messages for rates outside [0, 1).
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
using test::LayerDriver;
using test::random_vector;

void fill(Variable& v, float value) {
  for (std::size_t i = 0; i < v.value->size(); ++i) (*v.value)[i] = value;
}
void identity(Variable& v) {  // [d, d]
  fill(v, 0.0f);
  const int d = v.value->shape()[0];
  for (int i = 0; i < d; ++i) (*v.value)[static_cast<std::size_t>(i * d + i)] = 1.0f;
}

struct DropCase {
  const char* type;
  const char* extra;
};

class RecurrentDropoutGradCheck : public ::testing::TestWithParam<DropCase> {};

TEST_P(RecurrentDropoutGradCheck, GradientsWithTheMasksFixedMatchFiniteDifferences) {
  const int n = 4, steps = 4, features = 3;
  for (const char* rates :
       {",\"dropout\":0.4", ",\"recurrentDropout\":0.4", ",\"dropout\":0.3,\"recurrentDropout\":0.5"})
    for (bool sequences : {false, true}) {
      const std::string config = std::string("{\"units\":5,\"biasInitializer\":\"glorotUniform\",") +
                                 "\"returnSequences\":" + (sequences ? "true" : "false") + rates + GetParam().extra +
                                 "}";
      SCOPED_TRACE(std::string(GetParam().type) + " " + config);
      BuiltLayer b = build_layer(GetParam().type, config, {{steps, features}}, 7);
      LayerDriver drv{*b.layer, n, true, 1, {random_vector(n * steps * features, 3, -1.5f, 1.5f)}};
      // The kept values are scaled up (× 1 / (1 − rate)), so the cells run further from 0 and the
      // central difference needs a smaller step than the plain check's 1e-2.
      check_layer_gradients(config, drv, 4e-3, 4e-3, 4e-4);
      // The masks really dropped something (else this checked the plain path).
      const RecurrentBuffers* st = nullptr;
      if (std::string(GetParam().type) != "bidirectional") st = &static_cast<RecurrentLayer&>(*b.layer).state();
      if (st) {
        const std::vector<float>& m =
            std::string(rates).find("\"dropout\"") != std::string::npos ? st->input_mask : st->recurrent_mask;
        int zeros = 0;
        for (float v : m) zeros += v == 0.0f;
        EXPECT_GT(zeros, 0);
        EXPECT_LT(zeros, static_cast<int>(m.size()));
      }
    }
}

INSTANTIATE_TEST_SUITE_P(
    Cells, RecurrentDropoutGradCheck,
    ::testing::Values(DropCase{"simpleRNN", ""}, DropCase{"lstm", ",\"recurrentActivation\":\"sigmoid\""},
                      DropCase{"gru", ",\"recurrentActivation\":\"sigmoid\""},
                      DropCase{"gru", ",\"recurrentActivation\":\"sigmoid\",\"resetAfter\":true"},
                      DropCase{"lstm", ",\"recurrentActivation\":\"sigmoid\",\"goBackwards\":true"},
                      DropCase{"bidirectional", ",\"layer\":\"gru\",\"recurrentActivation\":\"sigmoid\""},
                      DropCase{"bidirectional",
                               ",\"layer\":\"lstm\",\"mergeMode\":\"sum\",\"recurrentActivation\":\"sigmoid\""}),
    [](const ::testing::TestParamInfo<DropCase>& info) { return "case" + std::to_string(info.index); });

// A linear SimpleRNN with kernel = I, recurrent kernel = 0, no bias, all-ones input: h_t = m, the
// input mask, at every step. So each step shows the mask: the same one at every step of a
// sample, different between samples, 0 or 1 / (1 − rate), kept at rate 1 − dropout.
TEST(RecurrentDropout, InputMaskIsOnePerSequenceWithTheKeepRate) {
  const int n = 400, steps = 6, units = 8;
  const float rate = 0.25f, scale = 1.0f / (1.0f - rate);
  BuiltLayer b = build_layer(
      "simpleRNN", R"({"units":8,"activation":"linear","useBias":false,"returnSequences":true,"dropout":0.25})",
      {{steps, units}});
  identity(b.layer->variables()[0]);
  fill(b.layer->variables()[1], 0.0f);
  LayerDriver drv{*b.layer, n, true, 1, {std::vector<float>(static_cast<std::size_t>(n * steps * units), 1.0f)}};
  const std::vector<float> out = drv.forward();
  int kept = 0, samples_differ = 0;
  for (int i = 0; i < n; ++i) {
    const float* first = out.data() + static_cast<std::size_t>(i) * steps * units;
    for (int j = 0; j < units; ++j) {
      ASSERT_TRUE(first[j] == 0.0f || first[j] == scale) << first[j];
      kept += first[j] != 0.0f;
      for (int t = 1; t < steps; ++t) ASSERT_EQ(first[t * units + j], first[j]) << "sample " << i << " step " << t;
    }
    if (i > 0) samples_differ += !std::equal(first, first + units, first - static_cast<std::ptrdiff_t>(steps) * units);
  }
  const double keep = static_cast<double>(kept) / (n * units);
  EXPECT_NEAR(keep, 1.0 - rate, 4.0 * std::sqrt(rate * (1.0 - rate) / (n * units)));  // 4 sigma
  EXPECT_GT(samples_differ, n / 2);
  // Inference: no mask, h_t = 1 everywhere.
  drv.training = false;
  for (float v : drv.forward()) ASSERT_EQ(v, 1.0f);
}

// Linear, kernel = I, recurrent kernel = I, input 1 at step 0 and 0 after: h_0 = 1 and
// h_t = h_{t−1} ⊙ m, so h_t = scale^t where m keeps the unit and 0 from step 1 on where it does
// not. A mask drawn again per step would let a dropped unit come back, or drop it later.
TEST(RecurrentDropout, RecurrentMaskIsOnePerSequenceWithTheKeepRate) {
  const int n = 300, steps = 5, units = 8;
  const float rate = 0.4f, scale = 1.0f / (1.0f - rate);
  for (const char* type : {"simpleRNN", "lstm", "gru"}) {
    SCOPED_TRACE(type);
    BuiltLayer b = build_layer(type, R"({"units":8,"recurrentDropout":0.4})", {{steps, units}});
    auto& layer = static_cast<RecurrentLayer&>(*b.layer);
    std::vector<float> x(static_cast<std::size_t>(n * steps * units), 0.0f);
    for (int i = 0; i < n; ++i)
      for (int j = 0; j < units; ++j) x[static_cast<std::size_t>(i * steps * units + j)] = 1.0f;
    LayerDriver drv{layer, n, true, 1, {x}};
    drv.forward();
    const std::vector<float>& m = layer.state().recurrent_mask;
    ASSERT_EQ(m.size(), static_cast<std::size_t>(n * units));
    int kept = 0;
    for (float v : m) {
      ASSERT_TRUE(v == 0.0f || v == scale) << v;
      kept += v != 0.0f;
    }
    EXPECT_NEAR(static_cast<double>(kept) / m.size(), 1.0 - rate, 4.0 * std::sqrt(rate * (1.0 - rate) / m.size()));
    // Same stream, same bits; another stream, other masks.
    const std::vector<float> first = m;
    drv.forward();
    EXPECT_EQ(layer.state().recurrent_mask, first);
    drv.rng_seed = 100;
    drv.forward();
    EXPECT_NE(layer.state().recurrent_mask, first);
  }
  BuiltLayer b = build_layer(
      "simpleRNN", R"({"units":8,"activation":"linear","useBias":false,"returnSequences":true,"recurrentDropout":0.4})",
      {{steps, units}});
  identity(b.layer->variables()[0]);
  identity(b.layer->variables()[1]);
  std::vector<float> x(static_cast<std::size_t>(n * steps * units), 0.0f);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < units; ++j) x[static_cast<std::size_t>(i * steps * units + j)] = 1.0f;
  LayerDriver drv{*b.layer, n, true, 1, {x}};
  const std::vector<float> out = drv.forward();
  const std::vector<float>& m = static_cast<RecurrentLayer&>(*b.layer).state().recurrent_mask;
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < units; ++j) {
      const bool keep = m[static_cast<std::size_t>(i * units + j)] != 0.0f;
      for (int t = 0; t < steps; ++t) {
        const float want = t == 0 ? 1.0f : keep ? std::pow(scale, static_cast<float>(t)) : 0.0f;
        ASSERT_NEAR(out[static_cast<std::size_t>((i * steps + t) * units + j)], want, 1e-5f * want)
            << "sample " << i << " unit " << j << " step " << t;
      }
    }
}

// A one-step SimpleRNN reads only x: tanh((x ⊙ m)·K + b) by hand with the layer's own mask.
TEST(RecurrentDropout, OneStepByHandWithTheDrawnMask) {
  BuiltLayer b = build_layer("simpleRNN", R"({"units":2,"dropout":0.5})", {{1, 3}}, 4);
  auto& layer = static_cast<RecurrentLayer&>(*b.layer);
  const std::vector<float> x = {0.5f, -1.0f, 2.0f, 1.5f, 0.25f, -0.75f};
  LayerDriver drv{layer, 2, true, 1, {x}};
  const std::vector<float> out = drv.forward();
  const std::vector<float>& m = layer.state().input_mask;
  const Tensor &k = *layer.variables()[0].value, &bias = *layer.variables()[2].value;
  for (int i = 0; i < 2; ++i)
    for (int u = 0; u < 2; ++u) {
      double z = bias[static_cast<std::size_t>(u)];
      for (int f = 0; f < 3; ++f)
        z += static_cast<double>(x[static_cast<std::size_t>(i * 3 + f)]) * m[static_cast<std::size_t>(i * 3 + f)] *
             k[static_cast<std::size_t>(f * 2 + u)];
      EXPECT_NEAR(out[static_cast<std::size_t>(i * 2 + u)], std::tanh(z), 1e-6);
    }
}

TEST(RecurrentDropout, InferenceIsTheLayerWithoutDropoutAndTrainingIsSeeded) {
  const std::string plain =
      R"({"inputShape":[6,3],"seed":5,"layers":[{"type":"lstm","units":4},{"type":"dense","units":2}]})";
  const std::string dropped =
      R"({"inputShape":[6,3],"seed":5,"layers":[{"type":"lstm","units":4,"dropout":0.3,"recurrentDropout":0.3},)"
      R"({"type":"dense","units":2}]})";
  Sequential a(parse_graph_spec(plain)), b(parse_graph_spec(dropped));
  const std::vector<float> x = random_vector(10 * 6 * 3, 2);
  const Tensor& ya = a.forward(x.data(), 10);
  const std::vector<float> copy(ya.data(), ya.data() + ya.size());
  const Tensor& yb = b.forward(x.data(), 10);
  for (std::size_t i = 0; i < copy.size(); ++i) ASSERT_EQ(copy[i], yb[i]) << i;
}

TEST(RecurrentDropout, RatesOutsideZeroToOneAreNamed) {
  for (const char* bad :
       {R"("dropout":1)", R"("recurrentDropout":1)", R"("dropout":-0.1)", R"("recurrentDropout":2)"}) {
    SCOPED_TRACE(bad);
    const std::string spec = std::string(R"({"inputShape":[3,2],"layers":[{"type":"gru","units":2,)") + bad + "}]}";
    EXPECT_ERROR_CONTAINS(Sequential(parse_graph_spec(spec)), "ropout", "[0, 1");
  }
  EXPECT_ERROR_CONTAINS(
      Sequential(parse_graph_spec(
          R"({"inputShape":[3,2],"layers":[{"type":"bidirectional","layer":"lstm","units":2,"dropout":1}]})")),
      "dropout must be a number in [0, 1)");
}

}  // namespace
}  // namespace nnplay
