// Training v2: learning-rate schedules (rates by hand, and as the trainer applies them), the
// compile spec v2 (a loss per output, lossWeights, metrics per output, Keras log names), the
// trainer over two inputs and two outputs (its step against finite differences of the weighted
// total loss), v1 specs unchanged, and Graph::predict over several inputs and outputs.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "data/dataset.h"
#include "nn/graph.h"
#include "nn/registry.h"
#include "test_util.h"
#include "train/trainer.h"

namespace nnplay {
namespace {

using test::random_vector;

OptimizerSpec optimizer_of(const std::string& compile_json) { return parse_compile_spec(compile_json).optimizer; }

TEST(Schedules, RatesAsKerasComputesThem) {
  const OptimizerSpec exp = optimizer_of(R"({"optimizer":{"name":"sgd","learningRate":{"schedule":"exponentialDecay",
    "initialLearningRate":0.1,"decaySteps":100,"decayRate":0.5,"staircase":false}}})");
  EXPECT_EQ(exp.schedule, "exponentialDecay");
  EXPECT_FLOAT_EQ(exp.learning_rate, 0.1f);
  EXPECT_FLOAT_EQ(learning_rate_at(exp, 0), 0.1f);
  EXPECT_FLOAT_EQ(learning_rate_at(exp, 50), 0.1f * std::sqrt(0.5f));  // 0.5^(50/100)
  EXPECT_FLOAT_EQ(learning_rate_at(exp, 100), 0.05f);
  EXPECT_FLOAT_EQ(learning_rate_at(exp, 300), 0.0125f);
  const OptimizerSpec stair = optimizer_of(R"({"optimizer":{"name":"adam","learningRate":{"schedule":"ExponentialDecay",
    "initialLearningRate":0.1,"decaySteps":100,"decayRate":0.5,"staircase":true}}})");
  EXPECT_FLOAT_EQ(learning_rate_at(stair, 99), 0.1f);
  EXPECT_FLOAT_EQ(learning_rate_at(stair, 150), 0.05f);

  const OptimizerSpec cos = optimizer_of(R"({"optimizer":{"name":"sgd","learningRate":{"schedule":"cosineDecay",
    "initialLearningRate":0.1,"decaySteps":10,"alpha":0.1}}})");
  EXPECT_FLOAT_EQ(learning_rate_at(cos, 0), 0.1f);
  EXPECT_FLOAT_EQ(learning_rate_at(cos, 5), 0.1f * (0.9f * 0.5f + 0.1f));  // cos(π/2) = 0
  EXPECT_FLOAT_EQ(learning_rate_at(cos, 10), 0.01f);                       // alpha · initial
  EXPECT_FLOAT_EQ(learning_rate_at(cos, 1000), 0.01f);                     // stays there
  const OptimizerSpec cos0 = optimizer_of(R"({"optimizer":{"name":"sgd","learningRate":{"schedule":"cosineDecay",
    "initialLearningRate":1,"decaySteps":4}}})");
  EXPECT_NEAR(learning_rate_at(cos0, 1), 0.5 * (1 + std::cos(3.14159265358979 / 4)), 1e-7);
  EXPECT_EQ(learning_rate_at(cos0, 4), 0.0f);

  const OptimizerSpec step = optimizer_of(R"({"optimizer":{"name":"sgd","learningRate":{"schedule":"stepDecay",
    "initialLearningRate":1,"stepSize":3,"gamma":0.5}}})");
  EXPECT_FLOAT_EQ(learning_rate_at(step, 0), 1.0f);
  EXPECT_FLOAT_EQ(learning_rate_at(step, 2), 1.0f);
  EXPECT_FLOAT_EQ(learning_rate_at(step, 3), 0.5f);
  EXPECT_FLOAT_EQ(learning_rate_at(step, 7), 0.25f);
  // A constant rate is a rate at every step.
  EXPECT_FLOAT_EQ(learning_rate_at(optimizer_of(R"({"optimizer":{"name":"sgd","learningRate":0.3}})"), 12345), 0.3f);
}

