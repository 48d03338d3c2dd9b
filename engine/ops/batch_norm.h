// Batch normalization op over channels-last data, seen as [rows, c] (rows = n · every axis but
// the last): y = gamma · (x − mean) / sqrt(var + eps) + beta, per channel.
//
// Training normalises with the batch's own statistics (population variance, as tf.moments) and
// its gradient flows through them; inference uses fixed (moving) statistics, so its gradient is
// the affine one. gamma and beta may be null (scale / center false): then 1 and 0.
//
// x̂ is recomputed in backward from x, mean and inv_std instead of being cached: it costs one
// multiply per value and saves a buffer the size of the input.
#pragma once

#include <cstdint>

namespace nnplay {

// mean [c], var [c] = per-channel mean and population variance of x [rows, c] (accumulated in
// double, two passes). rows >= 1.
void batch_norm_statistics(float* mean, float* var, const float* x, std::int64_t rows, int c);

// inv_std [c] = 1 / sqrt(var + eps).
void batch_norm_inv_std(float* inv_std, const float* var, float eps, int c);

// out [rows, c] = gamma · (x − mean) · inv_std + beta. Overwrites out.
void batch_norm_forward(float* out, const float* x, const float* mean, const float* inv_std, const float* gamma,
                        const float* beta, std::int64_t rows, int c);

// Training (batch statistics of this x): with g = d_out · gamma and x̂ = (x − mean) · inv_std,
//   d_x += inv_std · (g − mean_rows(g) − x̂ · mean_rows(g · x̂))
//   d_gamma += Σ_rows d_out · x̂,  d_beta += Σ_rows d_out.
// Each of d_x, d_gamma, d_beta may be null (not wanted). Accumulates.
void batch_norm_backward_training(float* d_x, float* d_gamma, float* d_beta, const float* d_out, const float* x,
                                  const float* mean, const float* inv_std, const float* gamma, std::int64_t rows,
                                  int c);

// Inference (fixed statistics): d_x += d_out · gamma · inv_std; d_gamma, d_beta as in training.
void batch_norm_backward_inference(float* d_x, float* d_gamma, float* d_beta, const float* d_out, const float* x,
                                   const float* mean, const float* inv_std, const float* gamma, std::int64_t rows,
                                   int c);

// moving [c] ← moving − (moving − batch) · (1 − momentum), TF.js's order of operations
// (= moving · momentum + batch · (1 − momentum)).
void moving_average_update(float* moving, const float* batch, float momentum, int c);

}  // namespace nnplay
