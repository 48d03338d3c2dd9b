// Weight gradients a layer sets instead of accumulating (Layer::overwrite_variable_grads: dense
// layers called once, whose buffers the graph no longer zeroes before backward): a pass leaves
// exactly that pass's gradients, a layer no gradient reached reads zero rather than the last
// pass's values, and a layer called twice still sums its calls (graph_test checks those sums
// against finite differences).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "nn/graph.h"
#include "test_util.h"

namespace nnplay {
namespace {

using test::random_vector;

// a [3] -> shared (dense 4, tanh) ------------------------------> output 0
// b [2] -> proj (dense 3) -> shared (2nd call, same weights) -> head (dense 2, sigmoid) -> output 1
const char* kBranching = R"({"format":"nnplay-graph","seed":7,"layers":[
  {"name":"a","type":"input","config":{"shape":[3]}},
  {"name":"b","type":"input","config":{"shape":[2]}},
  {"name":"proj","type":"dense","config":{"units":3,"biasInitializer":"glorotUniform"},"inbound":[["b"]]},
  {"name":"shared","type":"dense","config":{"units":4,"activation":"tanh","biasInitializer":"glorotUniform"},
   "inbound":[["a"],[["proj",0,0]]]},
  {"name":"head","type":"dense","config":{"units":2,"activation":"sigmoid"},"inbound":[[["shared",1,0]]]}],
  "inputs":["a","b"],"outputs":[["shared",0,0],"head"]})";

std::vector<std::vector<float>> grads_of(const Graph& g) {
  std::vector<std::vector<float>> out;
  for (const Variable& v : g.variables()) out.emplace_back(v.grad->data(), v.grad->data() + v.grad->size());
  return out;
}

TEST(GradOverwrite, EachPassLeavesItsOwnGradients) {
  Graph g(parse_graph_spec(kBranching));
  const int n = 3;
  const std::vector<float> a = random_vector(n * 3, 1), b = random_vector(n * 2, 2);
  const std::vector<float> r0 = random_vector(n * 4, 3), r1 = random_vector(n * 2, 4);
  const PassContext ctx{false, nullptr, n};
  g.forward(ctx, {a.data(), b.data()});
  const std::vector<GradientSeed> both = {GradientSeed{g.output_node(0), r0.data()},
                                          GradientSeed{g.output_node(1), r1.data()}};
  g.backward(ctx, both);
  const std::vector<std::vector<float>> once = grads_of(g);
  g.backward(ctx, both);  // the same pass again: the same gradients, not twice them
  const std::vector<std::vector<float>> again = grads_of(g);
  for (std::size_t k = 0; k < once.size(); ++k) EXPECT_EQ(again[k], once[k]) << g.variables()[k].name;

  // Only output 0 seeded: head and proj (reached only through output 1) get no gradient this
  // pass, so theirs must read zero, not the values of the pass before.
  g.backward(ctx, {GradientSeed{g.output_node(0), r0.data()}});
  const std::vector<std::vector<float>> partial = grads_of(g);
  for (std::size_t k = 0; k < partial.size(); ++k) {
    const std::string& name = g.variables()[k].name;
    if (name.rfind("shared/", 0) == 0) continue;
    for (float x : partial[k]) EXPECT_EQ(x, 0.0f) << name;
  }
  // And the shared layer's gradient is its first call's alone now: different from both calls'.
  EXPECT_NE(partial[2], once[2]);
  // Back to both seeds: the full gradients again.
  g.backward(ctx, both);
  const std::vector<std::vector<float>> restored = grads_of(g);
  for (std::size_t k = 0; k < once.size(); ++k) EXPECT_EQ(restored[k], once[k]) << g.variables()[k].name;
}

}  // namespace
}  // namespace nnplay
