// Loss reductions: each scalar reference next to its xsimd version.
//
// Why a kernel: binaryCrossentropy against images (an autoencoder's 784 pixels) takes two logs
// per output element; in double and scalar, that was a large share of the VAE's training step
// next to its GEMMs (see bench/profile.mjs --net vae).
#include "kernels/loss_kernels.h"

#include <cmath>

#include "core/scalar_math.h"

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

// ---- binary cross-entropy sum ----
double binary_crossentropy_sum_ref(const float* pred, const float* y, std::size_t n, float lo, float hi) {
  double sum = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    const float pc = pred[i] < lo ? lo : (pred[i] > hi ? hi : pred[i]);
    const double p = pc, t = y[i];
    sum -= t * log_of(p) + (1.0 - t) * std::log1p(-p);
  }
  return sum;
}
#ifdef NNPLAY_NO_SIMD
double binary_crossentropy_sum(const float* pred, const float* y, std::size_t n, float lo, float hi) {
  return binary_crossentropy_sum_ref(pred, y, n, lo, hi);
}
#else
double binary_crossentropy_sum(const float* pred, const float* y, std::size_t n, float lo, float hi) {
  // Float lanes add at most kBlock vectors before their total moves to double: the float
  // rounding of a partial sum stays near 2^-24 · kBlock relative, whatever n is.
  constexpr std::size_t kBlock = 64;
  const std::size_t end = vector_end(n);
  const Batch vlo(lo), vhi(hi), one(1.0f);
  double sum = 0.0;
  for (std::size_t start = 0; start < end; start += kBlock * kW) {
    const std::size_t stop = start + kBlock * kW < end ? start + kBlock * kW : end;
    Batch acc(0.0f);
    for (std::size_t i = start; i < stop; i += kW) {
      const Batch p = load(pred + i), t = load(y + i);
      // select keeps a NaN p (both compares false), as the reference's clip does.
      const Batch pc = xsimd::select(p < vlo, vlo, xsimd::select(p > vhi, vhi, p));
      // 1 − pc is exact in float for pc in [1/2, 1) (Sterbenz) and off by under 2^-25 below.
      acc += t * xsimd::log(pc) + (one - t) * xsimd::log(one - pc);
    }
    sum -= static_cast<double>(xsimd::reduce_add(acc));
  }
  return sum + binary_crossentropy_sum_ref(pred + end, y + end, n - end, lo, hi);
}
#endif

}  // namespace nnplay
