// returnState (Keras / TF.js): a recurrent layer that returns [output, h_T] (simpleRNN, GRU) or
// [output, h_T, c_T] (LSTM). Backpropagation through time seeded at the final states checked
// against finite differences in double (the layer alone, every cell, returnSequences and
// goBackwards on and off); the graph's multi-tensor refs (["lstm", 0, 2]) as outputs and as
// inputs to further layers, gradient-checked end to end; the states' values against the layer's
// per-step state; inspect's shapes; and the messages for tensor indices that do not exist.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "chain.h"
#include "layer_v2_check.h"
#include "nn/graph.h"
#include "test_util.h"

namespace nnplay {
namespace {

using test::check_layer_gradients;
using test::error_of;
using test::gradients_match;
using test::LayerDriver;
using test::numeric_gradient;
using test::project;
using test::random_vector;

class ReturnStateGradCheck : public ::testing::TestWithParam<const char*> {};

// The packed row [output | h_T (| c_T)] under a random projection: the gradient reaches the
// weights and the input through the final states as well as through the output.
TEST_P(ReturnStateGradCheck, FinalStatesGradientsMatchFiniteDifferences) {
  const int n = 2, steps = 4, features = 3, units = 3;
  const std::string type = GetParam();
  const int states = type == "lstm" ? 2 : 1;
  for (bool sequences : {false, true})
    for (bool backwards : {false, true}) {
      const std::string config =
          std::string("{\"units\":3,\"returnState\":true,\"biasInitializer\":\"glorotUniform\",") +
          "\"returnSequences\":" + (sequences ? "true" : "false") +
          ",\"goBackwards\":" + (backwards ? "true" : "false") +
          (type == "simpleRNN" ? "" : ",\"recurrentActivation\":\"sigmoid\"") + "}";
      SCOPED_TRACE(type + " " + config);
      BuiltLayer b = build_layer(type, config, {{steps, features}}, 11);
      EXPECT_EQ(b.output_shape, sequences ? (Shape{steps, units}) : (Shape{units}));  // tensor 0
      EXPECT_EQ(b.layer->output_size(), static_cast<std::uint64_t>((sequences ? steps : 1) * units + states * units));
      LayerDriver drv{*b.layer, n, true, 1, {random_vector(n * steps * features, 5, -1.5f, 1.5f)}};
      check_layer_gradients(config, drv, 1e-2, 4e-3, 4e-4);
    }
}

INSTANTIATE_TEST_SUITE_P(Cells, ReturnStateGradCheck, ::testing::Values("simpleRNN", "lstm", "gru"));

// x [4, 3] -> lstm (5, returnSequences, returnState) -> [seq, h, c]
//   outputs: seq, dense(2) on h, c itself.
const char* kLstmState = R"({"format":"nnplay-graph","seed":3,"layers":[
  {"name":"x","type":"input","config":{"shape":[4,3]}},
  {"name":"lstm","type":"lstm","config":{"units":5,"returnSequences":true,"returnState":true,
   "recurrentActivation":"sigmoid","biasInitializer":"glorotUniform"},"inbound":[["x"]]},
  {"name":"head","type":"dense","config":{"units":2,"activation":"tanh"},"inbound":[[["lstm",0,1]]]}],
  "outputs":[["lstm",0,0],"head",["lstm",0,2]]})";

TEST(ReturnState, GraphOutputsAndDenseOnTheStateMatchFiniteDifferences) {
  Graph g(parse_graph_spec(kLstmState));
  ASSERT_EQ(g.num_outputs(), 3);
  EXPECT_EQ(g.output_shape(0), (Shape{4, 5}));
  EXPECT_EQ(g.output_shape(1), (Shape{2}));
  EXPECT_EQ(g.output_shape(2), (Shape{5}));
  EXPECT_EQ(g.layer_info(g.find_layer("lstm")).output_shape, (Shape{4, 5}));
  const int n = 3;
  std::vector<float> x = random_vector(n * 4 * 3, 9, -1.5f, 1.5f);
  g.forward(PassContext{false, nullptr, n}, {x.data()});
  // h_T is the sequence's last step; c_T the last step of the per-step cell state.
  const int lstm = g.find_layer("lstm");
  std::vector<StateInfo> states = g.layer_states(lstm);
  ASSERT_EQ(states[1].name, "c");
  std::vector<float> c_steps(static_cast<std::size_t>(n) * 4 * 5);
  g.read_layer_state(lstm, 1, c_steps.data());
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < 5; ++j) {
      EXPECT_EQ(g.output(2)[static_cast<std::size_t>(i * 5 + j)],
                c_steps[static_cast<std::size_t>((i * 4 + 3) * 5 + j)]);
      EXPECT_EQ(g.layer_output("lstm")[static_cast<std::size_t>((i * 4 + 3) * 5 + j)],
                g.output(0)[static_cast<std::size_t>((i * 4 + 3) * 5 + j)]);
    }
  const std::vector<float> r0 = random_vector(n * 4 * 5, 1), r1 = random_vector(n * 2, 2), r2 = random_vector(n * 5, 3);
  auto loss = [&] {
    g.forward(PassContext{false, nullptr, n}, {x.data()});
    return project(g.output(0).data(), r0) + project(g.output(1).data(), r1) + project(g.output(2).data(), r2);
  };
  loss();
  std::vector<float> dx(x.size(), 0.0f);
  g.backward_to_inputs(PassContext{false, nullptr, n},
                       {GradientSeed{g.output_node(0), r0.data()}, GradientSeed{g.output_node(1), r1.data()},
                        GradientSeed{g.output_node(2), r2.data()}},
                       {dx.data()});
  std::vector<std::vector<float>> grads;
  for (const Variable& v : g.variables()) grads.emplace_back(v.grad->data(), v.grad->data() + v.grad->size());
  for (std::size_t k = 0; k < grads.size(); ++k) {
    Variable& v = g.variables()[k];
    EXPECT_TRUE(
        gradients_match(grads[k].data(), numeric_gradient(v.value->data(), v.value->size(), 1e-2, loss), 4e-3, 4e-4))
        << v.name;
  }
  EXPECT_TRUE(gradients_match(dx.data(), numeric_gradient(x.data(), x.size(), 1e-2, loss), 4e-3, 4e-4)) << "input";
}

