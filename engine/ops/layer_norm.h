// layerNormalization (Keras / TF.js) over the last axis: each row of c values normalised by its
// own mean and (population) variance, then scaled by gamma and shifted by beta per channel.
#pragma once

#include <cstdint>

namespace nnplay {

// in [rows, c] → out [rows, c] = gamma · (in − mean) / sqrt(var + eps) + beta, row statistics in
// double. xhat [rows, c] and inv_std [rows] keep what backward needs. gamma / beta may be null
// (scale / center off: 1 / 0). Overwrites out, xhat and inv_std.
void layer_norm_forward(float* out, float* xhat, float* inv_std, const float* in, const float* gamma, const float* beta,
                        std::int64_t rows, int c, float eps);

// d_in [rows, c] += ∂L/∂in (through the row statistics), d_gamma [c] += Σ_rows d_out · xhat,
// d_beta [c] += Σ_rows d_out; null pointers are skipped. Accumulates.
void layer_norm_backward(float* d_in, float* d_gamma, float* d_beta, const float* d_out, const float* xhat,
                         const float* inv_std, const float* gamma, std::int64_t rows, int c);

}  // namespace nnplay
