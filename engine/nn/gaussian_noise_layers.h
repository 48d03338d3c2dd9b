// gaussianNoise and gaussianDropout (Keras / TF.js): regularizers that perturb their input in
// training only (additive N(0, stddev²) noise; multiplicative N(1, rate / (1 − rate)) noise) and
// pass it through unchanged in inference, as dropout does. No weights. The noise comes from the
// pass's random stream (the model seed and the step), so a run repeats bit for bit. In
// nnplay-extra.wasm.
#pragma once

#include <string>
#include <vector>

#include "nn/layer.h"

namespace nnplay {

enum class GaussianNoiseKind { kAdditive, kMultiplicative };

// The input's shape. Throws Error starting with `where` for another number of inputs, or a
// stddev < 0 / a rate outside [0, 1).
Shape gaussian_noise_output_shape(const std::vector<Shape>& inputs, GaussianNoiseKind kind, float amount,
                                  const std::string& where);

class GaussianNoiseLayer : public Layer {
 public:
  // amount: stddev (additive) or rate (multiplicative).
  GaussianNoiseLayer(const Shape& input_shape, GaussianNoiseKind kind, float amount);

  void forward(const PassContext& ctx, const std::vector<const float*>& inputs, float* out) override;
  void backward(const PassContext& ctx, const std::vector<const float*>& inputs, const float* out, const float* d_out,
                const std::vector<float*>& d_inputs) override;

 private:
  bool perturbs(const PassContext& ctx) const { return ctx.training && amount_ > 0.0f; }
  GaussianNoiseKind kind_;
  float amount_;
  std::vector<float> noise_;  // the last training pass's noise (additive) or mask (multiplicative)
};

}  // namespace nnplay
