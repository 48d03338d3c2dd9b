// squaredHinge loss, as TF.js: per element max(0, 1 − y·pred)² (targets ±1), mean over the k
// outputs, then over the batch.
#pragma once

namespace nnplay {

// pred, y [n, k]. Returns the batch-mean loss (accumulated in double).
double squared_hinge_forward(const float* pred, const float* y, int n, int k);
// d_pred [n, k] += ∂loss/∂pred = −2·y·max(0, 1 − y·pred) / (n·k)
void squared_hinge_backward(float* d_pred, const float* pred, const float* y, int n, int k);

}  // namespace nnplay
