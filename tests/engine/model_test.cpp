// Sequential model surface beyond the ops: weights saved and restored (engine/io), and a bad
// weights file leaving the model unchanged.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "io/weights.h"
#include "chain.h"

namespace nnplay {
namespace {

ModelSpec spec_with(int hidden, std::uint64_t seed) {
  ModelSpec s;
  s.input_shape = {3};
  s.seed = seed;
  LayerSpec h, o;
  h.units = hidden;
  h.activation = "relu";
  o.units = 2;
  o.activation = "softmax";
  s.layers = {h, o};
  return s;
}

std::string error_of_load(Sequential& m, const std::string& bytes) {
  try {
    load_weights(m, bytes);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

std::vector<float> weights_of(Sequential& m) {
  std::vector<float> w;
  for (const Variable& p : m.params()) w.insert(w.end(), p.value->data(), p.value->data() + p.value->size());
  return w;
}

TEST(Weights, RoundTripRestoresPredictions) {
  Sequential a(spec_with(5, 1)), b(spec_with(5, 2));
  const std::vector<float> x = {0.1f, -0.4f, 2.0f, 1.0f, 0.5f, -1.0f};
  std::vector<float> pa(a.forward(x.data(), 2).data(), a.forward(x.data(), 2).data() + 4);
  std::string bytes = save_weights(a);
  EXPECT_EQ(bytes.substr(0, 4), "NNPW");
  load_weights(b, bytes);
  const Tensor& pb = b.forward(x.data(), 2);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(pa[i], pb[i]);
  EXPECT_EQ(weights_of(a), weights_of(b));
}

TEST(Weights, BadFilesAreRejectedAndLeaveTheModelUnchanged) {
  Sequential a(spec_with(5, 1)), other(spec_with(6, 1)), target(spec_with(5, 9));
  const std::vector<float> before = weights_of(target);
  std::string good = save_weights(a);

  EXPECT_NE(error_of_load(target, "XXXX" + good.substr(4)).find("not an nnplay weights file"), std::string::npos);
  std::string v2 = good;
  v2[4] = 2;
  EXPECT_NE(error_of_load(target, v2).find("version 2 is not supported"), std::string::npos);
  EXPECT_NE(error_of_load(target, good.substr(0, good.size() - 3)).find("truncated"), std::string::npos);
  EXPECT_NE(error_of_load(target, good + "x").find("extra bytes"), std::string::npos);
  std::string m = error_of_load(target, save_weights(other));
  EXPECT_NE(m.find("dense_1/kernel has shape [3, 6], the model expects [3, 5]"), std::string::npos) << m;
  std::string nan = good;
  float bad = NAN;
  std::memcpy(&nan[nan.size() - 4], &bad, 4);  // the last value of the last tensor
  EXPECT_NE(error_of_load(target, nan).find("non-finite"), std::string::npos);
  EXPECT_EQ(weights_of(target), before);
}

}  // namespace
}  // namespace nnplay
