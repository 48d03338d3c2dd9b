// Driving a Layer v2 (nn/layer.h) without the graph: inputs held as vectors, the output
// buffer allocated here, a PassContext with an Rng re-seeded on every forward (so a dropout mask
// is the same in every evaluation of a finite difference), and a finite-difference check of the
// gradient with respect to every input and every trainable variable.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "core/rng.h"
#include "nn/layer.h"
#include "test_util.h"

namespace nnplay::test {

struct LayerDriver {
  Layer& layer;
  int n;
  bool training;
  std::uint64_t rng_seed = 99;
  std::vector<std::vector<float>> inputs;
  std::vector<float> out;
  Rng rng{0};

  PassContext context() { return PassContext{training, &rng, n}; }

  std::vector<const float*> input_ptrs() const {
    std::vector<const float*> p;
    for (const auto& v : inputs) p.push_back(v.data());
    return p;
  }

  const std::vector<float>& forward() {
    out.assign(static_cast<std::size_t>(n) * layer.output_size(), -7.0f);  // out is written, not accumulated
    rng = Rng(rng_seed);
    PassContext ctx = context();
    layer.forward(ctx, input_ptrs(), out.data());
    return out;
  }

  // Backward of the last forward with d_out; returns d_inputs (each started at `start` and
  // with `start` taken off again, so a missing "+=" shows).
  std::vector<std::vector<float>> backward(const std::vector<float>& d_out, float start = 0.5f) {
    std::vector<std::vector<float>> d(inputs.size());
    std::vector<float*> dp;
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      d[i].assign(inputs[i].size(), start);
      dp.push_back(d[i].data());
    }
    PassContext ctx = context();
    layer.backward(ctx, input_ptrs(), out.data(), d_out.data(), dp);
    for (auto& v : d)
      for (float& x : v) x -= start;
    return d;
  }
};

// Every input and every trainable variable of `layer` against central differences of
// L = Σ r·out + the layer's added loss, r a fixed random projection.
inline void check_layer_gradients(const std::string& what, LayerDriver& drv, double h, double rtol, double atol) {
  drv.forward();
  const std::vector<float> r = random_vector(drv.out.size(), 4242, -1.0f, 1.0f);
  for (Variable& v : drv.layer.variables())
    if (v.trainable) {
      ASSERT_TRUE(v.grad) << what << ": trainable " << v.name << " has no grad";
      for (std::size_t i = 0; i < v.grad->size(); ++i) (*v.grad)[i] = 0.25f;
    }
  const std::vector<std::vector<float>> d_in = drv.backward(r);
  auto f = [&]() {
    drv.forward();
    return project(drv.out.data(), r) + drv.layer.added_loss();  // a layer loss (KL) is part of L
  };
  for (std::size_t i = 0; i < drv.inputs.size(); ++i) {
    const std::vector<double> num = numeric_gradient(drv.inputs[i].data(), drv.inputs[i].size(), h, f);
    EXPECT_TRUE(gradients_match(d_in[i].data(), num, rtol, atol)) << what << ": input " << i;
  }
  for (Variable& v : drv.layer.variables()) {
    if (!v.trainable) continue;
    std::vector<float> analytic(v.grad->data(), v.grad->data() + v.grad->size());
    for (float& x : analytic) x -= 0.25f;
    const std::vector<double> num = numeric_gradient(v.value->data(), v.value->size(), h, f);
    EXPECT_TRUE(gradients_match(analytic.data(), num, rtol, atol)) << what << ": variable " << v.name;
  }
}

}  // namespace nnplay::test
