// gaussianDropout (Keras / TF.js): out = in · m, m ~ N(1, rate / (1 − rate)) drawn per element in
// training (multiplicative noise with the mean and variance of an inverted dropout of that rate).
#pragma once

#include <cstdint>

#include "core/rng.h"

namespace nnplay {

// mask [count] = 1 + sqrt(rate / (1 − rate))·N(0, 1) from rng; out [count] = in · mask.
// 0 < rate < 1. Overwrites mask and out.
void gaussian_dropout_forward(float* out, float* mask, const float* in, std::uint64_t count, float rate, Rng& rng);

// d_in [count] += d_out · mask. Accumulates.
void gaussian_dropout_backward(float* d_in, const float* d_out, const float* mask, std::uint64_t count);

}  // namespace nnplay
