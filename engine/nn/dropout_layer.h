// Dropout layer (Keras / TF.js `dropout`): inverted dropout in training, the identity at
// inference (ctx.training false) and when rate is 0. No weights.
//
// noiseShape, as Keras, is the mask's full shape including the batch: [batch, d1, …, dk] with
// each entry -1 (JSON null: the input's size there), 1 (one mask value shared along that axis)
// or the input's size. The batch entry is -1 or 1, since the batch size is not known when the
// layer is built. E.g. for an input [timesteps, features], [-1, 1, -1] drops the same features
// at every time step.
//
// Randomness comes only from ctx.rng (the pass's stream, seeded from the model seed and step).
// With a seed, the mask comes from a generator keyed by both (two 32-bit draws of ctx.rng as the
// state, the seed as the PCG stream): the same seed and step give the same mask, different seeds
// different masks, and the model's stream advances the same with or without a seed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "nn/layer.h"
#include "nn/variable_info.h"

namespace nnplay {

struct DropoutConfig {
  float rate = 0.0f;                  // in [0, 1)
  std::vector<int> noise_shape;       // empty: the input's shape; else rank + 1 entries (see above)
  std::optional<std::uint64_t> seed;  // none: the mask is drawn from ctx.rng directly
};

// Output = input. Throws Error for a rate outside [0, 1) or a noiseShape that does not fit.
Shape dropout_output_shape(const std::vector<Shape>& inputs, const DropoutConfig& cfg);
inline std::vector<VariableInfo> dropout_variables(const std::vector<Shape>&, const DropoutConfig&) { return {}; }

class DropoutLayer : public Layer {
 public:
  DropoutLayer(const Shape& input_shape, DropoutConfig cfg, const std::string& name);

  const std::string& name() const { return name_; }
  const DropoutConfig& config() const { return cfg_; }

  void forward(const PassContext& ctx, const std::vector<const float*>& inputs, float* out) override;
  void backward(const PassContext& ctx, const std::vector<const float*>& inputs, const float* out, const float* d_out,
                const std::vector<float*>& d_inputs) override;
  // The expanded mask, in training.
  std::uint64_t workspace_floats_per_sample() const override { return output_size(); }

  // The mask of the last training forward, expanded to [n, input shape] (scaled: 0 or 1/(1−rate)).
  const std::vector<float>& mask() const { return mask_; }

 private:
  bool drops(const PassContext& ctx) const { return ctx.training && cfg_.rate > 0.0f; }

  std::string name_;
  DropoutConfig cfg_;
  std::vector<float> mask_;   // [n, input shape]
  std::vector<float> noise_;  // [noise shape with the batch resolved]
};

}  // namespace nnplay
