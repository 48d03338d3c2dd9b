// TrainingSession::apply + vector_jacobian_product: the gradient of a model's forward for the
// library's tape (model.apply inside nn.grad / optimizer.minimize). Given upstream gradients
// dy_o of the outputs, the product must be the gradient of f = Σ_o <dy_o, y_o(x, W)> w.r.t.
// every input and every trainable weight: checked against central differences of f computed
// by apply() itself (float forward, difference in double, as gradcheck_test.cpp does), through
// a two-input, two-output graph with a shared layer, in training mode with dropout and
// batch normalization (the pass number retraces the same mask) and in inference mode; losses
// a layer adds (klDivergence) are left out; and a product changes nothing training reads.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "core/rng.h"
#include "test_util.h"
#include "train/session.h"

namespace nnplay {
namespace {

using test::gradients_match;
using test::numeric_gradient;

// a [3] -> shared (dense 4, tanh) -> dropout --------------------------------> output 0
// b [2] -> proj (dense 4) -> bn -> shared (2nd call, same weights) -> head -> output 1
const char* kTwoByTwo = R"({"format":"nnplay-graph","seed":7,"layers":[
  {"name":"a","type":"input","config":{"shape":[3]}},
  {"name":"b","type":"input","config":{"shape":[2]}},
  {"name":"proj","type":"dense","config":{"units":3,"biasInitializer":"glorotUniform"},"inbound":[["b"]]},
  {"name":"bn","type":"batchNormalization","config":{},"inbound":[["proj"]]},
  {"name":"shared","type":"dense","config":{"units":4,"activation":"tanh","biasInitializer":"glorotUniform"},
   "inbound":[["a"],[["bn",0,0]]]},
  {"name":"drop","type":"dropout","config":{"rate":0.3},"inbound":[[["shared",0,0]]]},
  {"name":"head","type":"dense","config":{"units":2,"activation":"sigmoid"},"inbound":[[["shared",1,0]]]}],
  "inputs":["a","b"],"outputs":["drop","head"]})";

std::vector<float> random_values(std::size_t n, std::uint64_t seed) {
  Rng rng(seed);
  std::vector<float> v(n);
  for (float& x : v) x = rng.uniform(-1.0f, 1.0f);
  return v;
}

struct Probe {
  TrainingSession& s;
  std::vector<std::vector<float>> xs, dys;
  int n;
  bool training;
  std::uint64_t pass;

  std::vector<const float*> x_ptrs() const {
    std::vector<const float*> p;
    for (const auto& x : xs) p.push_back(x.data());
    return p;
  }
  // f = Σ_o <dy_o, y_o>, in double.
  double f() {
    const std::vector<Tensor>& ys = s.apply(x_ptrs(), n, training, pass);
    double sum = 0.0;
    for (std::size_t o = 0; o < ys.size(); ++o)
      for (std::size_t i = 0; i < ys[o].size(); ++i) sum += static_cast<double>(dys[o][i]) * ys[o][i];
    return sum;
  }
  void product() {
    std::vector<const float*> d;
    for (const auto& dy : dys) d.push_back(dy.data());
    s.vector_jacobian_product(x_ptrs(), n, training, pass, d);
  }
};

Probe make_probe(TrainingSession& s, int n, bool training, std::uint64_t pass) {
  Probe p{s, {}, {}, n, training, pass};
  for (int i = 0; i < s.model().num_inputs(); ++i)
    p.xs.push_back(random_values(static_cast<std::size_t>(n * s.model().input_size(i)), 11 + i));
  for (int o = 0; o < s.model().num_outputs(); ++o)
    p.dys.push_back(random_values(static_cast<std::size_t>(n * s.model().output_size(o)), 31 + o));
  return p;
}

