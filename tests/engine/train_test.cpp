// The fit loop: determinism from the seed, train_steps vs train_epoch, exact evaluate means,
// bad data and divergence errors, live learning-rate/regularization changes, and the
// TensorFlow Playground datasets trained with the playground's defaults.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "chain.h"
#include "data/playground.h"
#include "test_util.h"
#include "train/trainer.h"

namespace nnplay {
namespace {

using test::error_of;

ModelSpec small_model(std::uint64_t seed, const std::string& out_act = "sigmoid", int outputs = 1) {
  ModelSpec s;
  s.input_shape = {2};
  s.seed = seed;
  LayerSpec h1, out;
  h1.units = 4;
  h1.activation = "tanh";
  out.units = outputs;
  out.activation = out_act;
  s.layers = {h1, out};
  return s;
}

CompileSpec bce_sgd(float lr = 0.03f) {
  CompileSpec c;
  c.optimizer.name = "sgd";
  c.optimizer.learning_rate = lr;
  c.loss = "binaryCrossentropy";
  c.metrics = {"accuracy", "mse"};
  return c;
}

// A seeded 2-D toy problem: label 1 inside the unit circle.
Dataset disc_data(int n, std::uint64_t seed) {
  Dataset d;
  d.x.resize({n, 2});
  d.y.resize({n, 1});
  Rng rng(seed);
  for (int i = 0; i < n; ++i) {
    float a = rng.uniform(-2, 2), b = rng.uniform(-2, 2);
    d.x[2 * i] = a;
    d.x[2 * i + 1] = b;
    d.y[i] = a * a + b * b < 1.5f ? 1.0f : 0.0f;
  }
  return d;
}

std::vector<float> all_weights(Sequential& m) {
  std::vector<float> w;
  for (const Variable& p : m.params()) w.insert(w.end(), p.value->data(), p.value->data() + p.value->size());
  return w;
}

TEST(Trainer, SameSeedGivesIdenticalWeightsDifferentSeedDifferent) {
  Dataset data = disc_data(200, 3);
  auto run = [&](std::uint64_t seed) {
    Sequential model(small_model(seed));
    CompileSpec c = bce_sgd();
    c.optimizer.name = "adam";
    c.optimizer.learning_rate = 0.01f;
    Trainer t(model, c);
    for (int e = 0; e < 5; ++e) t.train_epoch(data, 10, true);
    return all_weights(model);
  };
  std::vector<float> a = run(7), b = run(7), c = run(8);
  ASSERT_EQ(a.size(), b.size());
  EXPECT_EQ(0, std::memcmp(a.data(), b.data(), a.size() * sizeof(float))) << "same seed, different weights";
  EXPECT_NE(0, std::memcmp(a.data(), c.data(), a.size() * sizeof(float))) << "different seed, same weights";
}

TEST(Trainer, TrainStepsFollowsTheSameEpochsAsTrainEpoch) {
  // 95 samples, batch 10: 10 steps per epoch, the last one of 5 samples.
  Dataset data = disc_data(95, 4);
  Sequential a(small_model(1)), b(small_model(1));
  Trainer ta(a, bce_sgd()), tb(b, bce_sgd());
  Logs la;
  for (int e = 0; e < 3; ++e) la = ta.train_epoch(data, 10, true);
  // Same 30 steps in uneven slices.
  tb.train_steps(data, 7, 10, true);
  tb.train_steps(data, 13, 10, true);
  Logs lb = tb.train_steps(data, 10, 10, true);
  EXPECT_EQ(ta.epochs_done(), 3);
  EXPECT_EQ(tb.epochs_done(), 3);
  EXPECT_EQ(ta.steps_done(), 30u);
  EXPECT_EQ(tb.steps_done(), 30u);
  std::vector<float> wa = all_weights(a), wb = all_weights(b);
  EXPECT_EQ(0, std::memcmp(wa.data(), wb.data(), wa.size() * sizeof(float)));
  // The last 10 steps were exactly epoch 3: same figures.
  EXPECT_DOUBLE_EQ(la.get("loss"), lb.get("loss"));
  EXPECT_DOUBLE_EQ(la.get("acc"), lb.get("acc"));
}

TEST(Trainer, EvaluateGivesExactMeansWhateverTheBatchSize) {
  Dataset data = disc_data(37, 5);
  Sequential model(small_model(2));
  Trainer t(model, bce_sgd());
  Logs whole = t.evaluate(data, 1000);
  Logs batched = t.evaluate(data, 4);
  EXPECT_NEAR(whole.get("loss"), batched.get("loss"), 1e-6);
  EXPECT_DOUBLE_EQ(whole.get("acc"), batched.get("acc"));
  EXPECT_NEAR(whole.get("mse"), batched.get("mse"), 1e-7);
  ASSERT_EQ(whole.values.size(), 3u);
  EXPECT_EQ(whole.values[0].first, "loss");
  EXPECT_EQ(whole.values[1].first, "acc");
  EXPECT_EQ(whole.values[2].first, "mse");
  // Accuracy by hand from predict.
  const Tensor& p = model.forward(data.x.data(), data.size());
  int hits = 0;
  for (int i = 0; i < data.size(); ++i) hits += ((p[i] > 0.5f ? 1.0f : 0.0f) == data.y[i]);
  EXPECT_DOUBLE_EQ(whole.get("acc"), static_cast<double>(hits) / data.size());
  EXPECT_NE(error_of([&] { whole.get("precision"); }).find("available: loss, acc, mse"), std::string::npos);
}

TEST(Trainer, TrainingLossIncludesRegularizationEvaluateDoesNot) {
  Dataset data = disc_data(20, 6);
  Sequential model(small_model(3));
  Trainer t(model, bce_sgd(1e-6f));  // tiny lr: the weights barely move during the epoch
  Logs plain = t.evaluate(data, 20);
  t.set_regularization(0.0f, 0.5f);
  double penalty = 0.0;
  for (const Variable& p : model.params())
    if (p.name.find("kernel") != std::string::npos)
      for (std::size_t i = 0; i < p.value->size(); ++i) penalty += 0.5 * (*p.value)[i] * (*p.value)[i];
  Logs train = t.train_epoch(data, 20, false);
  EXPECT_NEAR(train.get("loss"), plain.get("loss") + penalty, 1e-4);
  EXPECT_NEAR(t.evaluate(data, 20).get("loss"), plain.get("loss"), 1e-4);
  EXPECT_THROW(t.set_regularization(-1.0f, 0.0f), Error);
  EXPECT_THROW(t.set_regularization(0.0f, NAN), Error);
}

TEST(Trainer, SoftmaxWithSparseAndOneHotLabelsLearnTheSameProblem) {
  Dataset sparse = disc_data(120, 9);
  Dataset onehot;
  onehot.x = sparse.x;
  onehot.y.resize({120, 2});
  for (int i = 0; i < 120; ++i) onehot.y[2 * i + static_cast<int>(sparse.y[i])] = 1.0f;
  CompileSpec cs, co;
  cs.optimizer.name = co.optimizer.name = "adam";
  cs.optimizer.learning_rate = co.optimizer.learning_rate = 0.05f;
  cs.loss = "sparseCategoricalCrossentropy";
  co.loss = "categoricalCrossentropy";
  cs.metrics = co.metrics = {"acc"};
  Sequential ms(small_model(4, "softmax", 2)), mo(small_model(4, "softmax", 2));
  Trainer ts(ms, cs), to(mo, co);
  Logs ls, lo;
  for (int e = 0; e < 60; ++e) {
    ls = ts.train_epoch(sparse, 10, true);
    lo = to.train_epoch(onehot, 10, true);
  }
  // Identical math: same loss trajectory, to float rounding.
  EXPECT_NEAR(ls.get("loss"), lo.get("loss"), 1e-4);
  EXPECT_GT(ts.evaluate(sparse, 50).get("acc"), 0.9);
}

TEST(Trainer, BadDataIsAnErrorThatSaysWhat) {
  Sequential model(small_model(1));
  Trainer t(model, bce_sgd());
  Dataset good = disc_data(10, 1);

  Dataset nan_x = good;
  nan_x.x[7] = NAN;  // sample 3, column 1
  std::string m = error_of([&] { t.train_epoch(nan_x, 5, false); });
  EXPECT_NE(m.find("NaN"), std::string::npos) << m;
  EXPECT_NE(m.find("sample 3, column 1"), std::string::npos) << m;
  m = error_of([&] { t.train_steps(nan_x, 2, 10, false); });  // caught batch by batch too
  EXPECT_NE(m.find("NaN at sample 3"), std::string::npos) << m;
  Dataset inf_y = good;
  inf_y.y[2] = INFINITY;
  EXPECT_NE(error_of([&] { t.evaluate(inf_y, 5); }).find("Infinity"), std::string::npos);

  Dataset wrong_features;
  wrong_features.x.resize({10, 3});
  wrong_features.y.resize({10, 1});
  m = error_of([&] { t.train_epoch(wrong_features, 5, false); });
  EXPECT_NE(m.find("3 features"), std::string::npos) << m;
  EXPECT_NE(m.find("inputShape is [2]"), std::string::npos) << m;

  Dataset mismatched;
  mismatched.x.resize({10, 2});
  mismatched.y.resize({9, 1});
  EXPECT_NE(error_of([&] { t.train_epoch(mismatched, 5, false); }).find("must match"), std::string::npos);

  Dataset empty;
  EXPECT_NE(error_of([&] { t.train_epoch(empty, 5, false); }).find("empty"), std::string::npos);
  EXPECT_NE(error_of([&] { t.train_epoch(good, 0, false); }).find("batchSize must be an integer > 0, got 0"),
            std::string::npos);
  EXPECT_NE(error_of([&] { t.evaluate(good, -2); }).find("batchSize"), std::string::npos);
  EXPECT_EQ(t.steps_done(), 0u) << "a rejected call must not train";
}

TEST(Trainer, SparseLabelsOutOfRangeAreRejected) {
  Sequential model(small_model(1, "softmax", 3));
  CompileSpec c = bce_sgd();
  c.loss = "sparseCategoricalCrossentropy";
  Trainer t(model, c);
  Dataset d = disc_data(8, 2);
  d.y[5] = 3.0f;
  std::string m = error_of([&] { t.train_epoch(d, 4, false); });
  EXPECT_NE(m.find("class indices 0..2"), std::string::npos) << m;
  EXPECT_NE(m.find("sample 5 has label 3"), std::string::npos) << m;
  d.y[5] = 1.5f;
  EXPECT_NE(error_of([&] { t.train_steps(d, 2, 4, false); }).find("label 1.5"), std::string::npos);
  Dataset two_cols;
  two_cols.x.resize({4, 2});
  two_cols.y.resize({4, 2});
  EXPECT_NE(error_of([&] { t.evaluate(two_cols, 4); }).find("needs y [n, 1]"), std::string::npos);
}

TEST(Trainer, LossThatDoesNotFitTheModelIsRejectedAtCompile) {
  Sequential model(small_model(1));
  CompileSpec c = bce_sgd();
  c.loss = "categoricalCrossentropy";
  EXPECT_NE(error_of([&] { Trainer t(model, c); }).find("at least 2"), std::string::npos);
  c = bce_sgd();
  c.optimizer.learning_rate = -1.0f;
  EXPECT_NE(error_of([&] { Trainer t(model, c); }).find("learningRate"), std::string::npos);
}

TEST(Trainer, DivergenceStopsWithAMessageAndTrainingCanGoOn) {
  // A linear regression with a huge learning rate blows up within a few steps.
  ModelSpec s;
  s.input_shape = {2};
  s.seed = 1;
  LayerSpec l;
  l.units = 1;
  s.layers = {l};
  Sequential model(s);
  CompileSpec c;
  c.optimizer.learning_rate = 1e4f;
  c.loss = "meanSquaredError";
  Trainer t(model, c);
  Dataset d = disc_data(50, 3);
  for (int i = 0; i < 50; ++i) d.y[i] = 100.0f * d.x[2 * i];
  std::string m;
  try {
    for (int e = 0; e < 50; ++e) t.train_epoch(d, 10, true);
  } catch (const TrainingDiverged& e) {
    m = e.what();
  }
  ASSERT_FALSE(m.empty()) << "expected TrainingDiverged";
  EXPECT_NE(m.find("training diverged: the loss became NaN/Infinity at epoch "), std::string::npos) << m;
  EXPECT_NE(m.find(", step "), std::string::npos) << m;
  EXPECT_NE(m.find("try a smaller learning rate (now 10000)"), std::string::npos) << m;
  // Still usable: restart from fresh weights with a smaller rate set live, and training goes on
  // (the same Trainer, so its optimizer state and epoch count carry on).
  t.set_learning_rate(1e-3f);
  EXPECT_THROW(t.set_learning_rate(0.0f), Error);
  for (const Variable& p : model.params()) p.value->zero();
  Logs before = t.evaluate(d, 50);
  for (int e = 0; e < 5; ++e) EXPECT_NO_THROW(t.train_epoch(d, 10, true));
  EXPECT_LT(t.evaluate(d, 50).get("loss"), before.get("loss"));
}

// ----------------------------------------------------------- TensorFlow Playground datasets

struct PlaygroundRun {
  double test_acc = 0.0;
  int epochs = 0;
};

// Measured over data/model seeds 1..10 (500 points, noise 0): circle reaches >= 99 % for all ten
// (30..290 epochs), spiral >= 90 % for all ten (70..380 epochs), xor >= 95 % for seven; the
// other three stay near 78 %, the local minimum a 4-2 tanh net also finds on TF Playground.
// The tests use seed 1, the first one tried.
//
// Trains until the test accuracy reaches `target` (checked every 10 epochs) or max_epochs.
PlaygroundRun train_playground(const std::string& dataset, const std::vector<std::string>& features,
                               const std::vector<int>& hidden, const std::string& optimizer, float lr, double target,
                               int max_epochs, std::uint64_t seed) {
  PlaygroundConfig cfg;
  cfg.dataset = dataset;
  cfg.num_points = 500;
  cfg.noise = 0;
  cfg.train_ratio = 50;
  cfg.seed = seed;
  cfg.features = features;
  cfg.grid_size = 2;
  PlaygroundData pd = make_playground(cfg);

  ModelSpec s;
  s.input_shape = {static_cast<int>(features.size())};
  s.seed = seed;
  for (int units : hidden) {
    LayerSpec l;
    l.units = units;
    l.activation = "tanh";
    s.layers.push_back(l);
  }
  LayerSpec out;
  out.units = 1;
  out.activation = "sigmoid";
  s.layers.push_back(out);
  Sequential model(s);
  CompileSpec c;
  c.optimizer.name = optimizer;
  c.optimizer.learning_rate = lr;
  c.loss = "binaryCrossentropy";
  c.metrics = {"accuracy"};
  Trainer t(model, c);
  PlaygroundRun run;
  while (run.epochs < max_epochs) {
    t.train_epoch(pd.train, 10, true);
    ++run.epochs;
    if (run.epochs % 10 == 0) {
      run.test_acc = t.evaluate(pd.test, 250).get("acc");
      if (run.test_acc >= target) break;
    }
  }
  return run;
}

TEST(PlaygroundTraining, CircleWithDefaults) {
  PlaygroundRun r = train_playground("circle", {"x1", "x2"}, {4, 2}, "sgd", 0.03f, 0.99, 1000, 1);
  EXPECT_GE(r.test_acc, 0.99) << "after " << r.epochs << " epochs";
}

TEST(PlaygroundTraining, XorWithDefaults) {
  PlaygroundRun r = train_playground("xor", {"x1", "x2"}, {4, 2}, "sgd", 0.03f, 0.95, 1000, 1);
  EXPECT_GE(r.test_acc, 0.95) << "after " << r.epochs << " epochs";
}

TEST(PlaygroundTraining, SpiralWithADeeperNetAndMoreFeatures) {
  PlaygroundRun r = train_playground("spiral", {"x1", "x2", "x1Squared", "x2Squared", "x1x2", "sinX1", "sinX2"},
                                     {8, 8, 8}, "sgd", 0.03f, 0.90, 2000, 1);
  EXPECT_GE(r.test_acc, 0.90) << "after " << r.epochs << " epochs";
}

}  // namespace
}  // namespace nnplay
