// Activation kernels: for each function, forward and backward, scalar reference next to the
// xsimd version.
//
// As in vec.cpp, the xsimd versions run whole batches and give the n % W tail to the
// reference. Piecewise functions use select() on the same comparison as the reference, so
// NaN goes the same way in both (x > 0 is false for NaN). exp/expm1/tanh use xsimd's vector
// approximations, a few ulp from the C library's, hence "match to a small tolerance".
#include "kernels/activation_kernels.h"

#include <cmath>

#include "core/check.h"
#include "kernels/vec.h"

#ifndef NNPLAY_NO_SIMD
#include "kernels/simd.h"
#endif

namespace nnplay {

#ifndef NNPLAY_NO_SIMD
using simd::Batch;
using simd::kW;
using simd::load;
using simd::vector_end;
#endif

// ================================ relu ================================
void relu_forward_ref(float* out, const float* in, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) out[i] = in[i] > 0.0f ? in[i] : 0.0f;
}
void relu_backward_ref(float* d_in, const float* d_out, const float* in, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) d_in[i] += in[i] > 0.0f ? d_out[i] : 0.0f;
}
void relu_backward_write_ref(float* d_in, const float* d_out, const float* in, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) d_in[i] = 0.0f + (in[i] > 0.0f ? d_out[i] : 0.0f);
}
#ifdef NNPLAY_NO_SIMD
void relu_forward(float* out, const float* in, std::size_t n) { relu_forward_ref(out, in, n); }
void relu_backward(float* d_in, const float* d_out, const float* in, std::size_t n) {
  relu_backward_ref(d_in, d_out, in, n);
}
void relu_backward_write(float* d_in, const float* d_out, const float* in, std::size_t n) {
  relu_backward_write_ref(d_in, d_out, in, n);
}
#else
void relu_forward(float* out, const float* in, std::size_t n) {
  const std::size_t end = vector_end(n);
  const Batch zero(0.0f);
  for (std::size_t i = 0; i < end; i += kW) {
    const Batch x = load(in + i);
    xsimd::select(x > zero, x, zero).store_unaligned(out + i);
  }
  relu_forward_ref(out + end, in + end, n - end);
}
void relu_backward(float* d_in, const float* d_out, const float* in, std::size_t n) {
  const std::size_t end = vector_end(n);
  const Batch zero(0.0f);
  for (std::size_t i = 0; i < end; i += kW) {
    const Batch g = xsimd::select(load(in + i) > zero, load(d_out + i), zero);
    (load(d_in + i) + g).store_unaligned(d_in + i);
  }
  relu_backward_ref(d_in + end, d_out + end, in + end, n - end);
}
void relu_backward_write(float* d_in, const float* d_out, const float* in, std::size_t n) {
  const std::size_t end = vector_end(n);
  const Batch zero(0.0f);
  for (std::size_t i = 0; i < end; i += kW)
    (zero + xsimd::select(load(in + i) > zero, load(d_out + i), zero)).store_unaligned(d_in + i);
  relu_backward_write_ref(d_in + end, d_out + end, in + end, n - end);
}
#endif

// ============================= leaky relu =============================
void leaky_relu_forward_ref(float* out, const float* in, float alpha, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) out[i] = in[i] > 0.0f ? in[i] : alpha * in[i];
}
void leaky_relu_backward_ref(float* d_in, const float* d_out, const float* in, float alpha, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) d_in[i] += in[i] > 0.0f ? d_out[i] : alpha * d_out[i];
}
#ifdef NNPLAY_NO_SIMD
void leaky_relu_forward(float* out, const float* in, float alpha, std::size_t n) {
  leaky_relu_forward_ref(out, in, alpha, n);
}
void leaky_relu_backward(float* d_in, const float* d_out, const float* in, float alpha, std::size_t n) {
  leaky_relu_backward_ref(d_in, d_out, in, alpha, n);
}
#else
void leaky_relu_forward(float* out, const float* in, float alpha, std::size_t n) {
  const std::size_t end = vector_end(n);
  const Batch zero(0.0f), va(alpha);
  for (std::size_t i = 0; i < end; i += kW) {
    const Batch x = load(in + i);
    xsimd::select(x > zero, x, va * x).store_unaligned(out + i);
  }
  leaky_relu_forward_ref(out + end, in + end, alpha, n - end);
}
void leaky_relu_backward(float* d_in, const float* d_out, const float* in, float alpha, std::size_t n) {
  const std::size_t end = vector_end(n);
  const Batch zero(0.0f), va(alpha);
  for (std::size_t i = 0; i < end; i += kW) {
    const Batch g = load(d_out + i);
    (load(d_in + i) + xsimd::select(load(in + i) > zero, g, va * g)).store_unaligned(d_in + i);
  }
  leaky_relu_backward_ref(d_in + end, d_out + end, in + end, alpha, n - end);
}
#endif

