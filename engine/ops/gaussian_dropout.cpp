#include "ops/gaussian_dropout.h"

#include <cmath>

namespace nnplay {

void gaussian_dropout_forward(float* out, float* mask, const float* in, std::uint64_t count, float rate, Rng& rng) {
  const float stddev = std::sqrt(rate / (1.0f - rate));
  for (std::uint64_t i = 0; i < count; ++i) {
    mask[i] = 1.0f + stddev * rng.normal();
    out[i] = in[i] * mask[i];
  }
}

void gaussian_dropout_backward(float* d_in, const float* d_out, const float* mask, std::uint64_t count) {
  for (std::uint64_t i = 0; i < count; ++i) d_in[i] += d_out[i] * mask[i];
}

}  // namespace nnplay
