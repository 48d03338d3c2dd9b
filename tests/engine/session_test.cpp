// TrainingSession: datasets validated once and referred to by id, training that continues
// across calls without re-scanning data, divergence that leaves the last good weights, node
// outputs for views, and the weights as one flat view.
#include "train/session.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <tuple>
#include <vector>

#include "chain.h"
#include "core/rng.h"
#include "nn/layer.h"
#include "test_util.h"

namespace nnplay {
namespace {

using test::error_of;

ModelSpec net_spec(int outputs = 1, const std::string& out_act = "sigmoid") {
  ModelSpec s;
  s.input_shape = {2};
  s.seed = 5;
  LayerSpec h, out;
  h.units = 4;
  h.activation = "tanh";
  out.units = outputs;
  out.activation = out_act;
  s.layers = {h, out};
  return s;
}

GraphSpec net(int outputs = 1, const std::string& out_act = "sigmoid") {
  return graph_spec(net_spec(outputs, out_act));
}

CompileSpec compile_spec(const std::string& loss, float lr) {
  CompileSpec c;
  c.optimizer.name = "sgd";
  c.optimizer.learning_rate = lr;
  c.loss = loss;
  c.metrics = {"accuracy"};
  return c;
}

// Fills a new dataset of n points in [-2, 2]², label 1 inside a circle.
int load_disc(TrainingSession& s, int n) {
  const int id = s.reserve_dataset(n, 2, 1);
  float* x = s.dataset_x(id);
  float* y = s.dataset_y(id);
  Rng rng(9);
  for (int i = 0; i < n; ++i) {
    x[2 * i] = rng.uniform(-2, 2);
    x[2 * i + 1] = rng.uniform(-2, 2);
    y[i] = x[2 * i] * x[2 * i] + x[2 * i + 1] * x[2 * i + 1] < 1.5f ? 1.0f : 0.0f;
  }
  s.seal_dataset(id);
  return id;
}

std::vector<float> weights_of(TrainingSession& s) {
  const float* w = s.read_weights();
  return std::vector<float>(w, w + s.weights_count());
}

TEST(TrainingSession, RejectsNonFiniteDataAtLoadNamingFieldAndIndex) {
  TrainingSession s(net());
  const int id = s.reserve_dataset(3, 2, 1);
  s.dataset_x(id)[3] = NAN;
  try {
    s.seal_dataset(id);
    FAIL() << "expected NonFiniteData";
  } catch (const NonFiniteData& e) {
    EXPECT_EQ(e.field(), "x");
    EXPECT_EQ(e.index(), 3u);
    EXPECT_NE(std::string(e.what()).find("NaN at sample 1, column 1"), std::string::npos) << e.what();
  }
  EXPECT_EQ(s.num_datasets(), 0) << "a rejected dataset is freed";
  const int id2 = s.reserve_dataset(2, 2, 1);
  s.dataset_y(id2)[1] = -INFINITY;
  try {
    s.seal_dataset(id2);
    FAIL() << "expected NonFiniteData";
  } catch (const NonFiniteData& e) {
    EXPECT_EQ(e.field(), "y");
    EXPECT_EQ(e.index(), 1u);
  }
}

TEST(TrainingSession, TrainsManyCallsWithoutRescanningTheData) {
  TrainingSession s(net());
  s.compile(compile_spec("binaryCrossentropy", 0.3f));
  const int id = load_disc(s, 200);
  EXPECT_EQ(s.content_scans(), 1u);
  const double before = s.evaluate(id, 200).get("loss");
  for (int i = 0; i < 100; ++i) s.train_steps(id, 5, 10, true);
  EXPECT_EQ(s.content_scans(), 1u) << "training calls must not scan the data again";
  EXPECT_EQ(s.steps_done(), 500u);
  EXPECT_EQ(s.epochs_done(), 25);
  EXPECT_LT(s.evaluate(id, 200).get("loss"), before);
}

TEST(TrainingSession, AFreedDatasetsStorageServesTheNextLoadZeroedAndUnderANewId) {
  // fit() loads, trains, frees, and the next fit() loads the same sizes: the buffers are reused
  // (the wasm heap stays flat), yet the new dataset starts at zero like any reserved one.
  TrainingSession s(net());
  s.compile(compile_spec("binaryCrossentropy", 0.3f));
  const int first = load_disc(s, 300);
  const float* storage = s.dataset_x(first);
  s.free_dataset(first);
  EXPECT_EQ(s.num_datasets(), 0);
  EXPECT_NE(error_of([&] { s.dataset_x(first); }).find("no dataset with id"), std::string::npos);
  const int second = s.reserve_dataset(200, 2, 1);  // smaller: fits the freed buffers
  EXPECT_NE(second, first);
  EXPECT_EQ(s.dataset_x(second), storage);
  for (int i = 0; i < 400; ++i) ASSERT_EQ(s.dataset_x(second)[i], 0.0f) << i;
  for (int i = 0; i < 200; ++i) ASSERT_EQ(s.dataset_y(second)[i], 0.0f) << i;
  EXPECT_NE(error_of([&] { s.train_epoch(second, 10, true); }).find("not sealed"), std::string::npos)
      << "a reused dataset must be sealed again";
  s.free_dataset(second);
  // Larger than any spare: new storage; then the same training as in a fresh session.
  TrainingSession fresh(net());
  fresh.compile(compile_spec("binaryCrossentropy", 0.3f));
  const int a = load_disc(s, 500), b = load_disc(fresh, 500);
  EXPECT_EQ(s.dataset_size(a), 500);
  s.train_epoch(a, 10, true);
  fresh.train_epoch(b, 10, true);
  EXPECT_EQ(weights_of(s), weights_of(fresh));
}

TEST(TrainingSession, StepsAcrossCallsEqualOneEpochCall) {
  TrainingSession a(net()), b(net());
  a.compile(compile_spec("binaryCrossentropy", 0.1f));
  b.compile(compile_spec("binaryCrossentropy", 0.1f));
  const int ia = load_disc(a, 95), ib = load_disc(b, 95);
  for (int e = 0; e < 3; ++e) a.train_epoch(ia, 10, true);
  for (int c = 0; c < 30; ++c) b.train_steps(ib, 1, 10, true);
  EXPECT_EQ(weights_of(a), weights_of(b));
}

// Sample weights of 1 train exactly as none; a weight of 2 on every sample equals twice the
// learning rate for SGD; weight 0 on a sample leaves the model as if it were absent from its
// batch's loss (the mean still divides by the batch size, as TF.js). Evaluate ignores them.
TEST(TrainingSession, SampleWeightsScaleEachSamplesLossInTraining) {
  auto run = [](float lr, const std::vector<float>& weights, int drop_to = -1) {
    TrainingSession s(net());
    s.compile(compile_spec("binaryCrossentropy", lr));
    const int n = 12;
    const int id = s.reserve_dataset(n, 2, 1);
    Rng rng(4);
    for (int i = 0; i < n; ++i) {
      s.dataset_x(id)[2 * i] = rng.uniform(-2, 2);
      s.dataset_x(id)[2 * i + 1] = rng.uniform(-2, 2);
      s.dataset_y(id)[i] = static_cast<float>(i % 2);
    }
    if (!weights.empty()) std::copy(weights.begin(), weights.end(), s.dataset_sample_weights(id));
    if (drop_to >= 0) std::fill(s.dataset_sample_weights(id) + drop_to, s.dataset_sample_weights(id) + n, 0.0f);
    s.seal_dataset(id);
    const Logs train = s.train_epoch(id, n, false);
    const Logs eval = s.evaluate(id, n);
    return std::make_tuple(weights_of(s), train.get("loss"), eval.get("loss"));
  };
  const auto [w_none, l_none, e_none] = run(0.1f, {});
  const auto [w_ones, l_ones, e_ones] = run(0.1f, std::vector<float>(12, 1.0f));
  EXPECT_EQ(w_none, w_ones);
  // The weights (the training) are the same bits; the reported loss only to float precision:
  // unweighted, the batch's loss is one SIMD reduction in float lanes (kernels/loss_kernels.h),
  // weighted it is a sum of per-sample reductions.
  EXPECT_NEAR(l_none, l_ones, 1e-6 * l_none);
  const auto [w_twos, l_twos, e_twos] = run(0.1f, std::vector<float>(12, 2.0f));
  const auto [w_lr2, l_lr2, e_lr2] = run(0.2f, {});
  for (std::size_t i = 0; i < w_twos.size(); ++i) EXPECT_NEAR(w_twos[i], w_lr2[i], 1e-6);
  EXPECT_NEAR(l_twos, 2 * l_none, 2e-6 * l_none);
  const auto [w_half, l_half, e_half] = run(0.1f, {}, 6);
  EXPECT_NE(w_half, w_none);
  EXPECT_LT(l_half, l_none);
  EXPECT_DOUBLE_EQ(e_none, e_ones) << "evaluate is unweighted";
  (void)e_twos, (void)e_lr2, (void)e_half;
}

TEST(TrainingSession, SampleWeightsMustBeFiniteAndSetBeforeSealing) {
  TrainingSession s(net());
  s.compile(compile_spec("binaryCrossentropy", 0.1f));
  const int id = s.reserve_dataset(3, 2, 1);
  s.dataset_sample_weights(id)[2] = NAN;
  EXPECT_ERROR_CONTAINS(s.seal_dataset(id), "sample weights hold NaN at sample 2");
  const int ok = s.reserve_dataset(3, 2, 1);
  s.seal_dataset(ok);
  EXPECT_ERROR_CONTAINS(s.dataset_sample_weights(ok), "is sealed");
  const int none = s.reserve_dataset(3, 2, 0);
  EXPECT_ERROR_CONTAINS(s.dataset_sample_weights(none), "no y[0]");
  const int reused = s.reserve_dataset(3, 2, 1);  // may reuse a freed dataset's storage
  s.seal_dataset(reused);
  s.train_epoch(reused, 3, false);  // no weights carried over
}

TEST(TrainingSession, SparseLabelsAreCheckedOnFirstUseAndCached) {
  TrainingSession s(net(3, "softmax"));
  s.compile(compile_spec("sparseCategoricalCrossentropy", 0.1f));
  const int id = s.reserve_dataset(4, 2, 1);
  for (int i = 0; i < 4; ++i) s.dataset_y(id)[i] = static_cast<float>(i % 3);
  s.seal_dataset(id);
  s.train_steps(id, 1, 2, false);
  s.train_steps(id, 1, 2, false);
  EXPECT_EQ(s.content_scans(), 2u) << "one seal, one label check";
  const int bad = s.reserve_dataset(2, 2, 1);
  s.dataset_y(bad)[1] = 3.0f;
  s.seal_dataset(bad);
  EXPECT_ERROR_CONTAINS(s.train_steps(bad, 1, 2, false), "class indices 0..2", "sample 1 has label 3");
}

TEST(TrainingSession, DivergenceRestoresTheWeightsOfTheCallStart) {
  ModelSpec spec;
  spec.input_shape = {2};
  spec.seed = 1;
  LayerSpec l;
  l.units = 1;
  spec.layers = {l};
  TrainingSession s(graph_spec(spec));
  s.compile(compile_spec("meanSquaredError", 1e4f));
  const int id = load_disc(s, 50);
  for (int i = 0; i < 50; ++i) s.dataset_y(id)[i] = 100.0f * s.dataset_x(id)[2 * i];
  bool diverged = false;
  std::vector<float> start;
  for (int c = 0; c < 50 && !diverged; ++c) {
    start = weights_of(s);
    try {
      s.train_steps(id, 5, 10, true);
    } catch (const TrainingDiverged&) {
      diverged = true;
    }
  }
  ASSERT_TRUE(diverged);
  const std::vector<float> after = weights_of(s);
  EXPECT_EQ(after, start);
  for (float v : after) EXPECT_TRUE(std::isfinite(v));
  // And it goes on training from there with a smaller rate.
  s.set_learning_rate(1e-4f);
  EXPECT_NO_THROW(s.train_epoch(id, 10, true));
}

TEST(TrainingSession, PredictReturnsAnyNodeInChunks) {
  TrainingSession s(net(2, "softmax"));
  const int id = s.reserve_dataset(7, 2, 0);
  for (int i = 0; i < 14; ++i) s.dataset_x(id)[i] = 0.1f * static_cast<float>(i) - 0.5f;
  s.seal_dataset(id);
  const std::vector<NodeValues>& out = s.predict(id, {0, 1});
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].name, "dense_1");
  EXPECT_EQ(out[0].type, "dense");
  EXPECT_EQ(out[0].shape, (Shape{7, 4}));
  EXPECT_EQ(out[1].shape, (Shape{7, 2}));
  // The hidden layer by hand: tanh(x · W + b).
  const float* w = s.read_weights();
  const WeightEntry& kernel = s.weights_table()[0];
  const WeightEntry& bias = s.weights_table()[1];
  EXPECT_EQ(kernel.name, "dense_1/kernel");
  EXPECT_EQ(kernel.shape, (Shape{2, 4}));
  for (int r = 0; r < 7; ++r) {
    for (int u = 0; u < 4; ++u) {
      double z = w[bias.offset + u];
      for (int c = 0; c < 2; ++c) z += s.dataset_x(id)[2 * r + c] * w[kernel.offset + c * 4 + u];
      EXPECT_NEAR(out[0].values[static_cast<std::size_t>(r * 4 + u)], std::tanh(z), 1e-6);
    }
    EXPECT_NEAR(out[1].values[static_cast<std::size_t>(2 * r)] + out[1].values[static_cast<std::size_t>(2 * r + 1)],
                1.0, 1e-6);
  }
  EXPECT_ERROR_CONTAINS(s.predict(id, {2}), "no node 2", "0..1");
  EXPECT_ERROR_CONTAINS(s.train_steps(id, 1, 1, false), "not compiled");
  s.compile(compile_spec("categoricalCrossentropy", 0.1f));
  EXPECT_ERROR_CONTAINS(s.train_steps(id, 1, 1, false), "inputs only");
}

