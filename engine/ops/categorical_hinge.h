// categoricalHinge loss (Keras 'categorical_hinge'), as TF.js: per sample
// max(0, 1 + neg − pos) with pos = Σ_j y_j·pred_j (the score of the true classes) and
// neg = max_j (1 − y_j)·pred_j (the best other score), for one-hot targets; mean over the batch.
#pragma once

namespace nnplay {

// pred, y [n, k]. Returns the batch-mean loss (accumulated in double).
double categorical_hinge_forward(const float* pred, const float* y, int n, int k);
// d_pred [n, k] += (−y_j + (1 − y_j)·[j holds neg]) / n for samples whose margin 1 + neg − pos > 0
// (0 at exactly 0, as TF.js's maximum). Every j that ties for neg gets it, as TF.js's max gradient.
void categorical_hinge_backward(float* d_pred, const float* pred, const float* y, int n, int k);

}  // namespace nnplay
