// huberLoss, as TF.js's tf.losses.huberLoss with unit weights: with e = |pred − y|,
// q = min(e, δ), per element ½q² + δ·(e − q) (quadratic within δ, linear beyond), mean over all
// n·k elements (Keras's huber: the same mean).
#pragma once

namespace nnplay {

// pred, y [n, k]. Returns the batch-mean loss (accumulated in double).
double huber_loss_forward(const float* pred, const float* y, int n, int k, float delta);
// d_pred [n, k] += ∂loss/∂pred = (pred − y) where e ≤ δ, δ·sign(pred − y) beyond, over n·k
void huber_loss_backward(float* d_pred, const float* pred, const float* y, int n, int k, float delta);

}  // namespace nnplay
