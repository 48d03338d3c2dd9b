// Activation kernels: element-wise forward and backward, scalar reference + xsimd.
//
// Forward: out[i] = f(in[i]). Backward: d_in[i] += d_out[i] * f'(·), where f' is computed
// from whichever of in/out is cheaper (documented per function). Backward accumulates.
// out may alias in (forward). Every xsimd version matches its _ref on lengths 1..3·W+1
// to a small relative tolerance (exp/tanh use xsimd's vector approximations).
#pragma once

#include <cstddef>

namespace nnplay {

void relu_forward_ref(float* out, const float* in, std::size_t n);
void relu_forward(float* out, const float* in, std::size_t n);
// f'(x) = x > 0 ? 1 : 0, from in
void relu_backward_ref(float* d_in, const float* d_out, const float* in, std::size_t n);
void relu_backward(float* d_in, const float* d_out, const float* in, std::size_t n);
// The same gradient written, not added: d_in[i] = 0 + d_out[i]·f'(in[i]), bit for bit what
// relu_backward leaves in a zeroed d_in (the 0 + turns a -0 into +0 as that add does).
void relu_backward_write_ref(float* d_in, const float* d_out, const float* in, std::size_t n);
void relu_backward_write(float* d_in, const float* d_out, const float* in, std::size_t n);

// f(x) = x > 0 ? x : alpha·x
void leaky_relu_forward_ref(float* out, const float* in, float alpha, std::size_t n);
void leaky_relu_forward(float* out, const float* in, float alpha, std::size_t n);
void leaky_relu_backward_ref(float* d_in, const float* d_out, const float* in, float alpha, std::size_t n);
void leaky_relu_backward(float* d_in, const float* d_out, const float* in, float alpha, std::size_t n);

// f(x) = x > 0 ? x : alpha·(exp(x) − 1); f'(x) = x > 0 ? 1 : out + alpha (from in and out)
void elu_forward_ref(float* out, const float* in, float alpha, std::size_t n);
void elu_forward(float* out, const float* in, float alpha, std::size_t n);
void elu_backward_ref(float* d_in, const float* d_out, const float* in, const float* out, float alpha, std::size_t n);
void elu_backward(float* d_in, const float* d_out, const float* in, const float* out, float alpha, std::size_t n);

// f(x) = 1 / (1 + exp(−x)), stable for large |x|; f' = out·(1 − out) (from out)
void sigmoid_forward_ref(float* out, const float* in, std::size_t n);
void sigmoid_forward(float* out, const float* in, std::size_t n);
void sigmoid_backward_ref(float* d_in, const float* d_out, const float* out, std::size_t n);
void sigmoid_backward(float* d_in, const float* d_out, const float* out, std::size_t n);

// f(x) = tanh(x); f' = 1 − out² (from out)
void tanh_forward_ref(float* out, const float* in, std::size_t n);
void tanh_forward(float* out, const float* in, std::size_t n);
void tanh_backward_ref(float* d_in, const float* d_out, const float* out, std::size_t n);
void tanh_backward(float* d_in, const float* d_out, const float* out, std::size_t n);

// f(x) = clamp(0.2·x + 0.5, 0, 1) (TF.js / Keras 2 hardSigmoid, the default recurrentActivation
// of TF.js's recurrent layers); f'(x) = 0.2 where 0.2·x + 0.5 lies in [0, 1], else 0 (from in,
// the boundaries included, as TF.js's clipByValue gradient)
void hard_sigmoid_forward_ref(float* out, const float* in, std::size_t n);
void hard_sigmoid_forward(float* out, const float* in, std::size_t n);
void hard_sigmoid_backward_ref(float* d_in, const float* d_out, const float* in, std::size_t n);
void hard_sigmoid_backward(float* d_in, const float* d_out, const float* in, std::size_t n);

// Softmax over each row of a [rows, cols] matrix, max-subtracted (stable).
// Backward: d_in[r,c] += out[r,c]·(d_out[r,c] − Σ_j d_out[r,j]·out[r,j]).
void softmax_forward_ref(float* out, const float* in, int rows, int cols);
void softmax_forward(float* out, const float* in, int rows, int cols);
void softmax_backward_ref(float* d_in, const float* d_out, const float* out, int rows, int cols);
void softmax_backward(float* d_in, const float* d_out, const float* out, int rows, int cols);

}  // namespace nnplay