TEST(TrainingSession, PredictInputEqualsDatasetPredictAndRejectsNonFinite) {
  TrainingSession s(net(2, "softmax"));
  const int id = s.reserve_dataset(5, 2, 0);
  for (int i = 0; i < 10; ++i) s.dataset_x(id)[i] = 0.3f * static_cast<float>(i) - 1.0f;
  s.seal_dataset(id);
  const std::vector<float> via_dataset(s.predict(id, {1})[0].values.data(), s.predict(id, {1})[0].values.data() + 10);
  for (int round = 0; round < 2; ++round) {  // the buffer is reused
    float* x = s.input_buffer(5);
    for (int i = 0; i < 10; ++i) x[i] = s.dataset_x(id)[i];
    const NodeValues& out = s.predict_input(5).at(0);
    EXPECT_EQ(out.shape, (Shape{5, 2}));
    EXPECT_EQ(std::vector<float>(out.values.data(), out.values.data() + 10), via_dataset);
  }
  s.input_buffer(3)[4] = INFINITY;
  try {
    s.predict_input(3);
    FAIL() << "expected NonFiniteData";
  } catch (const NonFiniteData& e) {
    EXPECT_EQ(e.field(), "x");
    EXPECT_EQ(e.index(), 4u);
  }
  EXPECT_ERROR_CONTAINS(s.predict_input(4), "4 rows asked, 3 written");
}

