// The metrics mape, precision and recall (TF.js's definitions and batch weighting), the constant
// initializer with its value parameter in the layer config, and the sums-over-outputs losses'
// flat-output check, through a Graph and a Trainer.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/json.h"
#include "data/dataset.h"
#include "nn/graph.h"
#include "nn/registry.h"
#include "test_util.h"
#include "train/trainer.h"

namespace nnplay {
namespace {

using test::error_of;

// dense 2 with kernel 0.5 and bias −1: both outputs are 0.5·(x0 + x1) − 1.
const char* kConstantNet = R"({"format":"nnplay-graph","seed":3,"layers":[
  {"name":"x","type":"input","config":{"shape":[2]}},
  {"name":"d","type":"dense","config":{"units":2,"kernelInitializer":{"name":"constant","value":0.5},
   "biasInitializer":{"name":"Constant","value":-1}},"inbound":[["x"]]}],
  "inputs":["x"],"outputs":["d"]})";

MultiDataset four_samples(const std::vector<float>& y) {
  MultiDataset d;
  d.xs = {Tensor({4, 2})};
  d.ys = {Tensor({4, 2})};
  // predictions (1, 1), (0, 0), (1, 1), (0, 0)
  const std::vector<float> x = {2, 2, 1, 1, 4, 0, 1, 1};
  for (std::size_t i = 0; i < 8; ++i) {
    d.xs[0][i] = x[i];
    d.ys[0][i] = y[i];
  }
  return d;
}

TEST(ConstantInitializer, FillsTheValueAndWritesItsObjectBack) {
  Graph g(parse_graph_spec(kConstantNet));
  for (std::size_t i = 0; i < 4; ++i) EXPECT_EQ((*g.variables()[0].value)[i], 0.5f);
  for (std::size_t i = 0; i < 2; ++i) EXPECT_EQ((*g.variables()[1].value)[i], -1.0f);
  const JsonDocument doc = parse_json(inspect_model(kConstantNet), "inspect_model: ");
  const JsonValue j = doc.root();
  ASSERT_FALSE(j.contains("error")) << j.dump();
  EXPECT_EQ(j["layers"][1]["config"]["kernelInitializer"].dump(), R"({"name":"constant","value":0.5})");
  EXPECT_EQ(j["layers"][1]["config"]["biasInitializer"].dump(), R"({"name":"constant","value":-1.0})");
  // The bare name takes the row's default value, 0; other rows keep their bare names.
  Graph zero(parse_graph_spec(R"({"format":"nnplay-graph","seed":3,"layers":[
    {"name":"x","type":"input","config":{"shape":[2]}},
    {"name":"d","type":"dense","config":{"units":2,"kernelInitializer":"constant","biasInitializer":{"name":"ones"}},
     "inbound":[["x"]]}],"inputs":["x"],"outputs":["d"]})"));
  for (std::size_t i = 0; i < 4; ++i) EXPECT_EQ((*zero.variables()[0].value)[i], 0.0f);
  for (std::size_t i = 0; i < 2; ++i) EXPECT_EQ((*zero.variables()[1].value)[i], 1.0f);
}

TEST(ConstantInitializer, BadParametersAreClearErrors) {
  const std::string bad_key = error_of([] {
    Graph(parse_graph_spec(R"({"format":"nnplay-graph","layers":[{"name":"x","type":"input","config":{"shape":[2]}},
      {"name":"d","type":"dense","config":{"units":2,"kernelInitializer":{"name":"constant","valu":1}},
       "inbound":[["x"]]}],"inputs":["x"],"outputs":["d"]})"));
  });
  EXPECT_NE(bad_key.find("unknown field \"valu\"; allowed fields: value"), std::string::npos) << bad_key;
  const std::string no_name = error_of([] {
    Graph(parse_graph_spec(R"({"format":"nnplay-graph","layers":[{"name":"x","type":"input","config":{"shape":[2]}},
      {"name":"d","type":"dense","config":{"units":2,"kernelInitializer":{"value":1}}, "inbound":[["x"]]}],
      "inputs":["x"],"outputs":["d"]})"));
  });
  EXPECT_NE(no_name.find("needs \"name\""), std::string::npos) << no_name;
}

TEST(Metrics, PrecisionAndRecallAsTfjsPerBatchWeightedBySize) {
  Graph g(parse_graph_spec(kConstantNet));
  const CompileSpec c = parse_compile_spec(R"({"loss":"mae","metrics":["precision","recall"]})");
  Trainer t(g, c);
  EXPECT_EQ(t.log_names(), (std::vector<std::string>{"loss", "precision", "recall"}));
  // pred (1,1) y (1,0): TP FP;  pred (0,0) y (1,0): FN;  pred (1,1) y (1,1): TP TP;  pred (0,0) y (1,1): FN FN.
  const MultiDataset data = four_samples({1, 0, 1, 0, 1, 1, 1, 1});
  Logs all = t.evaluate(data.view(), 4);  // one batch: tp 3, fp 1, fn 3
  EXPECT_NEAR(all.get("precision"), 0.75, 1e-12);
  EXPECT_NEAR(all.get("recall"), 0.5, 1e-12);
  // Batches of 3 and 1: (tp 3, fp 1, fn 1) → 0.75 and 0.75; (tp 0, fp 0, fn 2) → 0 and 0; weighted 3:1.
  Logs split = t.evaluate(data.view(), 3);
  EXPECT_NEAR(split.get("precision"), 0.75 * 3 / 4, 1e-12);
  EXPECT_NEAR(split.get("recall"), 0.75 * 3 / 4, 1e-12);
}

TEST(Metrics, MapeAndMaeByHand) {
  Graph g(parse_graph_spec(kConstantNet));
  // 'mape' and 'MAPE' are one metric, listed twice
  EXPECT_THROW(parse_compile_spec(R"({"loss":"mape","metrics":["mape","mae","MAPE"]})"), Error);
  Trainer t(g, parse_compile_spec(R"({"loss":"mape","metrics":["mean_absolute_percentage_error","mae"]})"));
  EXPECT_EQ(t.log_names(), (std::vector<std::string>{"loss", "mape", "mae"}));
  // y = 2 everywhere: |2 − 1| / 2 = 0.5 for the (1, 1) samples, |2 − 0| / 2 = 1 for the (0, 0) ones.
  const Logs logs = t.evaluate(four_samples(std::vector<float>(8, 2.0f)).view(), 4);
  EXPECT_NEAR(logs.get("mape"), 75.0, 1e-9);
  EXPECT_NEAR(logs.get("loss"), 75.0, 1e-9);
  EXPECT_NEAR(logs.get("mae"), 1.5, 1e-9);
}

TEST(Losses, SumOverOutputsLossesNeedAFlatOutput) {
  Graph g(parse_graph_spec(R"({"format":"nnplay-graph","layers":[{"name":"x","type":"input","config":{"shape":[3,2]}},
    {"name":"d","type":"dense","config":{"units":2,"activation":"softmax"},"inbound":[["x"]]}],
    "inputs":["x"],"outputs":["d"]})"));
  const std::string e = error_of([&] { Trainer(g, parse_compile_spec(R"({"loss":"kld"})")); });
  EXPECT_NE(e.find("kullbackLeiblerDivergence sums over the last axis and needs a flat model output"),
            std::string::npos)
      << e;
  Trainer ok(g, parse_compile_spec(R"({"loss":"logcosh"})"));  // a mean over every element: any shape
}

}  // namespace
}  // namespace nnplay
