// Dense (fully connected) op: y = x · W + b on a batch, and its gradients.
//
// Shapes (row-major, see core/tensor.h): in [n, c_in], w [c_in, c_out] (Keras/TF.js layout),
// b [c_out], out [n, c_out]. The activation is a separate op (ops/activation.h).
#pragma once

namespace nnplay {

// out [n, c_out] = in [n, c_in] · w [c_in, c_out] + b [c_out]. b may be null (useBias false).
// out is overwritten.
void dense_forward(float* out, const float* in, const float* w, const float* b, int n, int c_in, int c_out);

// Given d_out [n, c_out] (gradient w.r.t. out), accumulates:
//   d_in [n, c_in]     += d_out · w^T
//   d_w  [c_in, c_out] += in^T · d_out
//   d_b  [c_out]       += Σ_rows d_out
// Any of d_in, d_w, d_b may be null to skip it (e.g. d_in of the first layer).
// overwrite_weight_grads: d_w and d_b are set (=) rather than added to, so a caller that owns
// them alone need not zero them first; d_in is still added to.
void dense_backward(float* d_in, float* d_w, float* d_b, const float* d_out, const float* in, const float* w, int n,
                    int c_in, int c_out, bool overwrite_weight_grads = false);

}  // namespace nnplay
