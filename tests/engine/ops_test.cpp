// Forward cases computed by hand for the ops and the dense layer, and the loss values TF.js
// gives (clipping, averaging). Gradients are checked in gradcheck_test.cpp.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "chain.h"
#include "core/check.h"
#include "nn/dense_layer.h"
#include "ops/activation.h"
#include "ops/binary_crossentropy.h"
#include "ops/categorical_crossentropy.h"
#include "ops/dense.h"
#include "ops/mean_squared_error.h"
#include "ops/sparse_categorical_crossentropy.h"
#include "train/loss.h"

namespace nnplay {
namespace {

TEST(DenseOp, ForwardByHand) {
  // x [2, 3] · W [3, 2] + b [2]
  const float x[] = {1,  2, 3,  //
                     -1, 0, 2};
  const float w[] = {0.5f, -1,  //
                     2,    0,   //
                     -1,   0.25f};
  const float b[] = {0.1f, -0.2f};
  float out[4] = {99, 99, 99, 99};  // overwritten, not accumulated
  dense_forward(out, x, w, b, 2, 3, 2);
  // row 0: [0.5 + 4 − 3, −1 + 0 + 0.75] + b = [1.6, −0.45]
  // row 1: [−0.5 + 0 − 2, 1 + 0 + 0.5] + b = [−2.4, 1.3]
  EXPECT_FLOAT_EQ(out[0], 1.6f);
  EXPECT_FLOAT_EQ(out[1], -0.45f);
  EXPECT_FLOAT_EQ(out[2], -2.4f);
  EXPECT_FLOAT_EQ(out[3], 1.3f);
  dense_forward(out, x, w, nullptr, 2, 3, 2);  // useBias false
  EXPECT_FLOAT_EQ(out[0], 1.5f);
  EXPECT_FLOAT_EQ(out[3], 1.5f);
}

TEST(DenseOp, BackwardByHand) {
  const float x[] = {1, 2};        // [1, 2]
  const float w[] = {3, 4, 5, 6};  // [2, 2]
  const float d_out[] = {1, -1};   // [1, 2]
  float d_in[2] = {0, 0}, d_w[4] = {1, 1, 1, 1}, d_b[2] = {0, 0};
  dense_backward(d_in, d_w, d_b, d_out, x, w, 1, 2, 2);
  // d_in = d_out · W^T = [3 − 4, 5 − 6]
  EXPECT_FLOAT_EQ(d_in[0], -1);
  EXPECT_FLOAT_EQ(d_in[1], -1);
  // d_W += x^T · d_out = [[1, −1], [2, −2]] on top of the ones already there
  EXPECT_FLOAT_EQ(d_w[0], 2);
  EXPECT_FLOAT_EQ(d_w[1], 0);
  EXPECT_FLOAT_EQ(d_w[2], 3);
  EXPECT_FLOAT_EQ(d_w[3], -1);
  EXPECT_FLOAT_EQ(d_b[0], 1);
  EXPECT_FLOAT_EQ(d_b[1], -1);
}

TEST(DenseLayer, ForwardByHandWithActivation) {
  // Built as the graph builds it: the dense node, then a relu node.
  Sequential layer(parse_graph_spec(R"({"inputShape":[2],"layers":[{"units":2,"activation":"relu"}]})"));
  const float w[] = {1, -1, 2, 1};
  const float b[] = {0.5f, -3};
  std::copy(w, w + 4, layer.params()[0].value->data());
  std::copy(b, b + 2, layer.params()[1].value->data());
  const float x[] = {1, 1, -2, 0.5f};
  const Tensor& out = layer.forward(x, 2);
  // z row 0 = [1 + 2 + 0.5, −1 + 1 − 3] = [3.5, −3] -> relu [3.5, 0]
  // z row 1 = [−2 + 1 + 0.5, 2 + 0.5 − 3] = [−0.5, −0.5] -> [0, 0]
  ASSERT_EQ(out.shape(), (Shape{2, 2}));
  EXPECT_FLOAT_EQ(out[0], 3.5f);
  EXPECT_FLOAT_EQ(out[1], 0.0f);
  EXPECT_FLOAT_EQ(out[2], 0.0f);
  EXPECT_FLOAT_EQ(out[3], 0.0f);
}

TEST(Activation, ForwardValuesAndDefaults) {
  const float x[] = {-2, 0.5f};
  float out[2];
  activation_forward(out, x, ActivationKind::kLeakyRelu, find_activation("leakyRelu").default_alpha, 1, 2);
  EXPECT_FLOAT_EQ(out[0], -0.6f);  // TF.js leakyRelu default alpha 0.3
  EXPECT_FLOAT_EQ(out[1], 0.5f);
  activation_forward(out, x, ActivationKind::kElu, 1.0f, 1, 2);
  EXPECT_NEAR(out[0], std::exp(-2.0) - 1.0, 1e-6);
  activation_forward(out, x, ActivationKind::kSoftmax, 0.0f, 1, 2);
  EXPECT_NEAR(out[1], 1.0 / (1.0 + std::exp(-2.5)), 1e-6);
  EXPECT_NEAR(out[0] + out[1], 1.0, 1e-6);
  float same[2] = {-2, 0.5f};
  activation_forward(same, same, ActivationKind::kLinear, 0.0f, 1, 2);  // in place
  EXPECT_FLOAT_EQ(same[0], -2);
  EXPECT_THROW(find_activation("swoosh"), Error);
  try {
    find_activation("swoosh");
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("allowed: linear, relu, leakyRelu, elu, sigmoid, tanh, softmax, hardSigmoid"),
              std::string::npos);
  }
}

TEST(Losses, ValuesAsTfjs) {
  // MSE: mean over all n·k elements.
  const float p[] = {1, 2, 3, 4}, y[] = {0, 2, 5, 4};
  EXPECT_DOUBLE_EQ(mean_squared_error_forward(p, y, 2, 2), (1.0 + 0 + 4 + 0) / 4);

  // BCE: mean of −(y log p + (1 − y) log(1 − p)).
  const float pb[] = {0.9f, 0.2f}, yb[] = {1, 0};
  EXPECT_NEAR(binary_crossentropy_forward(pb, yb, 2, 1), -(std::log(0.9) + std::log(0.8)) / 2, 1e-6);
  // Clipped at ε = 1e-7: p = 0 with y = 1 costs −log(1e-7), not infinity.
  const float p0[] = {0.0f}, y1[] = {1.0f};
  EXPECT_NEAR(binary_crossentropy_forward(p0, y1, 1, 1), -std::log(1e-7), 1e-3);

  // CCE: per sample −Σ y log p, mean over samples; rows are normalised first.
  const float pc[] = {0.2f, 0.3f, 0.5f, 2, 1, 1}, yc[] = {0, 0, 1, 1, 0, 0};
  EXPECT_NEAR(categorical_crossentropy_forward(pc, yc, 2, 3), -(std::log(0.5) + std::log(0.5)) / 2, 1e-6);
  const float labels[] = {2, 0};
  EXPECT_NEAR(sparse_categorical_crossentropy_forward(pc, labels, 2, 3), -(std::log(0.5) + std::log(0.5)) / 2, 1e-6);
}

TEST(Losses, FusedOnlyWithTheMatchingActivation) {
  EXPECT_TRUE(Loss("binaryCrossentropy", ActivationKind::kSigmoid).fused());
  EXPECT_FALSE(Loss("binaryCrossentropy", ActivationKind::kSoftmax).fused());
  EXPECT_TRUE(Loss("categoricalCrossentropy", ActivationKind::kSoftmax).fused());
  EXPECT_TRUE(Loss("sparseCategoricalCrossentropy", ActivationKind::kSoftmax).fused());
  EXPECT_FALSE(Loss("categoricalCrossentropy", ActivationKind::kSigmoid).fused());
  EXPECT_FALSE(Loss("meanSquaredError", ActivationKind::kSigmoid).fused());
  EXPECT_EQ(Loss("sparseCategoricalCrossentropy", ActivationKind::kSoftmax).target_size(5), 1);
  EXPECT_THROW(Loss("sparseCategoricalHinge", ActivationKind::kLinear), Error);  // not in the table
}

TEST(Sequential, ShapesParamsAndLayerOutputs) {
  ModelSpec spec;
  spec.input_shape = {3};
  LayerSpec a, b;
  a.units = 5;
  a.activation = "tanh";
  b.units = 2;
  b.use_bias = false;
  spec.layers = {a, b};
  Sequential model(spec);
  EXPECT_EQ(model.input_size(), 3);
  EXPECT_EQ(model.output_size(), 2);
  ASSERT_EQ(model.params().size(), 3u);
  EXPECT_EQ(model.params()[0].name, "dense_1/kernel");
  EXPECT_EQ(model.params()[0].value->shape(), (Shape{3, 5}));
  EXPECT_EQ(model.params()[1].name, "dense_1/bias");
  EXPECT_EQ(model.params()[2].name, "dense_2/kernel");
  std::vector<float> x(4 * 3, 0.5f);
  const Tensor& out = model.forward(x.data(), 4);
  EXPECT_EQ(out.shape(), (Shape{4, 2}));
  EXPECT_EQ(model.layer_output(0).shape(), (Shape{4, 5}));
  EXPECT_THROW(model.layer_output(2), Error);
}

TEST(Sequential, InitializersFollowTheirDistributions) {
  ModelSpec spec;
  spec.input_shape = {200};
  LayerSpec glorot, he, zeros;
  glorot.units = 100;
  he.units = 100;
  he.kernel_initializer = "heNormal";
  zeros.units = 10;
  zeros.kernel_initializer = "zeros";
  spec.layers = {glorot, he, zeros};
  Sequential model(spec);
  const Tensor& g = *model.params()[0].value;
  const float limit = std::sqrt(6.0f / 300.0f);
  double sum_sq = 0;
  for (std::size_t i = 0; i < g.size(); ++i) {
    ASSERT_LE(std::fabs(g[i]), limit);
    sum_sq += g[i] * g[i];
  }
  EXPECT_NEAR(sum_sq / g.size(), limit * limit / 3, 0.05 * limit * limit / 3);  // variance of U(−l, l)
  const Tensor& h = *model.params()[2].value;
  const double sd = std::sqrt(2.0 / 100.0);
  double hs = 0;
  for (std::size_t i = 0; i < h.size(); ++i) {
    ASSERT_LE(std::fabs(h[i]), 2 * sd + 1e-6);  // truncated at 2σ
    hs += h[i] * h[i];
  }
  // A normal truncated at 2σ has variance 0.774·σ².
  EXPECT_NEAR(hs / h.size(), 0.774 * sd * sd, 0.06 * sd * sd);
  const Tensor& z = *model.params()[4].value;
  for (std::size_t i = 0; i < z.size(); ++i) ASSERT_EQ(z[i], 0.0f);
  const Tensor& bias = *model.params()[1].value;
  for (std::size_t i = 0; i < bias.size(); ++i) ASSERT_EQ(bias[i], 0.0f);  // biasInitializer zeros
}

}  // namespace
}  // namespace nnplay
