#include "nn/gaussian_noise_layers.h"

#include <cmath>
#include <cstring>

#include "core/check.h"
#include "core/cold.h"
#include "ops/gaussian_dropout.h"
#include "ops/gaussian_noise.h"

namespace nnplay {

NNPLAY_COLD Shape gaussian_noise_output_shape(const std::vector<Shape>& inputs, GaussianNoiseKind kind, float amount,
                                              const std::string& where) {
  NNPLAY_CHECK(inputs.size() == 1, where << " takes exactly 1 input, got " << inputs.size());
  if (kind == GaussianNoiseKind::kAdditive)
    NNPLAY_CHECK(std::isfinite(amount) && amount >= 0.0f,
                 where << ": stddev must be a finite number >= 0 (the noise's standard deviation), got " << amount);
  else
    NNPLAY_CHECK(std::isfinite(amount) && amount >= 0.0f && amount < 1.0f,
                 where << ": rate must be a number in [0, 1) (as dropout's), got " << amount);
  return inputs[0];
}

NNPLAY_COLD GaussianNoiseLayer::GaussianNoiseLayer(const Shape& input_shape, GaussianNoiseKind kind, float amount)
    : Layer({input_shape}, input_shape), kind_(kind), amount_(amount) {}

void GaussianNoiseLayer::forward(const PassContext& ctx, const std::vector<const float*>& inputs, float* out) {
  NNPLAY_ASSERT(inputs.size() == 1 && ctx.n >= 0);
  const std::uint64_t count = static_cast<std::uint64_t>(ctx.n) * output_size();
  if (!perturbs(ctx)) {
    if (count) std::memmove(out, inputs[0], count * sizeof(float));
    return;
  }
  NNPLAY_ASSERT(ctx.rng != nullptr);
  noise_.resize(count);
  if (kind_ == GaussianNoiseKind::kAdditive)
    gaussian_noise_forward(out, noise_.data(), inputs[0], count, amount_, *ctx.rng);
  else
    gaussian_dropout_forward(out, noise_.data(), inputs[0], count, amount_, *ctx.rng);
}

void GaussianNoiseLayer::backward(const PassContext& ctx, const std::vector<const float*>&, const float*,
                                  const float* d_out, const std::vector<float*>& d_inputs) {
  NNPLAY_ASSERT(d_inputs.size() == 1);
  if (!d_inputs[0]) return;
  const std::uint64_t count = static_cast<std::uint64_t>(ctx.n) * output_size();
  if (kind_ == GaussianNoiseKind::kMultiplicative && perturbs(ctx))
    gaussian_dropout_backward(d_inputs[0], d_out, noise_.data(), count);
  else
    gaussian_noise_backward(d_inputs[0], d_out, count);
}

}  // namespace nnplay
