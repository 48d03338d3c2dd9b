// sparseCategoricalCrossentropy loss: categoricalCrossentropy with y given as class indices
// (TF.js one-hot encodes them first). labels [n] hold integers 0..k−1 stored as float; the
// caller (Trainer) has checked the range.
#pragma once

namespace nnplay {

// pred [n, k], labels [n]. Returns the batch-mean loss.
double sparse_categorical_crossentropy_forward(const float* pred, const float* labels, int n, int k);

// d_pred [n, k] += ∂loss/∂pred through the row normalisation and the clip.
void sparse_categorical_crossentropy_backward(float* d_pred, const float* pred, const float* labels, int n, int k);

// Fused with softmax: d_logits [n, k] += (p − onehot(label)) / n.
void sparse_categorical_crossentropy_softmax_backward(float* d_logits, const float* pred, const float* labels, int n,
                                                      int k);

}  // namespace nnplay