// The state alone as the model's only consumer of the layer: a GRU whose output is unused but
// whose h_T feeds a dense head (the encoder of a sequence-to-sequence model).
TEST(ReturnState, GruStateFeedsADenseHeadAlone) {
  Graph g(parse_graph_spec(R"({"format":"nnplay-graph","seed":4,"layers":[
    {"name":"x","type":"input","config":{"shape":[3,2]}},
    {"name":"gru","type":"gru","config":{"units":4,"returnState":true,"recurrentActivation":"sigmoid",
     "resetAfter":true},"inbound":[["x"]]},
    {"name":"out","type":"dense","config":{"units":1},"inbound":[[["gru",0,1]]]}],
    "outputs":["out"]})"));
  const int n = 2;
  std::vector<float> x = random_vector(n * 3 * 2, 6, -1.5f, 1.5f);
  const std::vector<float> r = random_vector(n, 7);
  auto loss = [&] {
    g.forward(PassContext{false, nullptr, n}, {x.data()});
    return project(g.output(0).data(), r);
  };
  loss();
  g.backward(PassContext{false, nullptr, n}, {GradientSeed{g.output_node(0), r.data()}});
  for (Variable& v : g.variables()) {
    std::vector<float> analytic(v.grad->data(), v.grad->data() + v.grad->size());
    EXPECT_TRUE(
        gradients_match(analytic.data(), numeric_gradient(v.value->data(), v.value->size(), 1e-2, loss), 4e-3, 4e-4))
        << v.name;
  }
}

TEST(ReturnState, InspectListsEveryTensorAndSpecsRoundTrip) {
  const std::string text = inspect_model(kLstmState);
  EXPECT_NE(text.find(R"("outputShapes":[[4,5],[5],[5]])"), std::string::npos) << text;
  EXPECT_NE(text.find(R"("inbound":[["lstm",0,1]])"), std::string::npos) << text;
  EXPECT_NE(text.find(R"({"call":0,"name":"lstm","shape":[5],"tensor":2})"), std::string::npos) << text;
  const GraphSpec again = parse_graph_spec(graph_spec_to_json(parse_graph_spec(kLstmState)));
  ASSERT_EQ(again.outputs.size(), 3u);
  EXPECT_EQ(again.outputs[2].tensor, 2);
  EXPECT_EQ(again.layers[2].inbound[0][0].tensor, 1);
}

TEST(ReturnState, TensorsThatDoNotExistAreNamed) {
  auto spec = [](const std::string& lstm_config, const std::string& ref) {
    return R"({"format":"nnplay-graph","layers":[
      {"name":"x","type":"input","config":{"shape":[3,2]}},
      {"name":"lstm","type":"lstm","config":{"units":2)" +
           lstm_config + R"(},"inbound":[["x"]]},
      {"name":"d","type":"dense","config":{"units":1},"inbound":[[)" +
           ref + R"(]]}],"outputs":["d"]})";
  };
  EXPECT_NO_THROW(parse_graph_spec(spec(",\"returnState\":true", "[\"lstm\",0,2]")));
  EXPECT_NE(error_of([&] {
              parse_graph_spec(spec(",\"returnState\":true", "[\"lstm\",0,3]"));
            }).find("layer \"d\" (dense) refers to output tensor 3 of \"lstm\", which has 3 output tensors"),
            std::string::npos);
  EXPECT_NE(error_of([&] { parse_graph_spec(spec("", "[\"lstm\",0,1]")); })
                .find("refers to output tensor 1 of \"lstm\", which has 1 output tensor (a recurrent layer with "
                      "returnState: true"),
            std::string::npos);
  EXPECT_NE(error_of([&] { parse_graph_spec(spec("", "[\"lstm\",0,-1]")); }).find("the tensor index of a reference"),
            std::string::npos);
  EXPECT_NE(error_of([&] {
              parse_graph_spec(R"({"format":"nnplay-graph","layers":[
      {"name":"x","type":"input","config":{"shape":[3,2]}},
      {"name":"b","type":"bidirectional","config":{"layer":"lstm","units":2,"returnState":true},"inbound":[["x"]]}],
      "outputs":["b"]})");
            }).find("unknown"),
            std::string::npos);
  EXPECT_NE(
      error_of([] {
        parse_graph_spec(R"({"inputShape":[3,2],"layers":[{"type":"lstm","units":2,"returnState":true},{"units":1}]})");
      }).find("layer 0 (lstm): returnState gives it 3 output tensors; a sequential model's layers have one each"),
      std::string::npos);
}

}  // namespace
}  // namespace nnplay
