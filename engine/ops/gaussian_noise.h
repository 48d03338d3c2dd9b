// gaussianNoise (Keras / TF.js): out = in + ε, ε ~ N(0, stddev²) drawn per element in training.
#pragma once

#include <cstdint>

#include "core/rng.h"

namespace nnplay {

// noise [count] = stddev·N(0, 1) from rng; out [count] = in + noise. Overwrites noise and out.
void gaussian_noise_forward(float* out, float* noise, const float* in, std::uint64_t count, float stddev, Rng& rng);

// d_in [count] += d_out (the noise does not depend on the input). Accumulates.
void gaussian_noise_backward(float* d_in, const float* d_out, std::uint64_t count);

}  // namespace nnplay
