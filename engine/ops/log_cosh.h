// logCosh loss (TF.js's 'logcosh'): per element log(cosh(pred − y)), mean over the k outputs,
// then over the batch. TF.js writes it x + softplus(−2x) − log 2; the same value, computed here in
// double as |x| + log1p(exp(−2|x|)) − log 2, which neither overflows nor cancels.
#pragma once

namespace nnplay {

// pred, y [n, k]. Returns the batch-mean loss (accumulated in double).
double log_cosh_forward(const float* pred, const float* y, int n, int k);
// d_pred [n, k] += ∂loss/∂pred = tanh(pred − y) / (n·k)
void log_cosh_backward(float* d_pred, const float* pred, const float* y, int n, int k);

}  // namespace nnplay
