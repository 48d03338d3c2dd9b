// TrainingSession::input_gradients: d(one output unit) / d(every input value) for chosen samples
// (the page's "how far back does the prediction depend on the input"). Checked against central
// differences of the session's own predictions (float forward, difference in double, as in
// gradcheck_test.cpp) through dense, SimpleRNN, LSTM, GRU and stacks of them; each sample's
// gradient is its own; and a call changes nothing the next training step reads (same bits).
#include <gtest/gtest.h>

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

// A sealed inputs-and-targets dataset of n samples of x_size values in [-1, 1], targets 0/1.
int load_random(TrainingSession& s, int n, int x_size, int y_size, std::uint64_t seed) {
  const int id = s.reserve_dataset(n, x_size, y_size);
  Rng rng(seed);
  float* x = s.dataset_x(id);
  for (int i = 0; i < n * x_size; ++i) x[i] = rng.uniform(-1.0f, 1.0f);
  float* y = s.dataset_y(id);
  for (int i = 0; i < n * y_size; ++i) y[i] = rng.uniform() < 0.5f ? 0.0f : 1.0f;
  s.seal_dataset(id);
  return id;
}

// Output unit `unit` of sample `sample` as the session predicts it, in double.
double predicted(TrainingSession& s, int id, int sample, int unit) {
  const NodeValues& out = s.predict(id, {s.output_node(0)})[0];
  const std::size_t width = out.values.size() / static_cast<std::size_t>(out.shape[0]);
  return out.values[static_cast<std::size_t>(sample) * width + static_cast<std::size_t>(unit)];
}

struct Case {
  const char* name;
  const char* spec;
};

class InputGradients : public ::testing::TestWithParam<Case> {};

TEST_P(InputGradients, MatchFiniteDifferencesOfThePrediction) {
  TrainingSession s(parse_graph_spec(GetParam().spec));
  const int x_size = s.model().input_size(), outputs = s.model().output_size();
  const int id = load_random(s, 3, x_size, 1, 17);
  float* x = s.dataset_x(id);
  for (int unit = 0; unit < outputs; ++unit) {
    const std::vector<float> analytic(s.input_gradients(id, {1}, 0, unit)[0].data(),
                                      s.input_gradients(id, {1}, 0, unit)[0].data() + x_size);
    const std::vector<double> numeric =
        numeric_gradient(x + x_size, static_cast<std::size_t>(x_size), 1e-2, [&] { return predicted(s, id, 1, unit); });
    EXPECT_TRUE(gradients_match(analytic.data(), numeric, 2e-2, 2e-4)) << GetParam().name << ", unit " << unit;
    double total = 0.0;
    for (float g : analytic) total += std::fabs(g);
    EXPECT_GT(total, 1e-4) << GetParam().name << ": the gradient must not vanish everywhere";
  }
}

TEST_P(InputGradients, EachSampleGetsItsOwnGradientInAnyOrder) {
  TrainingSession s(parse_graph_spec(GetParam().spec));
  const int x_size = s.model().input_size();
  const int id = load_random(s, 4, x_size, 1, 3);
  const std::vector<Tensor> alone = {s.input_gradients(id, {2}, 0, 0)[0], s.input_gradients(id, {0}, 0, 0)[0]};
  const Tensor& together = s.input_gradients(id, {2, 0, 2}, 0, 0)[0];
  ASSERT_EQ(together.dim(0), 3);
  EXPECT_EQ(together.rank(), 1 + static_cast<int>(s.model().input_shape().size()));
  for (int i = 0; i < x_size; ++i) {
    EXPECT_NEAR(together[static_cast<std::size_t>(i)], alone[0][static_cast<std::size_t>(i)], 1e-6f);
    EXPECT_NEAR(together[static_cast<std::size_t>(x_size + i)], alone[1][static_cast<std::size_t>(i)], 1e-6f);
    EXPECT_NEAR(together[static_cast<std::size_t>(2 * x_size + i)], together[static_cast<std::size_t>(i)], 1e-6f);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Layers, InputGradients,
    ::testing::Values(Case{"dense",
                           R"({"inputShape":[4],"seed":2,"layers":[{"type":"dense","units":5,"activation":"tanh"},
                 {"type":"dense","units":3,"activation":"softmax"}]})"},
                      Case{"simpleRNN", R"({"inputShape":[5,2],"seed":4,"layers":[{"type":"simpleRNN","units":3},
                 {"type":"dense","units":1}]})"},
                      Case{"lstm", R"({"inputShape":[6,2],"seed":5,"layers":[{"type":"lstm","units":4,
                 "recurrentActivation":"sigmoid"},{"type":"dense","units":2,"activation":"softmax"}]})"},
                      Case{"gru", R"({"inputShape":[6,2],"seed":6,"layers":[{"type":"gru","units":4},
                 {"type":"dense","units":1}]})"},
                      Case{"gruResetBefore", R"({"inputShape":[5,1],"seed":7,"layers":[{"type":"gru","units":3,
                 "resetAfter":false},{"type":"dense","units":1,"activation":"sigmoid"}]})"},
                      Case{"bidirectionalGru", R"({"inputShape":[5,2],"seed":10,"layers":[{"type":"bidirectional",
                 "layer":"gru","units":3,"mergeMode":"concat"},{"type":"dense","units":1}]})"},
                      Case{"lstmReturningSequencesIntoGru",
                           R"({"inputShape":[5,2],"seed":8,"layers":[{"type":"lstm","units":3,"returnSequences":true},
                 {"type":"gru","units":3},{"type":"dense","units":1}]})"}),
    [](const ::testing::TestParamInfo<Case>& info) { return std::string(info.param.name); });

