// meanAbsoluteError loss, as TF.js: per sample the mean over its k outputs of |pred − y|, then
// the mean over the batch. Value = Σ |pred − y| / (n·k).
#pragma once

namespace nnplay {

// pred, y [n, k]. Returns the batch-mean loss (accumulated in double).
double mean_absolute_error_forward(const float* pred, const float* y, int n, int k);
// d_pred [n, k] += ∂loss/∂pred = sign(pred − y) / (n·k) (sign(0) = 0, as TF.js's abs gradient)
void mean_absolute_error_backward(float* d_pred, const float* pred, const float* y, int n, int k);

}  // namespace nnplay
