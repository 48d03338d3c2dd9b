// Inverted dropout op (TF.js tf.dropout / Keras Dropout): in training each value is kept with
// probability 1 − rate and scaled by 1 / (1 − rate), so the expected output equals the input and
// inference is the identity (the layer skips the op then).
//
// The mask is drawn at the noise shape ([nb, d1', …, dk'], each dim either the input's or 1) and
// expanded to the input's [n, d1, …, dk], so one drawn value serves every position it broadcasts
// over. Keep rule as TF.js: keep when u >= rate for u uniform in [0, 1)
// (TF.js: floor(u + keepProb) = 1).
#pragma once

#include <cstdint>

#include "core/rng.h"
#include "core/tensor.h"

namespace nnplay {

// mask [count] = 1 / (1 − rate) where u >= rate, else 0; u drawn from rng in index order.
// rate in [0, 1).
void dropout_draw_mask(float* mask, std::uint64_t count, float rate, Rng& rng);

// full [full_shape] = small [small_shape] broadcast: small_shape has full_shape's rank and each
// dim equals full's or 1. Overwrites full.
void broadcast_to(float* full, const float* small, const Shape& full_shape, const Shape& small_shape);

// out [count] = in ⊙ mask (mask already expanded to the input's shape).
void dropout_forward(float* out, const float* in, const float* mask, std::uint64_t count);

// d_in [count] += d_out ⊙ mask. Accumulates.
void dropout_backward(float* d_in, const float* d_out, const float* mask, std::uint64_t count);

}  // namespace nnplay
