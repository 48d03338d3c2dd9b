// meanAbsolutePercentageError loss, as TF.js: 100 · mean of |(y − pred) / max(|y|, ε)| (ε = 1e-7,
// so a zero target does not divide by zero), per sample over its k outputs, then over the batch.
#pragma once

namespace nnplay {

// pred, y [n, k]. Returns the batch-mean loss (accumulated in double).
double mean_absolute_percentage_error_forward(const float* pred, const float* y, int n, int k);
// d_pred [n, k] += ∂loss/∂pred = 100 · sign(pred − y) / (max(|y|, ε)·n·k)
void mean_absolute_percentage_error_backward(float* d_pred, const float* pred, const float* y, int n, int k);

}  // namespace nnplay