// The seeded unit may be any flat index of a per-step output (returnSequences to the end).
TEST(InputGradientsOf, AStepOfASequenceOutputDependsOnlyOnEarlierSteps) {
  TrainingSession s(
      parse_graph_spec(R"({"inputShape":[6,1],"seed":9,"layers":[{"type":"lstm","units":3,"returnSequences":true}]})"));
  const int id = load_random(s, 2, 6, 18, 5);
  const int step = 2, unit = step * 3 + 1;  // step 2, unit 1
  const Tensor& g = s.input_gradients(id, {0}, 0, unit)[0];
  for (int t = 0; t < 6; ++t) {
    if (t <= step)
      EXPECT_NE(g[static_cast<std::size_t>(t)], 0.0f) << "step " << t;
    else
      EXPECT_EQ(g[static_cast<std::size_t>(t)], 0.0f) << "step " << t << " comes after the output";
  }
  float* x = s.dataset_x(id);
  const std::vector<double> numeric = numeric_gradient(x, 6, 1e-2, [&] { return predicted(s, id, 0, unit); });
  EXPECT_TRUE(gradients_match(g.data(), numeric, 2e-2, 2e-4));
}

void train_around(TrainingSession& s, int id, bool ask_gradients) {
  CompileSpec c;
  c.optimizer.name = "adam";
  c.optimizer.learning_rate = 0.01f;
  c.loss = "binaryCrossentropy";
  s.compile(c);
  s.train_steps(id, 3, 4, true);
  if (ask_gradients) {
    s.input_gradients(id, {0, 5, 3}, 0, 0);
    s.input_gradients(id, {7}, 0, 0);  // another chunk size between training steps
  }
  s.train_steps(id, 4, 4, true);  // mid-epoch: the shuffle position must carry on too
}

TEST(InputGradientsOf, ACallLeavesTheNextTrainingStepsBitForBit) {
  // Dropout between the layers: the pass runs in inference mode and draws no random number.
  const char* spec = R"({"inputShape":[5,2],"seed":11,"layers":[{"type":"lstm","units":4},
      {"type":"dropout","rate":0.3},{"type":"dense","units":1,"activation":"sigmoid"}]})";
  TrainingSession plain(parse_graph_spec(spec)), asked(parse_graph_spec(spec));
  const int id_plain = load_random(plain, 10, 10, 1, 21), id_asked = load_random(asked, 10, 10, 1, 21);
  train_around(plain, id_plain, false);
  train_around(asked, id_asked, true);
  ASSERT_EQ(plain.steps_done(), asked.steps_done());
  const std::uint64_t count = plain.weights_count();
  EXPECT_EQ(std::memcmp(plain.read_weights(), asked.read_weights(), sizeof(float) * count), 0);
  EXPECT_EQ(plain.train_steps(id_plain, 1, 4, true).values, asked.train_steps(id_asked, 1, 4, true).values);
  EXPECT_EQ(std::memcmp(plain.read_weights(), asked.read_weights(), sizeof(float) * count), 0);
  asked.input_gradients(id_asked, {1}, 0, 0);
  for (const Variable& v : asked.model().variables()) {
    if (!v.grad) continue;
    for (std::size_t i = 0; i < v.grad->size(); ++i) ASSERT_EQ((*v.grad)[i], 0.0f) << v.name << " kept a gradient";
  }
}

TEST(InputGradientsOf, BadRequestsAreNamed) {
  TrainingSession s(parse_graph_spec(R"({"inputShape":[3,1],"seed":1,"layers":[{"type":"gru","units":2},
      {"type":"dense","units":2}]})"));
  const int id = load_random(s, 2, 3, 1, 1);
  EXPECT_ERROR_CONTAINS(s.input_gradients(id, {2}, 0, 0), "no sample 2", "0..1");
  EXPECT_ERROR_CONTAINS(s.input_gradients(id, {0}, 0, 2), "no unit 2", "0..1");
  EXPECT_ERROR_CONTAINS(s.input_gradients(id, {0}, 1, 0), "no output 1");
  EXPECT_ERROR_CONTAINS(s.input_gradients(id + 7, {0}, 0, 0), "no dataset");
  EXPECT_EQ(s.input_gradients(id, {}, 0, 0)[0].dim(0), 0);

  TrainingSession ids(parse_graph_spec(R"({"inputShape":[4],"seed":1,"layers":[
      {"type":"embedding","inputDim":5,"outputDim":2},{"type":"flatten"},{"type":"dense","units":1}]})"));
  const int d = ids.reserve_dataset(1, 4, 1);
  ids.seal_dataset(d);
  EXPECT_ERROR_CONTAINS(ids.input_gradients(d, {0}, 0, 0), "embedding", "ids have no gradient");
}

}  // namespace
}  // namespace nnplay