void expect_matches_finite_differences(Probe& p, const char* what) {
  p.product();
  const std::vector<Tensor> d_inputs = p.s.vjp_input_gradients();
  const std::vector<float> d_weights = p.s.vjp_weight_gradients();
  for (std::size_t i = 0; i < p.xs.size(); ++i) {
    const std::vector<double> numeric = numeric_gradient(p.xs[i].data(), p.xs[i].size(), 1e-2, [&] { return p.f(); });
    EXPECT_TRUE(gradients_match(d_inputs[i].data(), numeric, 2e-2, 2e-4)) << what << ", input " << i;
  }
  const auto& table = p.s.weights_table();
  std::size_t checked = 0;
  for (std::size_t w = 0; w < table.size(); ++w) {
    Variable& v = p.s.model().variables()[w];
    if (!v.trainable) {
      for (std::size_t k = 0; k < table[w].size; ++k) EXPECT_EQ(d_weights[table[w].offset + k], 0.0f) << v.name;
      continue;
    }
    const std::vector<double> numeric = numeric_gradient(v.value->data(), v.value->size(), 1e-2, [&] { return p.f(); });
    EXPECT_TRUE(gradients_match(d_weights.data() + table[w].offset, numeric, 2e-2, 2e-4)) << what << ", " << v.name;
    ++checked;
  }
  EXPECT_EQ(checked, 8u) << "proj, bn gamma / beta, shared and head kernels and biases";
}

TEST(VectorJacobian, TrainingModeMatchesFiniteDifferencesThroughDropoutBatchNormAndASharedLayer) {
  TrainingSession s(parse_graph_spec(kTwoByTwo));
  Probe p = make_probe(s, 5, true, 3);
  expect_matches_finite_differences(p, "training");
  // The pass fixes the dropout mask: another pass drops other units.
  const std::vector<float> first(s.apply(p.x_ptrs(), 5, true, 3)[0].data(),
                                 s.apply(p.x_ptrs(), 5, true, 3)[0].data() + 20);
  const std::vector<float> again(s.apply(p.x_ptrs(), 5, true, 3)[0].data(),
                                 s.apply(p.x_ptrs(), 5, true, 3)[0].data() + 20);
  const std::vector<float> other(s.apply(p.x_ptrs(), 5, true, 4)[0].data(),
                                 s.apply(p.x_ptrs(), 5, true, 4)[0].data() + 20);
  EXPECT_EQ(first, again);
  EXPECT_NE(first, other);
}

TEST(VectorJacobian, InferenceModeMatchesFiniteDifferences) {
  TrainingSession s(parse_graph_spec(kTwoByTwo));
  Probe p = make_probe(s, 4, false, 0);
  expect_matches_finite_differences(p, "inference");
}

TEST(VectorJacobian, AnOutputWithoutGradientCountsAsZero) {
  TrainingSession s(parse_graph_spec(kTwoByTwo));
  Probe p = make_probe(s, 3, false, 0);
  std::fill(p.dys[0].begin(), p.dys[0].end(), 0.0f);
  p.product();
  const std::vector<float> with_zeros = s.vjp_weight_gradients();
  const std::vector<Tensor> inputs_with_zeros = s.vjp_input_gradients();
  s.vector_jacobian_product(p.x_ptrs(), 3, false, 0, {nullptr, p.dys[1].data()});
  EXPECT_EQ(s.vjp_weight_gradients(), with_zeros);
  for (std::size_t i = 0; i < inputs_with_zeros.size(); ++i)
    EXPECT_EQ(std::memcmp(s.vjp_input_gradients()[i].data(), inputs_with_zeros[i].data(),
                          sizeof(float) * inputs_with_zeros[i].size()),
              0);
}

TEST(VectorJacobian, LeavesOutTheLossesLayersAdd) {
  // x -> mean, logVar -> klDivergence (adds β·KL) -> output: the product is the output's
  // gradient alone, which finite differences of the output see.
  TrainingSession s(parse_graph_spec(R"({"format":"nnplay-graph","seed":5,"layers":[
    {"name":"x","type":"input","config":{"shape":[4]}},
    {"name":"mean","type":"dense","config":{"units":2},"inbound":[["x"]]},
    {"name":"logVar","type":"dense","config":{"units":2},"inbound":[["x"]]},
    {"name":"kl","type":"klDivergence","config":{"beta":2},"inbound":[["mean","logVar"]]}],
    "outputs":["kl"]})"));
  Probe p = make_probe(s, 3, true, 1);
  p.product();
  const std::vector<Tensor> d_inputs = s.vjp_input_gradients();
  const std::vector<double> numeric = numeric_gradient(p.xs[0].data(), p.xs[0].size(), 1e-2, [&] { return p.f(); });
  EXPECT_TRUE(gradients_match(d_inputs[0].data(), numeric, 2e-2, 2e-4));
  const auto& table = s.weights_table();
  for (std::size_t k = 0; k < table[2].size; ++k)  // logVar/kernel: only the KL term reaches it
    EXPECT_EQ(s.vjp_weight_gradients()[table[2].offset + k], 0.0f) << table[2].name;
}