// ================================ elu =================================
// expm1, not exp(x) - 1: near 0 the subtraction would cancel most of the digits.
void elu_forward_ref(float* out, const float* in, float alpha, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) out[i] = in[i] > 0.0f ? in[i] : alpha * std::expm1(in[i]);
}
// f'(x) = 1 for x > 0, else alpha·exp(x) = out + alpha (out = alpha·(exp(x) − 1)).
void elu_backward_ref(float* d_in, const float* d_out, const float* in, const float* out, float alpha, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) d_in[i] += in[i] > 0.0f ? d_out[i] : d_out[i] * (out[i] + alpha);
}
#ifdef NNPLAY_NO_SIMD
void elu_forward(float* out, const float* in, float alpha, std::size_t n) { elu_forward_ref(out, in, alpha, n); }
void elu_backward(float* d_in, const float* d_out, const float* in, const float* out, float alpha, std::size_t n) {
  elu_backward_ref(d_in, d_out, in, out, alpha, n);
}
#else
void elu_forward(float* out, const float* in, float alpha, std::size_t n) {
  const std::size_t end = vector_end(n);
  const Batch zero(0.0f), va(alpha);
  for (std::size_t i = 0; i < end; i += kW) {
    const Batch x = load(in + i);
    // min(x, 0) keeps expm1 away from overflow in the lanes select() discards anyway.
    const Batch neg = va * xsimd::expm1(xsimd::min(x, zero));
    xsimd::select(x > zero, x, neg).store_unaligned(out + i);
  }
  elu_forward_ref(out + end, in + end, alpha, n - end);
}
void elu_backward(float* d_in, const float* d_out, const float* in, const float* out, float alpha, std::size_t n) {
  const std::size_t end = vector_end(n);
  const Batch zero(0.0f), va(alpha);
  for (std::size_t i = 0; i < end; i += kW) {
    const Batch g = load(d_out + i);
    const Batch d = xsimd::select(load(in + i) > zero, g, g * (load(out + i) + va));
    (load(d_in + i) + d).store_unaligned(d_in + i);
  }
  elu_backward_ref(d_in + end, d_out + end, in + end, out + end, alpha, n - end);
}
#endif

// ============================== sigmoid ===============================
// Stable form: with e = exp(−|x|) in (0, 1], sigmoid(x) = 1/(1+e) for x >= 0 and e/(1+e)
// for x < 0. exp never overflows, so no inf/inf NaN at large |x|.
void sigmoid_forward_ref(float* out, const float* in, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    const float x = in[i];
    const float e = std::exp(-std::fabs(x));
    out[i] = x >= 0.0f ? 1.0f / (1.0f + e) : e / (1.0f + e);
  }
}
void sigmoid_backward_ref(float* d_in, const float* d_out, const float* out, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) d_in[i] += d_out[i] * out[i] * (1.0f - out[i]);
}
#ifdef NNPLAY_NO_SIMD
void sigmoid_forward(float* out, const float* in, std::size_t n) { sigmoid_forward_ref(out, in, n); }
void sigmoid_backward(float* d_in, const float* d_out, const float* out, std::size_t n) {
  sigmoid_backward_ref(d_in, d_out, out, n);
}
#else
void sigmoid_forward(float* out, const float* in, std::size_t n) {
  const std::size_t end = vector_end(n);
  const Batch zero(0.0f), one(1.0f);
  for (std::size_t i = 0; i < end; i += kW) {
    const Batch x = load(in + i);
    const Batch e = xsimd::exp(-xsimd::abs(x));
    const Batch s = one / (one + e);
    xsimd::select(x >= zero, s, e * s).store_unaligned(out + i);
  }
  sigmoid_forward_ref(out + end, in + end, n - end);
}
void sigmoid_backward(float* d_in, const float* d_out, const float* out, std::size_t n) {
  const std::size_t end = vector_end(n);
  const Batch one(1.0f);
  for (std::size_t i = 0; i < end; i += kW) {
    const Batch y = load(out + i);
    (load(d_in + i) + load(d_out + i) * y * (one - y)).store_unaligned(d_in + i);
  }
  sigmoid_backward_ref(d_in + end, d_out + end, out + end, n - end);
}
#endif