TEST(TrainingSession, WeightsAsOneViewRoundTripAndRejectNonFinite) {
  TrainingSession s(net());
  EXPECT_EQ(s.weights_table().size(), 4u);
  EXPECT_EQ(s.weights_count(), 2u * 4 + 4 + 4 * 1 + 1);
  std::vector<float> w = weights_of(s);
  for (std::size_t i = 0; i < w.size(); ++i) s.weights_buffer()[i] = 0.25f * static_cast<float>(i);
  s.write_weights();
  const std::vector<float> now = weights_of(s);
  for (std::size_t i = 0; i < now.size(); ++i) EXPECT_EQ(now[i], 0.25f * static_cast<float>(i));
  s.weights_buffer()[13] = NAN;  // dense_2/kernel [4, 1] starts at 12
  try {
    s.write_weights();
    FAIL() << "expected NonFiniteData";
  } catch (const NonFiniteData& e) {
    EXPECT_EQ(e.field(), "weights");
    EXPECT_NE(std::string(e.what()).find("dense_2/kernel holds NaN at index 1"), std::string::npos) << e.what();
  }
  EXPECT_EQ(weights_of(s), now) << "a rejected buffer changes nothing";
  EXPECT_ERROR_CONTAINS(s.dataset_x(99), "no dataset with id 99");
}