TEST(VectorJacobian, AProductChangesNothingTheNextTrainingStepReads) {
  TrainingSession plain(parse_graph_spec(kTwoByTwo)), asked(parse_graph_spec(kTwoByTwo));
  CompileSpec c;
  c.optimizer.name = "adam";
  c.loss = "meanSquaredError";
  auto fill = [](TrainingSession& s) {
    const int id = s.reserve_dataset(8, {3, 2}, {4, 2});
    for (int i = 0; i < 2; ++i) {
      const std::vector<float> v = random_values(static_cast<std::size_t>(8 * s.model().input_size(i)), 50 + i);
      std::memcpy(s.dataset_x(id, i), v.data(), sizeof(float) * v.size());
      const std::vector<float> y = random_values(static_cast<std::size_t>(8 * s.model().output_size(i)), 60 + i);
      std::memcpy(s.dataset_y(id, i), y.data(), sizeof(float) * y.size());
    }
    s.seal_dataset(id);
    return id;
  };
  plain.compile(c);
  asked.compile(c);
  const int a = fill(plain), b = fill(asked);
  plain.train_steps(a, 2, 4, true);
  asked.train_steps(b, 2, 4, true);
  Probe p = make_probe(asked, 3, true, 9);
  p.product();  // training mode: batch-norm moving statistics must not move
  Probe q = make_probe(asked, 2, false, 0);
  q.product();
  const std::uint64_t count = plain.weights_count();
  EXPECT_EQ(std::memcmp(plain.read_weights(), asked.read_weights(), sizeof(float) * count), 0);
  EXPECT_EQ(plain.train_steps(a, 3, 4, true).values, asked.train_steps(b, 3, 4, true).values);
  EXPECT_EQ(std::memcmp(plain.read_weights(), asked.read_weights(), sizeof(float) * count), 0);
  p.product();
  for (const Variable& v : asked.model().variables()) {
    if (!v.grad) continue;
    for (std::size_t i = 0; i < v.grad->size(); ++i) ASSERT_EQ((*v.grad)[i], 0.0f) << v.name << " kept a gradient";
  }
}

TEST(VectorJacobian, ApplyInTrainingModeMovesTheMovingStatisticsOnce) {
  TrainingSession s(parse_graph_spec(kTwoByTwo));
  Probe p = make_probe(s, 4, true, 2);
  const std::vector<float> before(s.read_weights(), s.read_weights() + s.weights_count());
  p.f();
  const std::vector<float> applied(s.read_weights(), s.read_weights() + s.weights_count());
  EXPECT_NE(before, applied);  // bn/moving_mean, moving_variance
  p.product();
  const std::vector<float> after(s.read_weights(), s.read_weights() + s.weights_count());
  EXPECT_EQ(applied, after);
}

// Right after apply() of the same rows, the product uses that forward's caches instead of a
// retrace: the same bits as a product that had to retrace (another forward ran in between).
TEST(VectorJacobian, AfterItsApplyTheProductEqualsARetracedOne) {
  for (bool training : {true, false}) {
    TrainingSession s(parse_graph_spec(kTwoByTwo));
    Probe p = make_probe(s, 4, training, 5);
    Probe other = make_probe(s, 3, false, 8);  // inference: moves no statistic
    std::vector<const float*> d;
    for (const auto& dy : p.dys) d.push_back(dy.data());
    const std::vector<const float*> xs = p.x_ptrs();
    s.apply(xs, 4, training, 5);
    s.vector_jacobian_product(xs, 4, training, 5, d);  // the apply's forward, as it is
    const std::vector<float> reused = s.vjp_weight_gradients();
    const std::vector<Tensor> reused_inputs = s.vjp_input_gradients();
    s.apply(xs, 4, training, 5);  // training: moves the moving statistics again, as an apply does
    other.f();                    // another forward: the caches are its
    const std::vector<float> statistics(s.read_weights(), s.read_weights() + s.weights_count());
    s.vector_jacobian_product(xs, 4, training, 5, d);  // retraced
    EXPECT_EQ(s.vjp_weight_gradients(), reused) << (training ? "training" : "inference");
    for (std::size_t i = 0; i < reused_inputs.size(); ++i)
      EXPECT_EQ(std::memcmp(s.vjp_input_gradients()[i].data(), reused_inputs[i].data(),
                            sizeof(float) * reused_inputs[i].size()),
                0);
    EXPECT_EQ(std::vector<float>(s.read_weights(), s.read_weights() + s.weights_count()), statistics)
        << "the retrace moved nothing, " << (training ? "training" : "inference");
  }
}