// ================================ tanh ================================
void tanh_forward_ref(float* out, const float* in, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) out[i] = std::tanh(in[i]);
}
void tanh_backward_ref(float* d_in, const float* d_out, const float* out, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) d_in[i] += d_out[i] * (1.0f - out[i] * out[i]);
}
#ifdef NNPLAY_NO_SIMD
void tanh_forward(float* out, const float* in, std::size_t n) { tanh_forward_ref(out, in, n); }
void tanh_backward(float* d_in, const float* d_out, const float* out, std::size_t n) {
  tanh_backward_ref(d_in, d_out, out, n);
}
#else
void tanh_forward(float* out, const float* in, std::size_t n) {
  const std::size_t end = vector_end(n);
  for (std::size_t i = 0; i < end; i += kW) xsimd::tanh(load(in + i)).store_unaligned(out + i);
  tanh_forward_ref(out + end, in + end, n - end);
}
void tanh_backward(float* d_in, const float* d_out, const float* out, std::size_t n) {
  const std::size_t end = vector_end(n);
  const Batch one(1.0f);
  for (std::size_t i = 0; i < end; i += kW) {
    const Batch y = load(out + i);
    (load(d_in + i) + load(d_out + i) * (one - y * y)).store_unaligned(d_in + i);
  }
  tanh_backward_ref(d_in + end, d_out + end, out + end, n - end);
}
#endif

// ============================ hardSigmoid =============================
void hard_sigmoid_forward_ref(float* out, const float* in, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    const float y = 0.2f * in[i] + 0.5f;
    out[i] = y < 0.0f ? 0.0f : (y > 1.0f ? 1.0f : y);
  }
}
void hard_sigmoid_backward_ref(float* d_in, const float* d_out, const float* in, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    const float y = 0.2f * in[i] + 0.5f;
    if (y >= 0.0f && y <= 1.0f) d_in[i] += 0.2f * d_out[i];
  }
}
#ifdef NNPLAY_NO_SIMD
void hard_sigmoid_forward(float* out, const float* in, std::size_t n) { hard_sigmoid_forward_ref(out, in, n); }
void hard_sigmoid_backward(float* d_in, const float* d_out, const float* in, std::size_t n) {
  hard_sigmoid_backward_ref(d_in, d_out, in, n);
}
#else
void hard_sigmoid_forward(float* out, const float* in, std::size_t n) {
  const std::size_t end = vector_end(n);
  const Batch zero(0.0f), one(1.0f), slope(0.2f), half(0.5f);
  for (std::size_t i = 0; i < end; i += kW) {
    const Batch y = load(in + i) * slope + half;
    xsimd::select(y < zero, zero, xsimd::select(y > one, one, y)).store_unaligned(out + i);
  }
  hard_sigmoid_forward_ref(out + end, in + end, n - end);
}
void hard_sigmoid_backward(float* d_in, const float* d_out, const float* in, std::size_t n) {
  const std::size_t end = vector_end(n);
  const Batch zero(0.0f), one(1.0f), slope(0.2f), half(0.5f);
  for (std::size_t i = 0; i < end; i += kW) {
    const Batch y = load(in + i) * slope + half;
    const Batch g = xsimd::select(y >= zero && y <= one, slope * load(d_out + i), zero);
    (load(d_in + i) + g).store_unaligned(d_in + i);
  }
  hard_sigmoid_backward_ref(d_in + end, d_out + end, in + end, n - end);
}
#endif

