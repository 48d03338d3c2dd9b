// Global max pooling (Keras / TF.js globalMaxPooling2d and globalMaxPooling1d): per sample and
// channel, the largest value over all positions (the pixels of an image, the steps of a sequence).
#pragma once

namespace nnplay {

// in [n, positions, c] → out [n, c]. positions >= 1. Overwrites out.
void global_max_pool_forward(float* out, const float* in, int n, int positions, int c);

// d_in [n, positions, c] += d_out at every position holding its channel's maximum (all of them
// on a tie, as TF.js's tf.max gradient sends it), nothing elsewhere. Accumulates.
void global_max_pool_backward(float* d_in, const float* in, const float* out, const float* d_out, int n, int positions,
                              int c);

}  // namespace nnplay
