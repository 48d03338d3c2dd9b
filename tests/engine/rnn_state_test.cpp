// The state per step as node payloads (Layer::states / read_state, TrainingSession::predict with
// PayloadRef): LSTM h, c and gates and GRU gates against a hand-unrolled computation in double
// from the layer's own weights, in sample order for several samples and goBackwards; h against
// the returnSequences output of the same weights over several predict chunks.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "chain.h"
#include "layer_v2_check.h"
#include "nn/recurrent_layers.h"
#include "test_util.h"
#include "train/session.h"

namespace nnplay {
namespace {

using test::LayerDriver;
using test::random_vector;

double sigm(double x) { return 1.0 / (1.0 + std::exp(-x)); }

std::vector<float> read(const Layer& layer, int k, int n) {
  std::vector<float> out(static_cast<std::size_t>(n) * shape_size64(layer.states()[static_cast<std::size_t>(k)].shape),
                         -9.0f);
  layer.read_state(k, out.data());
  return out;
}

// x [n, steps, features]; weights in Keras layout. Fills h, c [n, steps, u], gates [n, steps, 4u]
// (processing order: goBackwards reads step steps−1−s at step s).
void lstm_reference(const std::vector<float>& x, int n, int steps, int features, int u, const Tensor& kernel,
                    const Tensor& rec, const Tensor& bias, bool backwards, std::vector<double>& h,
                    std::vector<double>& c, std::vector<double>& gates) {
  const int w = 4 * u;
  h.assign(static_cast<std::size_t>(n * steps * u), 0);
  c = h;
  gates.assign(static_cast<std::size_t>(n * steps * w), 0);
  for (int i = 0; i < n; ++i) {
    std::vector<double> hp(static_cast<std::size_t>(u), 0.0), cp = hp;
    for (int s = 0; s < steps; ++s) {
      const int t = backwards ? steps - 1 - s : s;
      std::vector<double> z(static_cast<std::size_t>(w));
      for (int j = 0; j < w; ++j) {
        double a = bias[static_cast<std::size_t>(j)];
        for (int f = 0; f < features; ++f)
          a +=
              x[static_cast<std::size_t>((i * steps + t) * features + f)] * kernel[static_cast<std::size_t>(f * w + j)];
        for (int k = 0; k < u; ++k) a += hp[static_cast<std::size_t>(k)] * rec[static_cast<std::size_t>(k * w + j)];
        z[static_cast<std::size_t>(j)] = a;
      }
      for (int k = 0; k < u; ++k) {
        const double ig = sigm(z[k]), fg = sigm(z[u + k]), g = std::tanh(z[2 * u + k]), og = sigm(z[3 * u + k]);
        const double cn = fg * cp[k] + ig * g, hn = og * std::tanh(cn);
        const std::size_t at = static_cast<std::size_t>((i * steps + s) * u + k);
        c[at] = cn;
        h[at] = hn;
        const std::size_t gat = static_cast<std::size_t>((i * steps + s) * w + k);
        gates[gat] = ig;
        gates[gat + u] = fg;
        gates[gat + 2 * u] = g;
        gates[gat + 3 * u] = og;
      }
      for (int k = 0; k < u; ++k) {
        hp[k] = h[static_cast<std::size_t>((i * steps + s) * u + k)];
        cp[k] = c[static_cast<std::size_t>((i * steps + s) * u + k)];
      }
    }
  }
}

void expect_close(const std::vector<float>& got, const std::vector<double>& want, const char* what) {
  ASSERT_EQ(got.size(), want.size()) << what;
  for (std::size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], want[i], 2e-5) << what << " at " << i;
}

TEST(RecurrentState, LstmHCAndGatesEqualAHandUnrolledComputation) {
  const int n = 3, steps = 4, features = 2, u = 3;
  for (bool backwards : {false, true}) {
    SCOPED_TRACE(backwards ? "goBackwards" : "forwards");
    BuiltLayer b = build_layer("lstm",
                               std::string("{\"units\":3,\"recurrentActivation\":\"sigmoid\",\"biasInitializer\":"
                                           "\"glorotUniform\",\"goBackwards\":") +
                                   (backwards ? "true}" : "false}"),
                               {{steps, features}}, 11);
    const std::vector<StateInfo> states = b.layer->states();
    ASSERT_EQ(states.size(), 3u);
    EXPECT_EQ(states[0].name, "h");
    EXPECT_EQ(states[0].shape, (Shape{steps, u}));
    EXPECT_EQ(states[1].name, "c");
    EXPECT_EQ(states[2].name, "gates");
    EXPECT_EQ(states[2].shape, (Shape{steps, 4 * u}));
    LayerDriver drv{*b.layer, n, false, 1, {random_vector(n * steps * features, 5, -1.5f, 1.5f)}};
    drv.forward();
    std::vector<double> h, c, gates;
    lstm_reference(drv.inputs[0], n, steps, features, u, *b.layer->variables()[0].value, *b.layer->variables()[1].value,
                   *b.layer->variables()[2].value, backwards, h, c, gates);
    expect_close(read(*b.layer, 0, n), h, "h");
    expect_close(read(*b.layer, 1, n), c, "c");
    expect_close(read(*b.layer, 2, n), gates, "gates");
  }
}

TEST(RecurrentState, GruGatesAreZRAndCandidatePerStep) {
  // units 1, features 1, resetAfter false, sigmoid gates: z, r, h̃ per step by hand.
  BuiltLayer b = build_layer("gru", "{\"units\":1,\"recurrentActivation\":\"sigmoid\"}", {{2, 1}});
  const float k[] = {0.5f, -0.4f, 0.8f}, r[] = {0.3f, 0.6f, -0.7f};
  for (int j = 0; j < 3; ++j) {
    (*b.layer->variables()[0].value)[static_cast<std::size_t>(j)] = k[j];
    (*b.layer->variables()[1].value)[static_cast<std::size_t>(j)] = r[j];
    (*b.layer->variables()[2].value)[static_cast<std::size_t>(j)] = 0.0f;
  }
  ASSERT_EQ(b.layer->states().size(), 2u);
  EXPECT_EQ(b.layer->states()[1].name, "gates");
  EXPECT_EQ(b.layer->states()[1].shape, (Shape{2, 3}));
  // two samples, so sample order matters
  LayerDriver drv{*b.layer, 2, false, 1, {{1.5f, -0.5f, 0.25f, 2.0f}}};
  drv.forward();
  std::vector<double> want_gates, want_h;
  for (int i = 0; i < 2; ++i) {
    double h = 0.0;
    for (int s = 0; s < 2; ++s) {
      const double x = drv.inputs[0][static_cast<std::size_t>(i * 2 + s)];
      const double z = sigm(k[0] * x + r[0] * h), rg = sigm(k[1] * x + r[1] * h);
      const double hh = std::tanh(k[2] * x + (rg * h) * r[2]);
      h = z * h + (1.0 - z) * hh;
      want_gates.insert(want_gates.end(), {z, rg, hh});
      want_h.push_back(h);
    }
  }
  expect_close(read(*b.layer, 1, 2), want_gates, "gates");
  expect_close(read(*b.layer, 0, 2), want_h, "h");
}

TEST(RecurrentState, SessionPayloadHEqualsReturnSequencesOverSeveralChunks) {
  // Long sequences make the predict chunk smaller than the data set, so the per-chunk copy and
  // its reordering to sample order are exercised.
  const int steps = 200, features = 2, n = 250;
  for (const char* cell : {"lstm", "gru", "simpleRNN"}) {
    SCOPED_TRACE(cell);
    auto spec = [&](bool sequences) {
      return std::string(R"({"inputShape":[200,2],"seed":3,"layers":[{"type":")") + cell +
             R"(","units":64,"returnSequences":)" + (sequences ? "true" : "false") +
             R"(},{"type":"dense","units":1}]})";
    };
    TrainingSession last(parse_graph_spec(spec(false))), seq(parse_graph_spec(spec(true)));
    ASSERT_LT(last.model().predict_chunk_size(), n);
    const std::vector<float> x = random_vector(n * steps * features, 17, -1.0f, 1.0f);
    const int a = last.reserve_dataset(n, steps * features, 0), bb = seq.reserve_dataset(n, steps * features, 0);
    std::copy(x.begin(), x.end(), last.dataset_x(a));
    std::copy(x.begin(), x.end(), seq.dataset_x(bb));
    last.seal_dataset(a);
    seq.seal_dataset(bb);
    const std::vector<NodeValues> got = last.predict_payloads(a, std::vector<PayloadRef>{{0, 0}, {0, -1}});
    ASSERT_EQ(got.size(), 2u);
    EXPECT_EQ(got[0].name, std::string(cell) + "_1:h");
    EXPECT_EQ(got[0].shape, (Shape{n, steps, 64}));
    const NodeValues want = seq.predict(bb, std::vector<int>{0})[0];
    ASSERT_EQ(want.values.size(), got[0].values.size());
    for (std::size_t i = 0; i < want.values.size(); ++i) ASSERT_EQ(got[0].values[i], want.values[i]) << i;
    // and the last step of h is the layer's own (returnSequences false) output
    for (int i = 0; i < n; ++i)
      for (int j = 0; j < 64; ++j)
        ASSERT_EQ(got[1].values[static_cast<std::size_t>(i * 64 + j)],
                  got[0].values[static_cast<std::size_t>((i * steps + steps - 1) * 64 + j)]);
  }
  TrainingSession dense(parse_graph_spec(R"({"inputShape":[2],"layers":[{"type":"dense","units":1}]})"));
  const int id = dense.reserve_dataset(1, 2, 0);
  dense.seal_dataset(id);
  EXPECT_ERROR_CONTAINS(dense.predict_payloads(id, std::vector<PayloadRef>{{0, 0}}), "dense_1 has no state 0",
                        "it has 0 states");
}

}  // namespace
}  // namespace nnplay
