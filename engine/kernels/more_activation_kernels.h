// The activations TF.js / Keras users name beyond the basic ones (softplus, softsign, selu,
// relu6, swish, gelu, mish, exponential): element-wise forward and backward, TF.js 4.22's
// definitions. Backward accumulates: d_in[i] += d_out[i] * f'(·), f' from in (pre-activation) or
// out, as noted per function.
//
// relu6 and softsign are vectorised (xsimd) and match their _ref exactly on every length. The
// others are scalar only: they are built from exp, log1p, tanh and erf, and the point of these
// kernels is to agree with TF.js's math to float precision, which the C library's functions do
// and xsimd's approximations (a few ulp away, and no erf) would not improve on enough to matter
// next to the matrix products around them.
#pragma once

#include <cstddef>

namespace nnplay {

// f(x) = min(max(x, 0), 6); f'(x) = 1 for 0 < x < 6, else 0 (TF.js: minimum(6, relu(x))), from in
void relu6_forward_ref(float* out, const float* in, std::size_t n);
void relu6_forward(float* out, const float* in, std::size_t n);
void relu6_backward_ref(float* d_in, const float* d_out, const float* in, std::size_t n);
void relu6_backward(float* d_in, const float* d_out, const float* in, std::size_t n);

// f(x) = x / (1 + |x|); f'(x) = 1 / (1 + |x|)², from in
void softsign_forward_ref(float* out, const float* in, std::size_t n);
void softsign_forward(float* out, const float* in, std::size_t n);
void softsign_backward_ref(float* d_in, const float* d_out, const float* in, std::size_t n);
void softsign_backward(float* d_in, const float* d_out, const float* in, std::size_t n);

// f(x) = log(1 + exp(x)), as max(x, 0) + log1p(exp(−|x|)) (no overflow); f'(x) = sigmoid(x), from in
void softplus_forward(float* out, const float* in, std::size_t n);
void softplus_backward(float* d_in, const float* d_out, const float* in, std::size_t n);

// f(x) = s·x for x > 0, else s·a·(exp(x) − 1), s = 1.0507009873554805, a = 1.6732632423543772
// (TF.js selu); f'(x) = s for x > 0, else s·a·exp(x), from in
void selu_forward(float* out, const float* in, std::size_t n);
void selu_backward(float* d_in, const float* d_out, const float* in, std::size_t n);

// f(x) = x·sigmoid(x) (TF.js swish, alpha 1); f'(x) = σ + x·σ·(1 − σ), from in
void swish_forward(float* out, const float* in, std::size_t n);
void swish_backward(float* d_in, const float* d_out, const float* in, std::size_t n);

// f(x) = x·Φ(x) = x·(1 + erf(x/√2))/2 (TF.js 4.22 'gelu' is this exact erf form, not the tanh
// approximation, which TF.js calls 'gelu_new'); f'(x) = Φ(x) + x·φ(x), from in
void gelu_forward(float* out, const float* in, std::size_t n);
void gelu_backward(float* d_in, const float* d_out, const float* in, std::size_t n);

// f(x) = x·tanh(softplus(x)); f'(x) = t + x·(1 − t²)·sigmoid(x), t = tanh(softplus(x)), from in
void mish_forward(float* out, const float* in, std::size_t n);
void mish_backward(float* d_in, const float* d_out, const float* in, std::size_t n);

// f(x) = exp(x) (Keras 'exponential'); f' = out
void exponential_forward(float* out, const float* in, std::size_t n);
void exponential_backward(float* d_in, const float* d_out, const float* out, std::size_t n);

}  // namespace nnplay
