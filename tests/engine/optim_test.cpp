// Each optimizer's update against its textbook (TF.js) formula on a two-step example whose
// numbers were worked out by hand: w0 = (1, −2), g1 = (0.5, −1), g2 = (0.2, 0.4), lr 0.1.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "optim/optimizer.h"

namespace nnplay {
namespace {

struct TwoParams {
  std::shared_ptr<Tensor> w_ = std::make_shared<Tensor>(Shape{2}), g_ = std::make_shared<Tensor>(Shape{2});
  Tensor& w = *w_;
  Tensor& g = *g_;
  std::vector<Variable> params;
  TwoParams() {
    w[0] = 1.0f;
    w[1] = -2.0f;
    params.push_back(Variable{"p/kernel", w_, g_, true, 0.0f, 0.0f});
  }
  void step(Optimizer& opt, float g0, float g1) {
    g[0] = g0;
    g[1] = g1;
    opt.apply(params);
  }
};

OptimizerSpec spec_for(const char* name) {
  OptimizerSpec s;
  s.name = name;
  s.learning_rate = 0.1f;
  return s;
}

// Runs the two steps and checks w after each against hand-computed values.
void expect_two_steps(const OptimizerSpec& spec, float w1a, float w1b, float w2a, float w2b) {
  auto opt = make_optimizer(spec);
  TwoParams t;
  t.step(*opt, 0.5f, -1.0f);
  EXPECT_NEAR(t.w[0], w1a, 2e-6) << spec.name << " step 1";
  EXPECT_NEAR(t.w[1], w1b, 2e-6) << spec.name << " step 1";
  t.step(*opt, 0.2f, 0.4f);
  EXPECT_NEAR(t.w[0], w2a, 2e-6) << spec.name << " step 2";
  EXPECT_NEAR(t.w[1], w2b, 2e-6) << spec.name << " step 2";
}

TEST(Optimizers, Sgd) {
  // w −= lr·g
  expect_two_steps(spec_for("sgd"), 0.95f, -1.9f, 0.93f, -1.94f);
}

TEST(Optimizers, Momentum) {
  // accum = 0.9·accum + g; w −= lr·accum.  accum1 = g1, accum2 = (0.65, −0.5)
  OptimizerSpec s = spec_for("momentum");
  s.momentum = 0.9f;
  expect_two_steps(s, 0.95f, -1.9f, 0.885f, -1.85f);
}

TEST(Optimizers, MomentumNesterov) {
  // w −= lr·(g + 0.9·accum): step 1 1 − 0.1·(0.5 + 0.45), step 2 0.905 − 0.1·(0.2 + 0.585)
  OptimizerSpec s = spec_for("momentum");
  s.momentum = 0.9f;
  s.use_nesterov = true;
  expect_two_steps(s, 0.905f, -1.81f, 0.8265f, -1.805f);
}

TEST(Optimizers, Adam) {
  // Step 1: m̂ = g, v̂ = g², so w moves lr·g/(|g| + ε) ≈ lr·sign(g).
  // Step 2 (first weight): m = 0.065, v = 0.00028975, m̂ = 0.065/0.19, v̂ = v/0.001999,
  // w = 0.9 − 0.1·0.342105/(0.380719 + 1e-7) = 0.810142.
  expect_two_steps(spec_for("adam"), 0.9f, -1.9f, 0.810142f, -1.865439f);
}

TEST(Optimizers, AdamEpsilonIsOutsideTheSquareRoot) {
  // With g = 0 after a first step of g = 1e-4 and a huge ε, the step shows where ε sits:
  // lr·m̂/(sqrt(v̂) + ε) with m̂ = 1e-4, v̂ = 1e-8, ε = 1e-4 -> lr·0.5.
  OptimizerSpec s = spec_for("adam");
  s.epsilon = 1e-4f;
  auto opt = make_optimizer(s);
  TwoParams t;
  t.step(*opt, 1e-4f, 0.0f);
  EXPECT_NEAR(t.w[0], 1.0f - 0.05f, 1e-6);
  EXPECT_FLOAT_EQ(t.w[1], -2.0f);
}

TEST(Optimizers, AdadeltaAsTfjs) {
  // TF.js 4.22 scales g by sqrt(accum_u + ε) / sqrt(accum_g + ε) with accum_g from before the
  // step; both accumulators start at 0 and receive the same (1 − ρ)·g², so the ratio stays 1 and
  // every step is lr·g — what tf.train.adadelta(0.1, 0.95) gives: (0.95, −1.9), (0.93, −1.94).
  OptimizerSpec s = spec_for("adadelta");
  s.decay = 0.95f;
  expect_two_steps(s, 0.95f, -1.9f, 0.93f, -1.94f);
}

TEST(Optimizers, Adamax) {
  // Step 1: m = 0.1·g, u = |g|, step = lr / (1 − 0.9) = 1: w moves 0.1·sign(g).
  // Step 2: m = (0.065, −0.05), u = (0.4995, 0.999), step = 0.1 / 0.19:
  // w = 0.9 − 0.526316·0.065/0.4995, −1.9 + 0.526316·0.05/0.999.
  OptimizerSpec s = spec_for("adamax");
  s.decay = 0.0f;
  expect_two_steps(s, 0.9f, -1.9f, 0.8315105f, -1.8736579f);
  // decay 0.01: step 2's rate is lr / (1 + 0.01); tf.train.adamax(0.1, 0.9, 0.999, ε, 0.01) gives
  // (0.9, −1.9) then (0.8321887, −1.8739188).
  s.decay = 0.01f;
  expect_two_steps(s, 0.9f, -1.9f, 0.8321887f, -1.8739188f);
}

TEST(Optimizers, AdadeltaAndAdamaxTakeTfjsDefaults) {
  const OptimizerSpec adadelta = find_optimizer("adadelta").default_spec();
  EXPECT_FLOAT_EQ(adadelta.learning_rate, 1.0f);  // tfjs-layers' string 'adadelta'
  EXPECT_FLOAT_EQ(adadelta.decay, 0.95f);
  const OptimizerSpec adamax = find_optimizer("adamax").default_spec();
  EXPECT_FLOAT_EQ(adamax.learning_rate, 0.002f);
  EXPECT_FLOAT_EQ(adamax.decay, 0.0f);
  EXPECT_FLOAT_EQ(adamax.beta1, 0.9f);
  EXPECT_FLOAT_EQ(adamax.beta2, 0.999f);
  CompileSpec c = parse_compile_spec(R"({"optimizer":{"name":"adadelta","learningRate":0.5,"rho":0.9}})");
  EXPECT_FLOAT_EQ(c.optimizer.decay, 0.9f);
  c = parse_compile_spec(R"({"optimizer":{"name":"adamax","decay":0.1,"beta2":0.99}})");
  EXPECT_FLOAT_EQ(c.optimizer.decay, 0.1f);
  EXPECT_FLOAT_EQ(c.optimizer.learning_rate, 0.002f);
  EXPECT_THROW(parse_compile_spec(R"({"optimizer":{"name":"adadelta","rho":1}})"), Error);
  EXPECT_THROW(parse_compile_spec(R"({"optimizer":{"name":"adamax","decay":-1}})"), Error);
  EXPECT_THROW(parse_compile_spec(R"({"optimizer":{"name":"adamax","beta1":1}})"), Error);
}

TEST(Optimizers, RmsProp) {
  // ms = 0.9·ms + 0.1·g²; w −= lr·g/sqrt(ms + ε)
  // step 1: ms = (0.025, 0.1) -> w = (1 − 0.316228, −2 + 0.316228)
  // step 2: ms = (0.0265, 0.106) -> both move by 0.122859
  expect_two_steps(spec_for("rmsprop"), 0.683772f, -1.683772f, 0.560913f, -1.806631f);
}

TEST(Optimizers, RmsPropWithMomentum) {
  // mom = 0.5·mom + lr·g/sqrt(ms + ε); w −= mom. Step 2: 0.683772 − (0.158114 + 0.122859),
  // −1.683772 − (−0.158114 + 0.122859)
  OptimizerSpec s = spec_for("rmsprop");
  s.momentum = 0.5f;
  expect_two_steps(s, 0.683772f, -1.683772f, 0.402799f, -1.648517f);
}

TEST(Optimizers, Adagrad) {
  // accum starts at 0.1; accum += g²; w −= lr·g/sqrt(accum + ε)
  // step 1: accum = (0.35, 1.1); step 2: accum = (0.39, 1.26)
  expect_two_steps(spec_for("adagrad"), 0.915485f, -1.904654f, 0.883459f, -1.940289f);
}

TEST(Optimizers, LearningRateChangesLiveAndKeepsState) {
  OptimizerSpec s = spec_for("momentum");
  s.momentum = 0.9f;
  auto opt = make_optimizer(s);
  TwoParams t;
  t.step(*opt, 0.5f, -1.0f);
  opt->set_learning_rate(0.2f);
  t.step(*opt, 0.2f, 0.4f);
  // accum2 = (0.65, −0.5) as before: the state survived, only lr changed.
  EXPECT_NEAR(t.w[0], 0.95f - 0.2f * 0.65f, 1e-6);
  EXPECT_NEAR(t.w[1], -1.9f + 0.2f * 0.5f, 1e-6);
  EXPECT_THROW(opt->set_learning_rate(0.0f), Error);
  EXPECT_THROW(opt->set_learning_rate(-1.0f), Error);
  EXPECT_THROW(opt->set_learning_rate(std::nanf("")), Error);
  EXPECT_THROW(opt->set_learning_rate(INFINITY), Error);
  EXPECT_FLOAT_EQ(opt->learning_rate(), 0.2f);
}

TEST(Optimizers, RejectsInvalidSettings) {
  OptimizerSpec s = spec_for("adam");
  s.beta1 = 1.0f;
  EXPECT_THROW(make_optimizer(s), Error);
  s = spec_for("nadam");
  EXPECT_THROW(make_optimizer(s), Error);
}

}  // namespace
}  // namespace nnplay
