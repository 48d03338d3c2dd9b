// meanSquaredLogarithmicError loss (Keras 'msle'), as TF.js: per element
// (log(1 + max(pred, ε)) − log(1 + max(y, ε)))² (ε = 1e-7: both clipped below, so log stays
// finite for targets and predictions at or under zero), mean over the k outputs, then over the batch.
#pragma once

namespace nnplay {

// pred, y [n, k]. Returns the batch-mean loss (accumulated in double).
double mean_squared_logarithmic_error_forward(const float* pred, const float* y, int n, int k);
// d_pred [n, k] += ∂loss/∂pred = 2 (log(1 + pred) − log(1 + max(y, ε))) / ((1 + pred)·n·k) where
// pred ≥ ε; 0 below, where the clip holds pred (TF.js's clipByValue gradient)
void mean_squared_logarithmic_error_backward(float* d_pred, const float* pred, const float* y, int n, int k);

}  // namespace nnplay
