#include "ops/activation.h"

#include <cstddef>
#include <cstring>

#include "core/check.h"
#include "kernels/activation_kernels.h"
#include "kernels/more_activation_kernels.h"
#include "kernels/vec.h"

namespace nnplay {

namespace {

// The activations from hardSigmoid on (ActivationKind order), called through this table rather
// than from the switches below. Why: Binaryen's inliner puts a function with one caller into its
// caller, so called directly their loops would sit in the switches, which every model runs, and
// so in the engine's first wasm module. Called through pointers they stay functions of their
// own, which the split moves to the second module (their rows' part is kExtra, nn/registry.cpp);
// the indirect call costs nothing next to a loop over a layer's outputs.
struct TableActivation {
  void (*forward)(float* out, const float* in, std::size_t n);
  // f' from the pre-activation input, or (from_output) from the forward result.
  void (*backward)(float* d_in, const float* d_out, const float* in_or_out, std::size_t n);
  bool from_output;
};

constexpr ActivationKind kFirstTableKind = ActivationKind::kHardSigmoid;
constexpr TableActivation kTableActivations[] = {
    {hard_sigmoid_forward, hard_sigmoid_backward, false},  // kHardSigmoid
    {softplus_forward, softplus_backward, false},          // kSoftplus
    {softsign_forward, softsign_backward, false},          // kSoftsign
    {selu_forward, selu_backward, false},                  // kSelu
    {relu6_forward, relu6_backward, false},                // kRelu6
    {swish_forward, swish_backward, false},                // kSwish
    {gelu_forward, gelu_backward, false},                  // kGelu
    {mish_forward, mish_backward, false},                  // kMish
    {exponential_forward, exponential_backward, true},     // kExponential
};
static_assert(sizeof(kTableActivations) / sizeof(kTableActivations[0]) ==
                  static_cast<std::size_t>(ActivationKind::kExponential) - static_cast<std::size_t>(kFirstTableKind) +
                      1,
              "one row per activation kind from kHardSigmoid on");

const TableActivation& table_activation(ActivationKind kind) {
  return kTableActivations[static_cast<std::size_t>(kind) - static_cast<std::size_t>(kFirstTableKind)];
}

}  // namespace

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
    default: table_activation(kind).forward(out, in, n); return;
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
    default: {
      const TableActivation& a = table_activation(kind);
      a.backward(d_in, d_out, a.from_output ? out : in, n);
      return;
    }
  }
}

}  // namespace nnplay
