// kullbackLeiblerDivergence loss, as TF.js: per sample Σ_c y_c·log(clip(y_c) / clip(p_c)), each
// clipped to [ε, 1] (ε = 1e-7), then the mean over the batch (a sum over the k outputs, not a mean).
#pragma once

namespace nnplay {

// pred, y [n, k]. Returns the batch-mean loss (accumulated in double).
double kullback_leibler_divergence_forward(const float* pred, const float* y, int n, int k);
// d_pred [n, k] += ∂loss/∂pred = −y / (p·n) where ε ≤ p ≤ 1, 0 where the clip is active
void kullback_leibler_divergence_backward(float* d_pred, const float* pred, const float* y, int n, int k);

}  // namespace nnplay
