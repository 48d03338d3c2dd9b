// hinge loss, as TF.js: per element max(0, 1 − y·pred) (targets ±1), mean over the k outputs,
// then over the batch.
#pragma once

namespace nnplay {

// pred, y [n, k]. Returns the batch-mean loss (accumulated in double).
double hinge_forward(const float* pred, const float* y, int n, int k);
// d_pred [n, k] += ∂loss/∂pred = −y / (n·k) where 1 − y·pred > 0, else 0 (TF.js's maximum gradient)
void hinge_backward(float* d_pred, const float* pred, const float* y, int n, int k);

}  // namespace nnplay