// A sub-model (the first half of `net()`, as an encoder is cut out of an autoencoder) built
// sharing the parent's Variables by layer name: training the parent moves the child's weights,
// and the child's output is the parent's hidden layer.
TEST(TrainingSession, SharingSessionTrainsAndReadsTheSameWeights) {
  TrainingSession parent(net());
  const std::string half =
      R"({"format":"nnplay-graph","seed":77,"layers":[{"name":"input","type":"input","config":{"shape":[2]}},)"
      R"({"name":"dense_1","type":"dense","config":{"units":4,"activation":"tanh"},"inbound":[["input"]]}],)"
      R"("outputs":["dense_1"]})";
  TrainingSession child(parse_graph_spec(half), parent);
  std::vector<float> p0 = weights_of(parent);
  std::vector<float> c0 = weights_of(child);
  ASSERT_EQ(c0.size(), 2u * 4u + 4u);
  EXPECT_EQ(c0, std::vector<float>(p0.begin(), p0.begin() + 12))
      << "the child's seed must not re-initialise shared weights";
  parent.compile(compile_spec("binaryCrossentropy", 0.3f));
  const int id = load_disc(parent, 64);
  parent.train_steps(id, 20, 16, true);
  std::vector<float> p1 = weights_of(parent);
  std::vector<float> c1 = weights_of(child);
  EXPECT_NE(c1, c0);
  EXPECT_EQ(c1, std::vector<float>(p1.begin(), p1.begin() + 12));
  // Predictions: the child's output is the parent's dense_1 node.
  const int cid = child.reserve_dataset(64, 2, 0);
  std::copy(parent.dataset_x(id), parent.dataset_x(id) + 128, child.dataset_x(cid));
  child.seal_dataset(cid);
  const std::vector<NodeValues>& hidden = parent.predict(id, {0});
  const std::vector<float> want(hidden[0].values.data(), hidden[0].values.data() + hidden[0].values.size());
  const std::vector<NodeValues>& got = child.predict(cid, {child.output_node()});
  EXPECT_EQ(std::vector<float>(got[0].values.data(), got[0].values.data() + got[0].values.size()), want);
  // A layer of the same name but another shape cannot share.
  const std::string wrong =
      R"({"format":"nnplay-graph","layers":[{"name":"input","type":"input","config":{"shape":[3]}},)"
      R"({"name":"dense_1","type":"dense","config":{"units":4},"inbound":[["input"]]}],"outputs":["dense_1"]})";
  EXPECT_NE(error_of([&] {
              TrainingSession bad(parse_graph_spec(wrong), parent);
            }).find("shares dense_1/kernel with the other model"),
            std::string::npos);
}

}  // namespace
}  // namespace nnplay

