#include "nn/dropout_layer.h"

#include <cmath>
#include <cstring>

#include "core/cold.h"
#include "kernels/vec.h"
#include "ops/dropout.h"

namespace nnplay {

NNPLAY_COLD Shape dropout_output_shape(const std::vector<Shape>& inputs, const DropoutConfig& cfg) {
  NNPLAY_CHECK(inputs.size() == 1, "dropout takes exactly 1 input, got " << inputs.size());
  const Shape& in = inputs[0];
  NNPLAY_CHECK(std::isfinite(cfg.rate) && cfg.rate >= 0.0f && cfg.rate < 1.0f,
               "dropout: rate must be a number in [0, 1) (the fraction of values dropped), got " << cfg.rate);
  if (!cfg.noise_shape.empty()) {
    const Shape& ns = cfg.noise_shape;
    NNPLAY_CHECK(ns.size() == in.size() + 1, "dropout: noiseShape must have "
                                                 << (in.size() + 1)
                                                 << " entries (the batch, then one per axis of the "
                                                    "input "
                                                 << shape_to_string(in) << "), got " << shape_to_string(ns));
    NNPLAY_CHECK(ns[0] == -1 || ns[0] == 1, "dropout: noiseShape[0] (the batch) must be null or 1, got "
                                                << ns[0] << " in " << shape_to_string(ns));
    for (std::size_t d = 1; d < ns.size(); ++d) {
      const int want = in[d - 1];
      NNPLAY_CHECK(ns[d] == -1 || ns[d] == 1 || ns[d] == want,
                   "dropout: noiseShape[" << d << "] must be null, 1 or " << want << " (the input's size there), got "
                                          << ns[d] << " in " << shape_to_string(ns) << " for input "
                                          << shape_to_string(in));
    }
  }
  return in;
}

NNPLAY_COLD DropoutLayer::DropoutLayer(const Shape& input_shape, DropoutConfig cfg, const std::string& name)
    : Layer({input_shape}, dropout_output_shape({input_shape}, cfg)), name_(name), cfg_(std::move(cfg)) {}

void DropoutLayer::forward(const PassContext& ctx, const std::vector<const float*>& inputs, float* out) {
  NNPLAY_ASSERT(inputs.size() == 1 && ctx.n >= 0);
  const std::uint64_t count = static_cast<std::uint64_t>(ctx.n) * output_size();
  if (!drops(ctx)) {
    if (count) std::memmove(out, inputs[0], count * sizeof(float));
    return;
  }
  NNPLAY_ASSERT(ctx.rng != nullptr);
  Shape full{ctx.n};
  full.insert(full.end(), output_shape_.begin(), output_shape_.end());
  mask_.resize(count);

  Rng* rng = ctx.rng;
  Rng seeded(0);
  if (cfg_.seed) {
    const std::uint64_t hi = rng->next_u32(), lo = rng->next_u32();
    seeded = Rng((hi << 32) | lo, *cfg_.seed);
    rng = &seeded;
  }
  if (cfg_.noise_shape.empty()) {
    dropout_draw_mask(mask_.data(), count, cfg_.rate, *rng);
  } else {
    Shape noise = cfg_.noise_shape;
    for (std::size_t d = 0; d < noise.size(); ++d)
      if (noise[d] == -1) noise[d] = full[d];
    noise_.resize(shape_size64(noise));
    dropout_draw_mask(noise_.data(), noise_.size(), cfg_.rate, *rng);
    broadcast_to(mask_.data(), noise_.data(), full, noise);
  }
  dropout_forward(out, inputs[0], mask_.data(), count);
}

void DropoutLayer::backward(const PassContext& ctx, const std::vector<const float*>&, const float*, const float* d_out,
                            const std::vector<float*>& d_inputs) {
  NNPLAY_ASSERT(d_inputs.size() == 1);
  if (!d_inputs[0]) return;
  const std::uint64_t count = static_cast<std::uint64_t>(ctx.n) * output_size();
  if (!drops(ctx)) {
    vec_add(d_inputs[0], d_inputs[0], d_out, static_cast<std::size_t>(count));
    return;
  }
  NNPLAY_ASSERT(mask_.size() == count);
  dropout_backward(d_inputs[0], d_out, mask_.data(), count);
}

}  // namespace nnplay
