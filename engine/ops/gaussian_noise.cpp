#include "ops/gaussian_noise.h"

namespace nnplay {

void gaussian_noise_forward(float* out, float* noise, const float* in, std::uint64_t count, float stddev, Rng& rng) {
  for (std::uint64_t i = 0; i < count; ++i) {
    noise[i] = stddev * rng.normal();
    out[i] = in[i] + noise[i];
  }
}

void gaussian_noise_backward(float* d_in, const float* d_out, std::uint64_t count) {
  for (std::uint64_t i = 0; i < count; ++i) d_in[i] += d_out[i];
}

}  // namespace nnplay