namespace nnplay {
namespace {

// Two inputs (a [3], b [2]) and two outputs: reg [2] (mse) and cls [3] softmax (sparse CE).
GraphSpec two_by_two() {
  return parse_graph_spec(R"({"format": "nnplay-graph", "seed": 4, "layers": [
    {"name": "a", "type": "input", "config": {"shape": [3]}},
    {"name": "b", "type": "input", "config": {"shape": [2]}},
    {"name": "cat", "type": "concatenate", "inbound": [["a", "b"]]},
    {"name": "h", "type": "dense", "config": {"units": 6, "activation": "tanh"}, "inbound": [["cat"]]},
    {"name": "reg", "type": "dense", "config": {"units": 2}, "inbound": [["h"]]},
    {"name": "cls", "type": "dense", "config": {"units": 3, "activation": "softmax"}, "inbound": [["h"]]}],
    "inputs": ["a", "b"], "outputs": ["reg", "cls"]})");
}

int load_two_by_two(TrainingSession& s, int n, float bad_label = -1.0f) {
  const int id = s.reserve_dataset(n, {3, 2}, {2, 1});
  float* a = s.dataset_x(id, 0);
  float* b = s.dataset_x(id, 1);
  float* reg = s.dataset_y(id, 0);
  float* cls = s.dataset_y(id, 1);
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < 3; ++j) a[3 * i + j] = std::sin(static_cast<float>(3 * i + j));
    for (int j = 0; j < 2; ++j) b[2 * i + j] = std::cos(static_cast<float>(2 * i + j));
    reg[2 * i] = a[3 * i] - b[2 * i];
    reg[2 * i + 1] = a[3 * i + 2];
    cls[i] = static_cast<float>(i % 3);
  }
  if (bad_label >= 0) cls[n - 1] = bad_label;
  s.seal_dataset(id);
  return id;
}

}  // namespace

