// Finite-difference gradient checks, in double, for every op's backward: dense (inputs,
// kernel, bias), every activation, every loss (plain and fused with softmax/sigmoid), L1/L2,
// and a whole Sequential model end to end.
//
// How: the ops compute in float32, so each check perturbs one float input by ±h, runs the float
// forward, reduces the result to a scalar in double, and takes the central difference over the
// step actually stored ((float)(x+h) − (float)(x−h)). Layers are reduced with a fixed random
// projection L = Σ r·out, so backward is exercised with an arbitrary d_out = r. Tolerances are
// per op: |analytic − numeric| <= atol + rtol·|numeric|; a missing factor or sign fails them.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "chain.h"
#include "core/rng.h"
#include "core/tensor.h"
#include "ops/activation.h"
#include "ops/binary_crossentropy.h"
#include "ops/categorical_crossentropy.h"
#include "ops/dense.h"
#include "ops/mean_squared_error.h"
#include "ops/regularization.h"
#include "ops/sparse_categorical_crossentropy.h"
#include "test_util.h"
#include "train/loss.h"

namespace nnplay {
namespace {

using test::gradients_match;
using test::numeric_gradient;
using test::project;
using test::random_vector;

// Values in ±[lo, hi], kept away from 0 where piecewise activations have their kink.
std::vector<float> values_away_from_zero(std::size_t n, std::uint64_t seed, float lo, float hi) {
  Rng rng(seed);
  std::vector<float> v(n);
  for (float& x : v) x = (rng.uniform() < 0.5f ? -1.0f : 1.0f) * rng.uniform(lo, hi);
  return v;
}

// ---------------------------------------------------------------- dense

TEST(GradCheck, DenseInputsKernelBias) {
  const int n = 5, c_in = 4, c_out = 3;
  std::vector<float> in = random_vector(n * c_in, 1, -1, 1);
  std::vector<float> w = random_vector(c_in * c_out, 2, -1, 1);
  std::vector<float> b = random_vector(c_out, 3, -1, 1);
  std::vector<float> r = random_vector(n * c_out, 4, -1, 1);
  std::vector<float> out(n * c_out);
  auto f = [&]() {
    dense_forward(out.data(), in.data(), w.data(), b.data(), n, c_in, c_out);
    return project(out.data(), r);
  };
  // Backward accumulates: start from a non-zero value to check "+=".
  std::vector<float> d_in(n * c_in, 0.5f), d_w(c_in * c_out, 0.5f), d_b(c_out, 0.5f);
  dense_backward(d_in.data(), d_w.data(), d_b.data(), r.data(), in.data(), w.data(), n, c_in, c_out);
  for (float& v : d_in) v -= 0.5f;
  for (float& v : d_w) v -= 0.5f;
  for (float& v : d_b) v -= 0.5f;
  EXPECT_TRUE(gradients_match(d_in.data(), numeric_gradient(in.data(), in.size(), 1e-2, f), 1e-3, 1e-4));
  EXPECT_TRUE(gradients_match(d_w.data(), numeric_gradient(w.data(), w.size(), 1e-2, f), 1e-3, 1e-4));
  EXPECT_TRUE(gradients_match(d_b.data(), numeric_gradient(b.data(), b.size(), 1e-2, f), 1e-3, 1e-4));
}

// ---------------------------------------------------------------- activations

struct ActivationCase {
  const char* name;
  float alpha;
};

class ActivationGradCheck : public ::testing::TestWithParam<ActivationCase> {};

TEST_P(ActivationGradCheck, MatchesFiniteDifferences) {
  const ActivationInfo& info = find_activation(GetParam().name);
  const ActivationKind kind = info.kind;
  const float alpha = GetParam().alpha < 0 ? info.default_alpha : GetParam().alpha;
  const int rows = 4, cols = 5;
  const std::size_t n = rows * cols;
  // |x| >= 0.1 > h: the central difference never straddles relu's / leakyRelu's / elu's kink.
  std::vector<float> x = values_away_from_zero(n, 11, 0.1f, 2.5f);
  std::vector<float> r = random_vector(n, 12, -1, 1);
  std::vector<float> out(n);
  auto f = [&]() {
    activation_forward(out.data(), x.data(), kind, alpha, rows, cols);
    return project(out.data(), r);
  };
  f();
  std::vector<float> d_in(n, 0.25f);  // accumulates
  activation_backward(d_in.data(), r.data(), x.data(), out.data(), kind, alpha, rows, cols);
  for (float& v : d_in) v -= 0.25f;
  EXPECT_TRUE(gradients_match(d_in.data(), numeric_gradient(x.data(), n, 1e-2, f), 2e-3, 2e-4)) << GetParam().name;
}

INSTANTIATE_TEST_SUITE_P(
    AllActivations, ActivationGradCheck,
    ::testing::Values(ActivationCase{"linear", -1}, ActivationCase{"relu", -1}, ActivationCase{"leakyRelu", -1},
                      ActivationCase{"leakyRelu", 0.1f}, ActivationCase{"elu", -1}, ActivationCase{"elu", 0.5f},
                      ActivationCase{"sigmoid", -1}, ActivationCase{"tanh", -1}, ActivationCase{"softmax", -1},
                      ActivationCase{"hardSigmoid", -1}, ActivationCase{"softplus", -1}, ActivationCase{"softsign", -1},
                      ActivationCase{"selu", -1}, ActivationCase{"relu6", -1}, ActivationCase{"swish", -1},
                      ActivationCase{"gelu", -1}, ActivationCase{"mish", -1}, ActivationCase{"exponential", -1}),
    [](const ::testing::TestParamInfo<ActivationCase>& info) {
      return std::string(info.param.name) + (info.param.alpha < 0 ? "" : "_alpha");
    });

// ---------------------------------------------------------------- losses on predictions

// Loss checks perturb the predictions directly: the loss itself is computed in double, so the
// difference quotient is accurate and the tolerance can be tight.
void check_loss_gradient(const char* what, std::vector<float> pred, const std::vector<float>& y, int n, int k,
                         const std::function<double(const float*, const float*, int, int)>& forward,
                         const std::function<void(float*, const float*, const float*, int, int)>& backward) {
  std::vector<float> d(pred.size(), 0.0f);
  backward(d.data(), pred.data(), y.data(), n, k);
  auto f = [&]() { return forward(pred.data(), y.data(), n, k); };
  EXPECT_TRUE(gradients_match(d.data(), numeric_gradient(pred.data(), pred.size(), 1e-3, f), 2e-3, 1e-6)) << what;
}

TEST(GradCheck, MeanSquaredError) {
  const int n = 4, k = 3;
  check_loss_gradient("mse", random_vector(n * k, 21, -2, 2), random_vector(n * k, 22, -2, 2), n, k,
                      mean_squared_error_forward, mean_squared_error_backward);
}

TEST(GradCheck, BinaryCrossentropyOnProbabilities) {
  const int n = 5, k = 2;
  std::vector<float> y(n * k);
  for (std::size_t i = 0; i < y.size(); ++i) y[i] = (i % 3 == 0) ? 1.0f : 0.0f;
  y[1] = 0.3f;  // soft label
  check_loss_gradient("bce", random_vector(n * k, 23, 0.05f, 0.95f), y, n, k, binary_crossentropy_forward,
                      binary_crossentropy_backward);
}

TEST(GradCheck, CategoricalCrossentropyOnUnnormalisedOutputs) {
  // Positive outputs that do not sum to 1: exercises the row normalisation TF.js applies.
  const int n = 3, k = 4;
  std::vector<float> y = {0, 1, 0, 0, 1, 0, 0, 0, 0.25f, 0.25f, 0, 0.5f};
  check_loss_gradient("cce", random_vector(n * k, 24, 0.1f, 1.0f), y, n, k, categorical_crossentropy_forward,
                      categorical_crossentropy_backward);
}

TEST(GradCheck, SparseCategoricalCrossentropyOnUnnormalisedOutputs) {
  const int n = 4, k = 3;
  std::vector<float> labels = {2, 0, 1, 2};
  check_loss_gradient("sparse cce", random_vector(n * k, 25, 0.1f, 1.0f), labels, n, k,
                      sparse_categorical_crossentropy_forward, sparse_categorical_crossentropy_backward);
}

// ---------------------------------------------------------------- fused losses on logits

// loss(activation(z)) with the fused backward, which returns ∂loss/∂z directly.
void check_fused(const char* what, ActivationKind act, std::vector<float> z, const std::vector<float>& y, int n, int k,
                 const std::function<double(const float*, const float*, int, int)>& forward,
                 const std::function<void(float*, const float*, const float*, int, int)>& fused_backward) {
  std::vector<float> p(z.size());
  auto f = [&]() {
    activation_forward(p.data(), z.data(), act, 0.0f, n, k);
    return forward(p.data(), y.data(), n, k);
  };
  f();
  std::vector<float> d(z.size(), 0.0f);
  fused_backward(d.data(), p.data(), y.data(), n, k);
  EXPECT_TRUE(gradients_match(d.data(), numeric_gradient(z.data(), z.size(), 1e-2, f), 3e-3, 2e-5)) << what;
}

TEST(GradCheck, FusedSigmoidBinaryCrossentropy) {
  const int n = 6, k = 1;
  std::vector<float> y = {1, 0, 1, 1, 0, 0};
  check_fused("sigmoid+bce", ActivationKind::kSigmoid, random_vector(n * k, 31, -3, 3), y, n, k,
              binary_crossentropy_forward, binary_crossentropy_sigmoid_backward);
}

TEST(GradCheck, FusedSoftmaxCategoricalCrossentropy) {
  const int n = 3, k = 4;
  std::vector<float> y = {0, 0, 1, 0, 1, 0, 0, 0, 0, 0.5f, 0, 0.5f};
  check_fused("softmax+cce", ActivationKind::kSoftmax, random_vector(n * k, 32, -3, 3), y, n, k,
              categorical_crossentropy_forward, categorical_crossentropy_softmax_backward);
}

TEST(GradCheck, FusedSoftmaxSparseCategoricalCrossentropy) {
  const int n = 4, k = 3;
  std::vector<float> labels = {0, 2, 1, 1};
  check_fused("softmax+sparse cce", ActivationKind::kSoftmax, random_vector(n * k, 33, -3, 3), labels, n, k,
              sparse_categorical_crossentropy_forward, sparse_categorical_crossentropy_softmax_backward);
}

// The fused gradient stays finite and right where the plain one would divide by p(1 − p) ≈ 0.
TEST(GradCheck, FusedSigmoidBinaryCrossentropyIsStableWhenSaturated) {
  std::vector<float> z = {40.0f, -40.0f}, y = {0.0f, 1.0f}, p(2), d(2, 0.0f);
  activation_forward(p.data(), z.data(), ActivationKind::kSigmoid, 0.0f, 2, 1);
  binary_crossentropy_sigmoid_backward(d.data(), p.data(), y.data(), 2, 1);
  EXPECT_NEAR(d[0], 0.5f, 1e-6);   // (1 − 0) / 2
  EXPECT_NEAR(d[1], -0.5f, 1e-6);  // (0 − 1) / 2
  // And the reported loss is the clipped one, finite: p is clipped to [ε, 1 − ε] in float32
  // (1 − ε rounds to 1 − 1.19e-7), so sample 0 costs −log(1 − (1 − ε)) and sample 1 −log(ε).
  const double lo = 1e-7f, hi = 1.0f - 1e-7f;
  EXPECT_NEAR(binary_crossentropy_forward(p.data(), y.data(), 2, 1), (-std::log(1.0 - hi) - std::log(lo)) / 2, 1e-6);
}

// ---------------------------------------------------------------- regularization

TEST(GradCheck, L1AndL2Regularization) {
  std::vector<float> w = values_away_from_zero(10, 41, 0.05f, 1.5f);
  const float l1 = 0.03f, l2 = 0.2f;
  std::vector<float> d(w.size(), 0.0f);
  regularization_backward(d.data(), w.data(), w.size(), l1, l2);
  auto f = [&]() { return regularization_forward(w.data(), w.size(), l1, l2); };
  EXPECT_TRUE(gradients_match(d.data(), numeric_gradient(w.data(), w.size(), 1e-3, f), 1e-3, 1e-6));
  // Value: l1·Σ|w| + l2·Σw², no ½ (TF.js).
  std::vector<float> one = {-2.0f, 3.0f};
  EXPECT_NEAR(regularization_forward(one.data(), 2, 0.5f, 0.1f), 0.5 * 5 + 0.1 * 13, 1e-6);
}

// ---------------------------------------------------------------- whole model

struct ModelCase {
  const char* hidden_activation;
  const char* output_activation;
  const char* loss;
  int outputs;
};

class ModelGradCheck : public ::testing::TestWithParam<ModelCase> {};

// Two dense layers, a loss, L1+L2 on the kernels: the gradient the Trainer would apply
// (model backward, fused where the loss allows, plus regularization) against differences of
// the total loss over every parameter.
TEST_P(ModelGradCheck, ParameterGradientsMatchFiniteDifferences) {
  const ModelCase c = GetParam();
  ModelSpec spec;
  spec.input_shape = {3};
  spec.seed = 5;
  LayerSpec hidden;
  hidden.units = 4;
  hidden.activation = c.hidden_activation;
  hidden.l1 = 0.01f;
  hidden.l2 = 0.02f;
  hidden.bias_initializer = "glorotUniform";  // non-zero biases, so relu units are not all at a kink
  LayerSpec out;
  out.units = c.outputs;
  out.activation = c.output_activation;
  out.l2 = 0.05f;
  spec.layers = {hidden, out};
  Sequential model(spec);
  // As the Trainer decides it: from the built graph's output node.
  Loss loss(c.loss, model.fusable_output_activation(0));

  const int n = 6;
  std::vector<float> x = random_vector(n * 3, 51, -1.5f, 1.5f);
  std::vector<float> y;
  Rng rng(52);
  for (int i = 0; i < n; ++i) {
    if (loss.sparse()) {
      y.push_back(static_cast<float>(rng.below(c.outputs)));
    } else if (std::string(c.loss) == "meanSquaredError") {
      for (int j = 0; j < c.outputs; ++j) y.push_back(rng.uniform(-1, 1));
    } else {
      int hot = static_cast<int>(rng.below(c.outputs));
      for (int j = 0; j < c.outputs; ++j) y.push_back(c.outputs == 1 ? static_cast<float>(i % 2) : (j == hot));
    }
  }
  auto total_loss = [&]() {
    const Tensor& p = model.forward(x.data(), n);
    double v = loss.forward(p.data(), y.data(), n, c.outputs);
    for (const Variable& prm : model.params())
      v += regularization_forward(prm.value->data(), prm.value->size(), prm.l1, prm.l2);
    return v;
  };

  const Tensor& p = model.forward(x.data(), n);
  Tensor d({n, c.outputs});
  loss.backward(d.data(), p.data(), y.data(), n, c.outputs);
  if (loss.fused())
    model.backward_pre_activation(d);
  else
    model.backward(d);
  for (Variable& prm : model.params())
    regularization_backward(prm.grad->data(), prm.value->data(), prm.value->size(), prm.l1, prm.l2);

  for (Variable& prm : model.params()) {
    std::vector<float> analytic(prm.grad->data(), prm.grad->data() + prm.grad->size());
    std::vector<double> numeric = numeric_gradient(prm.value->data(), prm.value->size(), 1e-2, total_loss);
    EXPECT_TRUE(gradients_match(analytic.data(), numeric, 1e-2, 3e-4)) << prm.name;
  }
}

INSTANTIATE_TEST_SUITE_P(Networks, ModelGradCheck,
                         ::testing::Values(ModelCase{"tanh", "sigmoid", "binaryCrossentropy", 1},
                                           ModelCase{"relu", "softmax", "categoricalCrossentropy", 3},
                                           ModelCase{"elu", "softmax", "sparseCategoricalCrossentropy", 3},
                                           ModelCase{"leakyRelu", "linear", "meanSquaredError", 2},
                                           ModelCase{"sigmoid", "tanh", "meanSquaredError", 1},
                                           ModelCase{"tanh", "sigmoid", "categoricalCrossentropy", 2},
                                           ModelCase{"linear", "softmax", "binaryCrossentropy", 2}),
                         [](const ::testing::TestParamInfo<ModelCase>& info) {
                           return std::string(info.param.hidden_activation) + "_" + info.param.output_activation + "_" +
                                  info.param.loss;
                         });

}  // namespace
}  // namespace nnplay