TEST(Schedules, BadSchedulesSayWhat) {
  EXPECT_ERROR_CONTAINS(optimizer_of(R"({"optimizer":{"name":"sgd","learningRate":{"schedule":"linear"}}})"),
                        "unknown learning-rate schedule \"linear\"", "exponentialDecay, cosineDecay, stepDecay");
  EXPECT_ERROR_CONTAINS(optimizer_of(R"({"optimizer":{"name":"sgd","learningRate":{"schedule":"exponentialDecay",
    "initialLearningRate":0.1,"decayRate":0.5}}})"),
                        "optimizer.learningRate (exponentialDecay)", "missing \"decaySteps\"");
  EXPECT_ERROR_CONTAINS(optimizer_of(R"({"optimizer":{"name":"sgd","learningRate":{"schedule":"stepDecay",
    "initialLearningRate":0.1,"stepSize":0}}})"),
                        "stepSize");
  EXPECT_ERROR_CONTAINS(optimizer_of(R"({"optimizer":{"name":"sgd","learningRate":{"initialLearningRate":0.1}}})"),
                        "needs \"schedule\"");
  EXPECT_ERROR_CONTAINS(optimizer_of(R"({"optimizer":{"name":"sgd","learningRate":{"schedule":"cosineDecay",
    "initialLearningRate":0.1,"decaySteps":5,"beta":1}}})"),
                        "unknown field \"beta\"");
}

TEST(Schedules, TheTrainerAsksTheScheduleAtEveryStep) {
  // One weight w, x = 1, y = 0, mse: the gradient is 2w, so sgd gives w ← w (1 − 2 lr_t).
  Graph g(parse_graph_spec(R"({"inputShape":[1],"seed":1,"layers":[{"type":"dense","units":1,"useBias":false}]})"));
  Dataset data;
  data.x = Tensor({1, 1});
  data.y = Tensor({1, 1});
  data.x[0] = 1.0f;
  const CompileSpec c = parse_compile_spec(R"({"loss":"mse","optimizer":{"name":"sgd","learningRate":{
    "schedule":"stepDecay","initialLearningRate":0.1,"stepSize":1,"gamma":0.5}}})");
  Trainer t(g, c);
  float w = (*g.variables()[0].value)[0];
  ASSERT_NE(w, 0.0f);
  EXPECT_FLOAT_EQ(t.learning_rate(), 0.1f);
  t.train_steps(data, 3, 1, false);
  for (float lr : {0.1f, 0.05f, 0.025f}) w = w - lr * (2.0f * w);
  EXPECT_FLOAT_EQ((*g.variables()[0].value)[0], w);
  EXPECT_FLOAT_EQ(t.learning_rate(), 0.0125f);
  // A live learning-rate change replaces the schedule.
  t.set_learning_rate(0.2f);
  t.train_steps(data, 1, 1, false);
  EXPECT_FLOAT_EQ((*g.variables()[0].value)[0], w - 0.2f * 2.0f * w);
  EXPECT_FLOAT_EQ(t.learning_rate(), 0.2f);
}

// a [3], b [2] -> cat -> h (dense 4, tanh) -> reg (dense 2)           (mse)
//                                          \-> cls (dense 1, sigmoid) (binaryCrossentropy)
const char* kTwoByTwo = R"({"format":"nnplay-graph","seed":21,"layers":[
  {"name":"a","type":"input","config":{"shape":[3]}},
  {"name":"b","type":"input","config":{"shape":[2]}},
  {"name":"cat","type":"concatenate","inbound":[["a","b"]]},
  {"name":"h","type":"dense","config":{"units":4,"activation":"tanh"},"inbound":[["cat"]]},
  {"name":"reg","type":"dense","config":{"units":2},"inbound":[["h"]]},
  {"name":"cls","type":"dense","config":{"units":1,"activation":"sigmoid"},"inbound":[["h"]]}],
  "inputs":["a","b"],"outputs":["reg","cls"]})";

MultiDataset two_by_two_data(int n) {
  MultiDataset d;
  d.xs = {Tensor({n, 3}), Tensor({n, 2})};
  d.ys = {Tensor({n, 2}), Tensor({n, 1})};
  const std::vector<float> a = random_vector(n * 3, 5), b = random_vector(n * 2, 6), r = random_vector(n * 2, 7);
  for (int i = 0; i < n * 3; ++i) d.xs[0][static_cast<std::size_t>(i)] = a[static_cast<std::size_t>(i)];
  for (int i = 0; i < n * 2; ++i) d.xs[1][static_cast<std::size_t>(i)] = b[static_cast<std::size_t>(i)];
  for (int i = 0; i < n * 2; ++i) d.ys[0][static_cast<std::size_t>(i)] = r[static_cast<std::size_t>(i)];
  for (int i = 0; i < n; ++i)
    d.ys[1][static_cast<std::size_t>(i)] = a[static_cast<std::size_t>(3 * i)] > 0 ? 1.0f : 0.0f;
  return d;
}

