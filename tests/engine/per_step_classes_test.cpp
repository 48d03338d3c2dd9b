// Per-step class predictions: a returnSequences model ending in dense(classes, softmax) gives
// [steps, classes] per sample; sparseCategoricalCrossentropy takes labels [n, steps] (one class
// index per step) and categoricalCrossentropy one-hot [n, steps, classes], as TF.js / Keras: the
// loss the mean over samples and steps, accuracy the fraction of (sample, step) pairs whose argmax
// is the label. By hand from predict, the trainer's step against finite differences of its loss
// (fused softmax and not), both losses giving the same step, and the messages.
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

constexpr int kN = 5, kSteps = 4, kFeatures = 2, kClasses = 3;

std::string model_spec(const char* activation) {
  return std::string(R"({"inputShape":[4,2],"seed":9,"layers":[)") +
         R"({"type":"gru","units":3,"returnSequences":true,"recurrentActivation":"sigmoid"},)" +
         R"({"type":"dense","units":3,"activation":")" + activation + R"(","biasInitializer":"glorotUniform"}]})";
}

Dataset per_step_data(bool one_hot) {
  Dataset d;
  d.x = Tensor({kN, kSteps, kFeatures});
  const std::vector<float> x = random_vector(kN * kSteps * kFeatures, 3, -1.5f, 1.5f);
  for (std::size_t i = 0; i < x.size(); ++i) d.x[i] = x[i];
  d.y = one_hot ? Tensor({kN, kSteps, kClasses}) : Tensor({kN, kSteps});
  for (int i = 0; i < kN * kSteps; ++i) {
    const int label = (i * 7 + 1) % kClasses;
    if (one_hot) {
      for (int c = 0; c < kClasses; ++c) d.y[static_cast<std::size_t>(i * kClasses + c)] = c == label ? 1.0f : 0.0f;
    } else {
      d.y[static_cast<std::size_t>(i)] = static_cast<float>(label);
    }
  }
  return d;
}

TEST(PerStepClasses, LossAndAccuracyAreMeansOverSamplesAndSteps) {
  Graph g(parse_graph_spec(model_spec("softmax")));
  ASSERT_EQ(g.output_shape(0), (Shape{kSteps, kClasses}));
  Trainer t(g,
            parse_compile_spec(R"({"optimizer":"sgd","loss":"sparseCategoricalCrossentropy","metrics":["accuracy"]})"));
  const Dataset data = per_step_data(false);
  const Logs logs = t.evaluate(data, 2);  // batches of 2, 2, 1: the means are still over all pairs
  std::vector<float> p(static_cast<std::size_t>(kN * kSteps * kClasses));
  g.predict({p.data()}, {data.x.data()}, kN);
  double loss = 0, hits = 0;
  for (int r = 0; r < kN * kSteps; ++r) {
    const float* row = p.data() + static_cast<std::size_t>(r) * kClasses;
    const int label = static_cast<int>(data.y[static_cast<std::size_t>(r)]);
    loss -= std::log(static_cast<double>(row[label]));
    int best = 0;
    for (int c = 1; c < kClasses; ++c)
      if (row[c] > row[best]) best = c;
    hits += best == label;
  }
  EXPECT_NEAR(logs.get("loss"), loss / (kN * kSteps), 1e-5);
  EXPECT_NEAR(logs.get("acc"), hits / (kN * kSteps), 1e-12);
  EXPECT_GT(hits, 0);
  EXPECT_LT(hits, kN * kSteps);  // a figure that is neither 0 nor 1, so the mean is exercised
}

class PerStepGradCheck : public ::testing::TestWithParam<std::tuple<const char*, const char*>> {};

// One SGD step on the whole batch moves every weight by −lr·∂L/∂w; L from evaluate (no dropout:
// training and inference agree) at w ± h.
TEST_P(PerStepGradCheck, ATrainingStepFollowsTheGradientOfTheMeanLoss) {
  const auto [loss, activation] = GetParam();
  Graph g(parse_graph_spec(model_spec(activation)));
  const float lr = 0.01f;
  Trainer t(
      g, parse_compile_spec(std::string(R"({"optimizer":{"name":"sgd","learningRate":0.01},"loss":")") + loss + "\"}"));
  const Dataset data = per_step_data(std::string(loss) == "categoricalCrossentropy");
  auto total = [&] { return t.evaluate(data, kN).get("loss"); };
  std::vector<std::vector<double>> numeric;
  std::vector<std::vector<float>> before;
  for (Variable& v : g.variables()) {
    numeric.push_back(test::numeric_gradient(v.value->data(), v.value->size(), 1e-2, total));
    before.emplace_back(v.value->data(), v.value->data() + v.value->size());
  }
  t.train_steps(data, 1, kN, false);
  for (std::size_t k = 0; k < numeric.size(); ++k) {
    const Variable& v = g.variables()[k];
    std::vector<float> applied(v.value->size());
    for (std::size_t i = 0; i < applied.size(); ++i) applied[i] = (before[k][i] - (*v.value)[i]) / lr;
    EXPECT_TRUE(test::gradients_match(applied.data(), numeric[k], 2e-2, 2e-4)) << v.name;
  }
}