// The one-entry weight access behind model weights as variables.
TEST(VectorJacobian, OneWeightIsReadAndWrittenAlone) {
  TrainingSession s(parse_graph_spec(kTwoByTwo));
  const std::vector<float> before(s.read_weights(), s.read_weights() + s.weights_count());
  const WeightEntry& e = s.weights_table()[2];  // proj/... entry 2 in table order
  EXPECT_EQ(std::memcmp(s.weight_values(2), before.data() + e.offset, sizeof(float) * e.size), 0);
  float* buffer = s.weights_buffer();
  std::fill(buffer, buffer + s.weights_count(), -7.0f);  // only entry 2's slice may be read
  for (std::uint64_t k = 0; k < e.size; ++k) buffer[e.offset + k] = 0.5f + static_cast<float>(k);
  s.write_weight(2);
  std::vector<float> expected = before;
  for (std::uint64_t k = 0; k < e.size; ++k) expected[e.offset + k] = 0.5f + static_cast<float>(k);
  EXPECT_EQ(std::vector<float>(s.read_weights(), s.read_weights() + s.weights_count()), expected);
  s.weights_buffer()[e.offset] = std::nanf("");
  EXPECT_ERROR_CONTAINS(s.write_weight(2), e.name.c_str(), "NaN", "finite");
  EXPECT_EQ(s.weight_values(2)[0], 0.5f) << "a refused write changes nothing";
  EXPECT_ERROR_CONTAINS(s.weight_values(99), "no entry 99");
}

TEST(VectorJacobian, BadRequestsAreNamed) {
  TrainingSession s(parse_graph_spec(kTwoByTwo));
  Probe p = make_probe(s, 2, false, 0);
  EXPECT_ERROR_CONTAINS(s.apply({p.xs[0].data()}, 2, false, 0), "apply", "2 inputs, got 1");
  EXPECT_ERROR_CONTAINS(s.apply(p.x_ptrs(), 0, false, 0), "at least one row");
  EXPECT_ERROR_CONTAINS(s.vector_jacobian_product(p.x_ptrs(), 2, false, 0, {nullptr}), "2 outputs, got 1");

  TrainingSession ids(parse_graph_spec(R"({"format":"nnplay-graph","seed":1,"layers":[
    {"name":"t","type":"input","config":{"shape":[3]}},
    {"name":"u","type":"input","config":{"shape":[2]}},
    {"name":"e","type":"embedding","config":{"inputDim":5,"outputDim":2},"inbound":[["t"]]},
    {"name":"f","type":"flatten","config":{},"inbound":[["e"]]},
    {"name":"c","type":"concatenate","config":{},"inbound":[["f","u"]]},
    {"name":"d","type":"dense","config":{"units":1},"inbound":[["c"]]}],"outputs":["d"]})"));
  const std::vector<float> tokens = {0, 1, 4, 2, 3, 3}, u = {0.5f, -0.5f, 1, 2};
  const std::vector<float> dy = {1, 1};
  ids.apply({tokens.data(), u.data()}, 2, false, 0);
  ids.vector_jacobian_product({tokens.data(), u.data()}, 2, false, 0, {dy.data()});
  EXPECT_EQ(ids.vjp_input_gradients()[0].size(), 0u) << "ids have no gradient";
  EXPECT_EQ(ids.vjp_input_gradients()[1].size(), 4u);

  TrainingSession sampling(parse_graph_spec(R"({"format":"nnplay-graph","seed":1,"layers":[
    {"name":"x","type":"input","config":{"shape":[2]}},
    {"name":"m","type":"dense","config":{"units":2},"inbound":[["x"]]},
    {"name":"v","type":"dense","config":{"units":2},"inbound":[["x"]]},
    {"name":"z","type":"gaussianSampling","config":{"sampleAtInference":true},"inbound":[["m","v"]]}],
    "outputs":["z"]})"));
  const std::vector<float> x = {1, 2}, d = {1, 1};
  EXPECT_ERROR_CONTAINS(sampling.vector_jacobian_product({x.data()}, 1, false, 0, {d.data()}), "sampleAtInference",
                        "training: true");
  sampling.vector_jacobian_product({x.data()}, 1, true, 0, {d.data()});  // training: the pass's stream
}

}  // namespace
}  // namespace nnplay
