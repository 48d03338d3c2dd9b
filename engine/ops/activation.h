// Activation op: dispatches a layer activation by kind to the element-wise kernels
// (kernels/activation_kernels.h). Softmax works per row of [rows, cols]; the rest element-wise.
#pragma once

#include <string>

namespace nnplay {

enum class ActivationKind {
  kLinear,
  kRelu,
  kLeakyRelu,
  kElu,
  kSigmoid,
  kTanh,
  kSoftmax,
  kHardSigmoid,
  kSoftplus,
  kSoftsign,
  kSelu,
  kRelu6,
  kSwish,
  kGelu,
  kMish,
  kExponential,
};

// Names, aliases and default alphas (TF.js: leakyRelu 0.3, elu 1.0) are in the activation
// table, nn/registry.h.

// out [rows, cols] = f(in [rows, cols]). out may alias in.
void activation_forward(float* out, const float* in, ActivationKind kind, float alpha, int rows, int cols);

// d_in [rows, cols] += d_out ⊙ f'(·), with f' taken from in (pre-activation) or out (the
// forward result), whichever the kind needs; both must be the forward pass's buffers.
void activation_backward(float* d_in, const float* d_out, const float* in, const float* out, ActivationKind kind,
                         float alpha, int rows, int cols);

}  // namespace nnplay