// ============================== softmax ===============================
// Per row: subtract the row max so the largest exponent is exp(0) = 1 (no overflow, and the
// sum is >= 1, so no division by 0), exponentiate, normalise. out may alias in: each
// element is read before it is written.
void softmax_forward_ref(float* out, const float* in, int rows, int cols) {
  NNPLAY_ASSERT(rows >= 0 && cols >= 1);
  for (int r = 0; r < rows; ++r) {
    const float* x = in + static_cast<std::ptrdiff_t>(r) * cols;
    float* y = out + static_cast<std::ptrdiff_t>(r) * cols;
    float mx = x[0];
    for (int c = 1; c < cols; ++c) mx = x[c] > mx ? x[c] : mx;
    float sum = 0.0f;
    for (int c = 0; c < cols; ++c) {
      y[c] = std::exp(x[c] - mx);
      sum += y[c];
    }
    for (int c = 0; c < cols; ++c) y[c] /= sum;
  }
}
// d_in[r,c] += out[r,c]·(d_out[r,c] − Σ_j d_out[r,j]·out[r,j])
void softmax_backward_ref(float* d_in, const float* d_out, const float* out, int rows, int cols) {
  for (int r = 0; r < rows; ++r) {
    const std::ptrdiff_t o = static_cast<std::ptrdiff_t>(r) * cols;
    float dot = 0.0f;
    for (int c = 0; c < cols; ++c) dot += d_out[o + c] * out[o + c];
    for (int c = 0; c < cols; ++c) d_in[o + c] += out[o + c] * (d_out[o + c] - dot);
  }
}
#ifdef NNPLAY_NO_SIMD
void softmax_forward(float* out, const float* in, int rows, int cols) { softmax_forward_ref(out, in, rows, cols); }
void softmax_backward(float* d_in, const float* d_out, const float* out, int rows, int cols) {
  softmax_backward_ref(d_in, d_out, out, rows, cols);
}
#else
void softmax_forward(float* out, const float* in, int rows, int cols) {
  const std::size_t n = static_cast<std::size_t>(cols);
  const std::size_t end = vector_end(n);
  for (int r = 0; r < rows; ++r) {
    const float* x = in + static_cast<std::ptrdiff_t>(r) * cols;
    float* y = out + static_cast<std::ptrdiff_t>(r) * cols;
    const float mx = vec_max(x, n);
    const Batch vmx(mx);
    Batch acc(0.0f);
    for (std::size_t c = 0; c < end; c += kW) {
      const Batch e = xsimd::exp(load(x + c) - vmx);
      e.store_unaligned(y + c);
      acc += e;
    }
    float sum = xsimd::reduce_add(acc);
    for (std::size_t c = end; c < n; ++c) {
      y[c] = std::exp(x[c] - mx);
      sum += y[c];
    }
    vec_scale(y, 1.0f / sum, y, n);
  }
}
void softmax_backward(float* d_in, const float* d_out, const float* out, int rows, int cols) {
  const std::size_t n = static_cast<std::size_t>(cols);
  const std::size_t end = vector_end(n);
  for (int r = 0; r < rows; ++r) {
    const std::ptrdiff_t o = static_cast<std::ptrdiff_t>(r) * cols;
    const float dot = vec_dot(d_out + o, out + o, n);
    const Batch vdot(dot);
    for (std::size_t c = 0; c < end; c += kW) {
      const Batch y = load(out + o + c);
      (load(d_in + o + c) + y * (load(d_out + o + c) - vdot)).store_unaligned(d_in + o + c);
    }
    for (std::size_t c = end; c < n; ++c) d_in[o + c] += out[o + c] * (d_out[o + c] - dot);
  }
}
#endif

}  // namespace nnplay