TEST(CompileV2, LossesWeightsAndMetricsPerOutputWithKerasLogNames) {
  Graph g(parse_graph_spec(kTwoByTwo));
  const CompileSpec c = parse_compile_spec(R"({"optimizer":{"name":"sgd","learningRate":0.5},
    "loss":{"reg":"mse","cls":{"name":"binaryCrossentropy"}},"lossWeights":{"reg":0.5,"cls":2},
    "metrics":{"cls":["accuracy"],"reg":"mae"}})");
  Trainer t(g, c);
  EXPECT_EQ(t.log_names(), (std::vector<std::string>{"loss", "reg_loss", "cls_loss", "reg_mae", "cls_acc"}));
  const int n = 6;
  MultiDataset data = two_by_two_data(n);
  const Logs logs = t.evaluate(data.view(), 4);
  EXPECT_NEAR(logs.get("loss"), 0.5 * logs.get("reg_loss") + 2 * logs.get("cls_loss"), 1e-12);
  // reg_loss and reg_mae by hand from predict.
  std::vector<float> reg(n * 2), cls(n);
  g.predict({reg.data(), cls.data()}, {data.xs[0].data(), data.xs[1].data()}, n);
  double mse = 0, mae = 0, bce = 0;
  for (int i = 0; i < n * 2; ++i) {
    const double e = reg[static_cast<std::size_t>(i)] - data.ys[0][static_cast<std::size_t>(i)];
    mse += e * e;
    mae += std::fabs(e);
  }
  for (int i = 0; i < n; ++i) {
    const double p = cls[static_cast<std::size_t>(i)], y = data.ys[1][static_cast<std::size_t>(i)];
    bce -= y * std::log(p) + (1 - y) * std::log(1 - p);
  }
  EXPECT_NEAR(logs.get("reg_loss"), mse / (n * 2), 1e-6);
  EXPECT_NEAR(logs.get("reg_mae"), mae / (n * 2), 1e-6);
  EXPECT_NEAR(logs.get("cls_loss"), bce / n, 1e-5);
}

TEST(CompileV2, ATrainingStepFollowsTheGradientOfTheWeightedTotal) {
  Graph g(parse_graph_spec(kTwoByTwo));
  const float lr = 0.01f;
  const CompileSpec c = parse_compile_spec(R"({"optimizer":{"name":"sgd","learningRate":0.01},
    "loss":["mse","binaryCrossentropy"],"lossWeights":[0.5,2]})");
  Trainer t(g, c);
  const int n = 5;
  MultiDataset data = two_by_two_data(n);
  // Numeric gradient of evaluate's total (no dropout / batchNorm here: training == inference).
  auto total = [&] { return t.evaluate(data.view(), n).get("loss"); };
  std::vector<std::vector<double>> numeric;
  std::vector<std::vector<float>> before;
  for (Variable& v : g.variables()) {
    numeric.push_back(test::numeric_gradient(v.value->data(), v.value->size(), 1e-2, total));
    before.emplace_back(v.value->data(), v.value->data() + v.value->size());
  }
  const Logs step = t.train_steps(data.view(), 1, n, false);
  EXPECT_NEAR(step.get("loss"), 0.5 * step.get("reg_loss") + 2 * step.get("cls_loss"), 1e-12);
  for (std::size_t k = 0; k < numeric.size(); ++k) {
    const Variable& v = g.variables()[k];
    std::vector<float> applied(v.value->size());
    for (std::size_t i = 0; i < applied.size(); ++i) applied[i] = (before[k][i] - (*v.value)[i]) / lr;
    EXPECT_TRUE(test::gradients_match(applied.data(), numeric[k], 2e-2, 2e-3)) << v.name;
  }
}

TEST(CompileV2, OneOutputGivesTheSameBitsInEveryForm) {
  Dataset data;
  data.x = Tensor({8, 2});
  data.y = Tensor({8, 1});
  const std::vector<float> x = random_vector(16, 3);
  for (int i = 0; i < 16; ++i) data.x[static_cast<std::size_t>(i)] = x[static_cast<std::size_t>(i)];
  for (int i = 0; i < 8; ++i)
    data.y[static_cast<std::size_t>(i)] = x[static_cast<std::size_t>(2 * i)] > 0 ? 1.0f : 0.0f;
  std::vector<std::vector<float>> finals;
  std::vector<double> losses;
  for (const char* loss : {R"("binaryCrossentropy")", R"(["binaryCrossentropy"])",
                           R"({"dense_2":"binaryCrossentropy"})", R"({"name":"binary_crossentropy"})"}) {
    Graph g(parse_graph_spec(R"({"inputShape":[2],"seed":4,"layers":[{"type":"dense","units":4,"activation":"tanh"},
      {"type":"dense","units":1,"activation":"sigmoid"}]})"));
    Trainer t(g, parse_compile_spec(std::string(R"({"optimizer":"adam","metrics":["accuracy"],"loss":)") + loss + "}"));
    EXPECT_EQ(t.log_names(), (std::vector<std::string>{"loss", "acc"})) << loss;
    Logs l = t.train_epoch(data, 3, true);
    losses.push_back(l.get("loss"));
    finals.emplace_back(g.variables()[0].value->data(), g.variables()[0].value->data() + 8);
  }
  for (std::size_t i = 1; i < finals.size(); ++i) {
    EXPECT_EQ(finals[i], finals[0]) << i;
    EXPECT_EQ(losses[i], losses[0]) << i;
  }
}