TEST(TrainingSession, DatasetsHoldOneTensorPerInputAndOutput) {
  TrainingSession s(two_by_two());
  CompileSpec c = parse_compile_spec(R"({"optimizer": {"name": "adam", "learningRate": 0.01},
    "loss": ["meanSquaredError", "sparseCategoricalCrossentropy"], "lossWeights": [1, 0.5]})");
  s.compile(c);
  const int id = load_two_by_two(s, 30);
  const double before = s.evaluate(id, 8).get("loss");
  for (int e = 0; e < 20; ++e) s.train_epoch(id, 8, true);
  const Logs after = s.evaluate(id, 8);
  EXPECT_LT(after.get("loss"), before);
  EXPECT_NEAR(after.get("loss"), after.get("reg_loss") + 0.5 * after.get("cls_loss"), 1e-5);
  EXPECT_EQ(s.content_scans(), 2u) << "one seal, one label check for the sparse output; training adds none";
  // predict reads every input; output_node names each output's layer.
  const auto& p = s.predict(id, {s.output_node(0), s.output_node(1)});
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p[0].name, "reg");
  EXPECT_EQ(p[1].shape, (Shape{30, 3}));
  // The label range of the sparse output is checked once, naming the output.
  const int bad = load_two_by_two(s, 5, 3.0f);
  EXPECT_ERROR_CONTAINS(s.train_epoch(bad, 4, false), "labels of output \"cls\" must be class indices 0..2",
                        "sample 4 has label 3");
}

