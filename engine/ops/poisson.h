// poisson loss, as TF.js: per element pred − y·log(pred + ε) (ε = 1e-7), mean over the k outputs,
// then over the batch. The predictions should be rates (> 0: an exponential or softplus output).
#pragma once

namespace nnplay {

// pred, y [n, k]. Returns the batch-mean loss (accumulated in double).
double poisson_forward(const float* pred, const float* y, int n, int k);
// d_pred [n, k] += ∂loss/∂pred = (1 − y / (pred + ε)) / (n·k)
void poisson_backward(float* d_pred, const float* pred, const float* y, int n, int k);

}  // namespace nnplay