TEST(CompileV2, SpecErrorsNameTheOutputs) {
  Graph g(parse_graph_spec(kTwoByTwo));
  auto trainer = [&](const std::string& json) { Trainer t(g, parse_compile_spec(json)); };
  EXPECT_ERROR_CONTAINS(trainer(R"({"loss":["mse"]})"), "lists 1 losses", "2 outputs (reg, cls)");
  EXPECT_ERROR_CONTAINS(trainer(R"({"loss":{"reg":"mse"}})"), "no entry for output \"cls\"");
  EXPECT_ERROR_CONTAINS(trainer(R"({"loss":{"reg":"mse","cls":"mse","x":"mse"}})"), "\"x\"", "no output");
  EXPECT_ERROR_CONTAINS(trainer(R"({"loss":["mse","mse"],"lossWeights":[1]})"), "lossWeights lists 1");
  EXPECT_ERROR_CONTAINS(trainer(R"({"loss":["mse","categoricalCrossentropy"]})"), "categoricalCrossentropy",
                        "output \"cls\"");
  EXPECT_ERROR_CONTAINS(parse_compile_spec(R"({"loss":["mse","nope"]})"), "unknown loss \"nope\"");
  EXPECT_ERROR_CONTAINS(parse_compile_spec(R"({"loss":{"name":"mse","fromLogits":true}})"),
                        "unknown field \"fromLogits\"");
  EXPECT_ERROR_CONTAINS(parse_compile_spec(R"({"lossWeights":[-1]})"), "lossWeights[0]", ">= 0");
  EXPECT_ERROR_CONTAINS(parse_compile_spec(R"({"metrics":{"reg":["mae","mae"]}})"), "listed twice");
  // Data per output: the count and each y's columns.
  MultiDataset data = two_by_two_data(4);
  Trainer t(g, parse_compile_spec(R"({"loss":"mse"})"));
  TrainingData one_y = data.view();
  one_y.ys.pop_back();
  EXPECT_ERROR_CONTAINS(t.train_steps(one_y, 1, 2, false), "2 outputs", "1 y tensor was given");
  MultiDataset wrong = two_by_two_data(4);
  wrong.ys[1] = Tensor({4, 3});
  EXPECT_ERROR_CONTAINS(t.evaluate(wrong.view(), 2), "y[1] (output \"cls\") has 3 columns");
  wrong.ys[1] = Tensor({4, 1});
  wrong.ys[1][2] = NAN;
  EXPECT_ERROR_CONTAINS(t.evaluate(wrong.view(), 2), "y[1] holds NaN at sample 2");
}

TEST(GraphPredict, SeveralInputsAndOutputsInChunksEqualOneForward) {
  Graph g(parse_graph_spec(kTwoByTwo));
  const int n = 7;
  MultiDataset data = two_by_two_data(n);
  std::vector<float> reg(n * 2), cls(n);
  g.predict({reg.data(), cls.data()}, {data.xs[0].data(), data.xs[1].data()}, n);
  g.forward(PassContext{false, nullptr, n}, {data.xs[0].data(), data.xs[1].data()});
  EXPECT_TRUE(test::expect_near_all(reg.data(), g.output(0).data(), reg.size(), 0, 0));
  EXPECT_TRUE(test::expect_near_all(cls.data(), g.output(1).data(), cls.size(), 0, 0));
  std::vector<float> only_cls(n);
  g.predict({nullptr, only_cls.data()}, {data.xs[0].data(), data.xs[1].data()}, n);
  EXPECT_EQ(only_cls, cls);
  EXPECT_ERROR_CONTAINS(g.predict({reg.data()}, {data.xs[0].data(), data.xs[1].data()}, n), "2 outputs");
}

}  // namespace
}  // namespace nnplay