TEST(TrainingSession, MultiTensorDatasetsAreCheckedAtReserveAndSeal) {
  TrainingSession s(two_by_two());
  EXPECT_ERROR_CONTAINS(s.reserve_dataset(4, {3}, {2, 1}), "the model has 2 inputs but 1 x tensor was given");
  EXPECT_ERROR_CONTAINS(s.reserve_dataset(4, {3, 2}, {2}), "the model has 2 outputs but 1 y tensor was given");
  EXPECT_ERROR_CONTAINS(s.reserve_dataset(4, {3, 0}, {}), "dataset x[1] size must be > 0");
  const int id = s.reserve_dataset(4, {3, 2}, {2, 1});
  EXPECT_ERROR_CONTAINS(s.dataset_x(id, 2), "has 2 x tensors, no x[2]");
  s.dataset_y(id, 1)[2] = NAN;
  try {
    s.seal_dataset(id);
    FAIL() << "expected NonFiniteData";
  } catch (const NonFiniteData& e) {
    EXPECT_EQ(e.field(), "y");
    EXPECT_EQ(e.tensor(), 1);
    EXPECT_EQ(e.index(), 2u);
    EXPECT_NE(std::string(e.what()).find("dataset y[1] holds NaN at sample 2, column 0"), std::string::npos)
        << e.what();
  }
  EXPECT_EQ(s.num_datasets(), 0) << "a dataset that fails its seal is freed";
  // Inputs only: predict works, training says targets are needed.
  const int inputs_only = s.reserve_dataset(3, {3, 2}, {});
  s.seal_dataset(inputs_only);
  EXPECT_EQ(s.predict(inputs_only, {s.output_node(1)})[0].shape, (Shape{3, 3}));
  s.compile(parse_compile_spec(R"({"loss": "meanSquaredError"})"));
  EXPECT_ERROR_CONTAINS(s.train_epoch(inputs_only, 2, false), "holds inputs only");
}

}  // namespace nnplay

namespace nnplay {

// "trainable": false (a key of every layer row): the layer's variables are not trainable
// (optimizers skip them, inspect says so) but it still passes gradients to the layers before it.
TEST(TrainingSession, AFrozenLayerKeepsItsWeightsWhileTheOthersTrain) {
  const std::string spec = R"({"format": "nnplay-graph", "seed": 2, "layers": [
    {"name": "x", "type": "input", "config": {"shape": [2]}},
    {"name": "first", "type": "dense", "config": {"units": 4, "activation": "tanh"}, "inbound": [["x"]]},
    {"name": "mid", "type": "dense", "config": {"units": 3, "activation": "tanh", "trainable": false}, "inbound": [["first"]]},
    {"name": "out", "type": "dense", "config": {"units": 1}, "inbound": [["mid"]]}],
    "outputs": ["out"]})";
  const std::string inspected = inspect_model(spec);
  EXPECT_NE(inspected.find(R"({"name":"mid/kernel","shape":[4,3],"trainable":false})"), std::string::npos) << inspected;
  EXPECT_NE(inspected.find(R"("nonTrainableParams":15)"), std::string::npos) << inspected;
  TrainingSession s(parse_graph_spec(spec));
  s.compile(parse_compile_spec(R"({"optimizer": {"name": "sgd", "learningRate": 0.1}, "loss": "meanSquaredError"})"));
  const int id = s.reserve_dataset(16, 2, 1);
  for (int i = 0; i < 16; ++i) {
    s.dataset_x(id)[2 * i] = std::sin(static_cast<float>(i));
    s.dataset_x(id)[2 * i + 1] = std::cos(static_cast<float>(i));
    s.dataset_y(id)[i] = s.dataset_x(id)[2 * i] * 0.5f;
  }
  s.seal_dataset(id);
  const std::vector<float> before = weights_of(s);
  for (int e = 0; e < 3; ++e) s.train_epoch(id, 4, true);
  const std::vector<float> after = weights_of(s);
  for (const WeightEntry& w : s.weights_table()) {
    const std::vector<float> b(before.begin() + static_cast<long>(w.offset),
                               before.begin() + static_cast<long>(w.offset + w.size));
    const std::vector<float> a(after.begin() + static_cast<long>(w.offset),
                               after.begin() + static_cast<long>(w.offset + w.size));
    if (w.name.rfind("mid/", 0) == 0)
      EXPECT_EQ(a, b) << w.name << " is frozen";
    else
      EXPECT_NE(a, b) << w.name << " trains (first's gradient passes through the frozen layer)";
  }
}

}  // namespace nnplay
