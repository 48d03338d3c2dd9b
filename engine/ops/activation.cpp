#include "ops/activation.h"

#include <cstddef>
#include <cstring>

#include "core/check.h"
#include "kernels/activation_kernels.h"
#include "kernels/more_activation_kernels.h"
#include "kernels/vec.h"

namespace nnplay {

void activation_forward(float* out, const float* in, ActivationKind kind, float alpha, int rows, int cols) {
  const std::size_t n = static_cast<std::size_t>(rows) * static_cast<std::size_t>(cols);
  switch (kind) {
    case ActivationKind::kLinear:
      if (out != in && n) std::memmove(out, in, n * sizeof(float));
      return;
    case ActivationKind::kRelu: relu_forward(out, in, n); return;
    case ActivationKind::kLeakyRelu: leaky_relu_forward(out, in, alpha, n); return;
    case ActivationKind::kElu: elu_forward(out, in, alpha, n); return;
    case ActivationKind::kSigmoid: sigmoid_forward(out, in, n); return;
    case ActivationKind::kTanh: tanh_forward(out, in, n); return;
    case ActivationKind::kSoftmax: softmax_forward(out, in, rows, cols); return;
    case ActivationKind::kHardSigmoid: hard_sigmoid_forward(out, in, n); return;
    case ActivationKind::kSoftplus: softplus_forward(out, in, n); return;
    case ActivationKind::kSoftsign: softsign_forward(out, in, n); return;
    case ActivationKind::kSelu: selu_forward(out, in, n); return;
    case ActivationKind::kRelu6: relu6_forward(out, in, n); return;
    case ActivationKind::kSwish: swish_forward(out, in, n); return;
    case ActivationKind::kGelu: gelu_forward(out, in, n); return;
    case ActivationKind::kMish: mish_forward(out, in, n); return;
    case ActivationKind::kExponential: exponential_forward(out, in, n); return;
  }
}

void activation_backward(float* d_in, const float* d_out, const float* in, const float* out, ActivationKind kind,
                         float alpha, int rows, int cols) {
  const std::size_t n = static_cast<std::size_t>(rows) * static_cast<std::size_t>(cols);
  switch (kind) {
    case ActivationKind::kLinear: vec_axpy(d_in, 1.0f, d_out, n); return;
    case ActivationKind::kRelu: relu_backward(d_in, d_out, in, n); return;
    case ActivationKind::kLeakyRelu: leaky_relu_backward(d_in, d_out, in, alpha, n); return;
    case ActivationKind::kElu: elu_backward(d_in, d_out, in, out, alpha, n); return;
    case ActivationKind::kSigmoid: sigmoid_backward(d_in, d_out, out, n); return;
    case ActivationKind::kTanh: tanh_backward(d_in, d_out, out, n); return;
    case ActivationKind::kSoftmax: softmax_backward(d_in, d_out, out, rows, cols); return;
    case ActivationKind::kHardSigmoid: hard_sigmoid_backward(d_in, d_out, in, n); return;
    case ActivationKind::kSoftplus: softplus_backward(d_in, d_out, in, n); return;
    case ActivationKind::kSoftsign: softsign_backward(d_in, d_out, in, n); return;
    case ActivationKind::kSelu: selu_backward(d_in, d_out, in, n); return;
    case ActivationKind::kRelu6: relu6_backward(d_in, d_out, in, n); return;
    case ActivationKind::kSwish: swish_backward(d_in, d_out, in, n); return;
    case ActivationKind::kGelu: gelu_backward(d_in, d_out, in, n); return;
    case ActivationKind::kMish: mish_backward(d_in, d_out, in, n); return;
    case ActivationKind::kExponential: exponential_backward(d_in, d_out, out, n); return;
  }
}

}  // namespace nnplay
