// See more_activation_kernels.h. Each scalar function computes in float through the C library
// (expf, log1pf, tanhf, erff), as the references of activation_kernels.cpp do.
#include "kernels/more_activation_kernels.h"

#include <cmath>

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

namespace {

float sigmoid_of(float x) {
  // Stable for large |x|: exp of a non-positive number only.
  if (x >= 0.0f) return 1.0f / (1.0f + std::exp(-x));
  const float e = std::exp(x);
  return e / (1.0f + e);
}

float softplus_of(float x) { return std::fmax(x, 0.0f) + std::log1p(std::exp(-std::fabs(x))); }

constexpr float kSeluScale = 1.0507009873554805f;
constexpr float kSeluAlpha = 1.6732632423543772f;

}  // namespace

// ================================ relu6 ================================
void relu6_forward_ref(float* out, const float* in, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    const float x = in[i];
    out[i] = x > 0.0f ? (x < 6.0f ? x : 6.0f) : 0.0f;
  }
}
void relu6_backward_ref(float* d_in, const float* d_out, const float* in, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) d_in[i] += in[i] > 0.0f && in[i] < 6.0f ? d_out[i] : 0.0f;
}
// ================================ softsign ================================
void softsign_forward_ref(float* out, const float* in, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) out[i] = in[i] / (1.0f + std::fabs(in[i]));
}
void softsign_backward_ref(float* d_in, const float* d_out, const float* in, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    const float d = 1.0f + std::fabs(in[i]);
    d_in[i] += d_out[i] / (d * d);
  }
}

#ifdef NNPLAY_NO_SIMD
void relu6_forward(float* out, const float* in, std::size_t n) { relu6_forward_ref(out, in, n); }
void relu6_backward(float* d_in, const float* d_out, const float* in, std::size_t n) {
  relu6_backward_ref(d_in, d_out, in, n);
}
void softsign_forward(float* out, const float* in, std::size_t n) { softsign_forward_ref(out, in, n); }
void softsign_backward(float* d_in, const float* d_out, const float* in, std::size_t n) {
  softsign_backward_ref(d_in, d_out, in, n);
}
#else
// The same comparisons as the references, so NaN goes the same way (x > 0 is false for NaN).
void relu6_forward(float* out, const float* in, std::size_t n) {
  const std::size_t end = vector_end(n);
  const Batch zero(0.0f), six(6.0f);
  for (std::size_t i = 0; i < end; i += kW) {
    const Batch x = load(in + i);
    xsimd::select(x > zero, xsimd::select(x < six, x, six), zero).store_unaligned(out + i);
  }
  relu6_forward_ref(out + end, in + end, n - end);
}
void relu6_backward(float* d_in, const float* d_out, const float* in, std::size_t n) {
  const std::size_t end = vector_end(n);
  const Batch zero(0.0f), six(6.0f);
  for (std::size_t i = 0; i < end; i += kW) {
    const Batch x = load(in + i);
    const Batch g = xsimd::select((x > zero) && (x < six), load(d_out + i), zero);
    (load(d_in + i) + g).store_unaligned(d_in + i);
  }
  relu6_backward_ref(d_in + end, d_out + end, in + end, n - end);
}
void softsign_forward(float* out, const float* in, std::size_t n) {
  const std::size_t end = vector_end(n);
  const Batch one(1.0f);
  for (std::size_t i = 0; i < end; i += kW) {
    const Batch x = load(in + i);
    (x / (one + xsimd::abs(x))).store_unaligned(out + i);
  }
  softsign_forward_ref(out + end, in + end, n - end);
}
void softsign_backward(float* d_in, const float* d_out, const float* in, std::size_t n) {
  const std::size_t end = vector_end(n);
  const Batch one(1.0f);
  for (std::size_t i = 0; i < end; i += kW) {
    const Batch d = one + xsimd::abs(load(in + i));
    (load(d_in + i) + load(d_out + i) / (d * d)).store_unaligned(d_in + i);
  }
  softsign_backward_ref(d_in + end, d_out + end, in + end, n - end);
}
#endif

// ================================ scalar only ================================
void softplus_forward(float* out, const float* in, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) out[i] = softplus_of(in[i]);
}
void softplus_backward(float* d_in, const float* d_out, const float* in, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) d_in[i] += d_out[i] * sigmoid_of(in[i]);
}

void selu_forward(float* out, const float* in, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    const float x = in[i];
    out[i] = x > 0.0f ? kSeluScale * x : kSeluScale * kSeluAlpha * std::expm1(x);
  }
}
void selu_backward(float* d_in, const float* d_out, const float* in, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    const float x = in[i];
    d_in[i] += d_out[i] * (x > 0.0f ? kSeluScale : kSeluScale * kSeluAlpha * std::exp(x));
  }
}

void swish_forward(float* out, const float* in, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) out[i] = in[i] * sigmoid_of(in[i]);
}
void swish_backward(float* d_in, const float* d_out, const float* in, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    const float x = in[i], s = sigmoid_of(x);
    d_in[i] += d_out[i] * (s + x * s * (1.0f - s));
  }
}

void gelu_forward(float* out, const float* in, std::size_t n) {
  const float inv_sqrt2 = 0.70710678118654752f;
  for (std::size_t i = 0; i < n; ++i) out[i] = in[i] * 0.5f * (1.0f + std::erf(in[i] * inv_sqrt2));
}
void gelu_backward(float* d_in, const float* d_out, const float* in, std::size_t n) {
  const float inv_sqrt2 = 0.70710678118654752f, inv_sqrt_2pi = 0.39894228040143268f;
  for (std::size_t i = 0; i < n; ++i) {
    const float x = in[i];
    const float cdf = 0.5f * (1.0f + std::erf(x * inv_sqrt2));
    const float pdf = inv_sqrt_2pi * std::exp(-0.5f * x * x);
    d_in[i] += d_out[i] * (cdf + x * pdf);
  }
}

void mish_forward(float* out, const float* in, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) out[i] = in[i] * std::tanh(softplus_of(in[i]));
}
void mish_backward(float* d_in, const float* d_out, const float* in, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    const float x = in[i], t = std::tanh(softplus_of(x));
    d_in[i] += d_out[i] * (t + x * (1.0f - t * t) * sigmoid_of(x));
  }
}

void exponential_forward(float* out, const float* in, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) out[i] = std::exp(in[i]);
}
void exponential_backward(float* d_in, const float* d_out, const float* out, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) d_in[i] += d_out[i] * out[i];
}

}  // namespace nnplay