INSTANTIATE_TEST_SUITE_P(Losses, PerStepGradCheck,
                         ::testing::Values(std::make_tuple("sparseCategoricalCrossentropy", "softmax"),
                                           std::make_tuple("categoricalCrossentropy", "softmax"),
                                           std::make_tuple("sparseCategoricalCrossentropy", "sigmoid")),
                         [](const auto& info) { return "case" + std::to_string(info.index); });

TEST(PerStepClasses, SparseAndOneHotLabelsTakeTheSameStep) {
  std::vector<std::vector<float>> after;
  for (const char* loss : {"sparseCategoricalCrossentropy", "categoricalCrossentropy"}) {
    Graph g(parse_graph_spec(model_spec("softmax")));
    Trainer t(g, parse_compile_spec(std::string(R"({"optimizer":"adam","loss":")") + loss + "\"}"));
    t.train_epoch(per_step_data(std::string(loss) == "categoricalCrossentropy"), 2, false);
    after.emplace_back(g.variables()[0].value->data(), g.variables()[0].value->data() + g.variables()[0].value->size());
  }
  ASSERT_EQ(after[0].size(), after[1].size());
  for (std::size_t i = 0; i < after[0].size(); ++i) EXPECT_NEAR(after[0][i], after[1][i], 1e-6) << i;
}

TEST(PerStepClasses, WrongLabelsAreNamed) {
  Graph g(parse_graph_spec(model_spec("softmax")));
  Trainer t(g, parse_compile_spec(R"({"optimizer":"sgd","loss":"sparseCategoricalCrossentropy"})"));
  Dataset one_per_sample;
  one_per_sample.x = per_step_data(false).x;
  one_per_sample.y = Tensor({kN, 1});
  EXPECT_ERROR_CONTAINS(t.evaluate(one_per_sample, kN),
                        "sparseCategoricalCrossentropy needs y [n, 4] holding one "
                        "class index per step",
                        "1 columns per sample");
  Dataset bad = per_step_data(false);
  bad.y[static_cast<std::size_t>(2 * kSteps + 3)] = 3.0f;  // sample 2, step 3
  EXPECT_ERROR_CONTAINS(t.evaluate(bad, kN), "class indices 0..2", "sample 2, step 3 has label 3");
  // A [steps, classes, more] output is still refused by name.
  Graph image(parse_graph_spec(
      R"({"inputShape":[4,4,1],"layers":[{"type":"conv2d","filters":3,"kernelSize":1,"activation":"softmax"}]})"));
  EXPECT_ERROR_CONTAINS(Trainer(image, parse_compile_spec(R"({"optimizer":"sgd","loss":"categoricalCrossentropy"})")),
                        "[steps, classes] (classes per step", "[4, 4, 3]");
}

}  // namespace
}  // namespace nnplay

namespace nnplay {
namespace {

// Sample weights (classWeight) on a per-step loss weigh every step of their sample: the training
// loss (measured before the step) is (1/(n·steps))·Σ w_i·loss_is, by hand from predict.
TEST(PerStepClasses, ASampleWeightWeighsEveryStepOfItsSample) {
  Graph g(parse_graph_spec(model_spec("softmax")));
  Trainer t(g, parse_compile_spec(R"({"optimizer":"sgd","loss":"sparseCategoricalCrossentropy"})"));
  const Dataset data = per_step_data(false);
  Tensor w({kN, 1});
  const float weights[kN] = {2.0f, 0.0f, 0.5f, 1.0f, 3.0f};
  for (int i = 0; i < kN; ++i) w[static_cast<std::size_t>(i)] = weights[i];
  std::vector<float> p(static_cast<std::size_t>(kN * kSteps * kClasses));
  g.predict({p.data()}, {data.x.data()}, kN);
  double by_hand = 0;
  for (int r = 0; r < kN * kSteps; ++r) {
    const int label = static_cast<int>(data.y[static_cast<std::size_t>(r)]);
    by_hand -= weights[r / kSteps] * std::log(static_cast<double>(p[static_cast<std::size_t>(r) * kClasses + label]));
  }
  TrainingData td = data;
  td.sample_weights = {&w};
  const Logs logs = t.train_epoch(td, kN, false);
  EXPECT_NEAR(logs.get("loss"), by_hand / (kN * kSteps), 1e-5);
}

}  // namespace
}  // namespace nnplay
