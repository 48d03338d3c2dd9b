// cosineProximity loss, as TF.js: per sample −Σ_c ŷ_c·p̂_c with x̂ = x / sqrt(max(Σ x², ε))
// (ε = 1e-7), then the mean over the batch: −1 for predictions pointing the targets' way.
#pragma once

namespace nnplay {

// pred, y [n, k]. Returns the batch-mean loss (accumulated in double).
double cosine_proximity_forward(const float* pred, const float* y, int n, int k);
// d_pred [n, k] += ∂loss/∂pred (through both normalisations; a row with Σ pred² < ε is scaled by the constant
// 1/sqrt(ε))
void cosine_proximity_backward(float* d_pred, const float* pred, const float* y, int n, int k);

}  // namespace nnplay
