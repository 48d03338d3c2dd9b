// Optimizer update kernels: each scalar reference next to its xsimd version.
//
// The xsimd versions run whole batches and hand the last n % W elements to the reference,
// so a tail is computed by exactly the code that specifies it. Every expression is written
// in the reference's order ((lr·m̂) / (sqrt(v̂) + ε), not lr·(m̂ / …)), because a different
// association rounds differently and the vector and scalar results must be identical.
//
// Why vectorise these at all: the Adam update does two divisions and a square root per
// parameter, which scalar code issues one at a time; in workload 1 (101,770 parameters per
// step) that scalar loop was a third of the training time.
#include "kernels/optim_kernels.h"

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

// ---- SGD ----
void sgd_update_ref(float* w, const float* g, float lr, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) w[i] -= lr * g[i];
}
#ifdef NNPLAY_NO_SIMD
void sgd_update(float* w, const float* g, float lr, std::size_t n) { sgd_update_ref(w, g, lr, n); }
#else
void sgd_update(float* w, const float* g, float lr, std::size_t n) {
  const std::size_t end = vector_end(n);
  const Batch vlr(lr);
  for (std::size_t i = 0; i < end; i += kW) (load(w + i) - vlr * load(g + i)).store_unaligned(w + i);
  sgd_update_ref(w + end, g + end, lr, n - end);
}
#endif

// ---- Momentum ----
void momentum_update_ref(float* w, float* accum, const float* g, float lr, float momentum, bool nesterov,
                         std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    accum[i] = momentum * accum[i] + g[i];
    w[i] -= nesterov ? lr * (g[i] + momentum * accum[i]) : lr * accum[i];
  }
}
#ifdef NNPLAY_NO_SIMD
void momentum_update(float* w, float* accum, const float* g, float lr, float momentum, bool nesterov, std::size_t n) {
  momentum_update_ref(w, accum, g, lr, momentum, nesterov, n);
}
#else
void momentum_update(float* w, float* accum, const float* g, float lr, float momentum, bool nesterov, std::size_t n) {
  const std::size_t end = vector_end(n);
  const Batch vlr(lr), vmu(momentum);
  for (std::size_t i = 0; i < end; i += kW) {
    const Batch gi = load(g + i);
    const Batch a = vmu * load(accum + i) + gi;
    a.store_unaligned(accum + i);
    const Batch step = nesterov ? vlr * (gi + vmu * a) : vlr * a;
    (load(w + i) - step).store_unaligned(w + i);
  }
  momentum_update_ref(w + end, accum + end, g + end, lr, momentum, nesterov, n - end);
}
#endif

// ---- Adam ----
void adam_update_ref(float* w, float* m, float* v, const float* g, float lr, float beta1, float beta2, float epsilon,
                     float c1, float c2, std::size_t n) {
  const float one_minus_b1 = 1.0f - beta1;
  const float one_minus_b2 = 1.0f - beta2;
  for (std::size_t i = 0; i < n; ++i) {
    m[i] = beta1 * m[i] + one_minus_b1 * g[i];
    v[i] = beta2 * v[i] + one_minus_b2 * (g[i] * g[i]);
    const float m_hat = m[i] / c1;
    const float v_hat = v[i] / c2;
    w[i] -= lr * m_hat / (std::sqrt(v_hat) + epsilon);
  }
}
#ifdef NNPLAY_NO_SIMD
void adam_update(float* w, float* m, float* v, const float* g, float lr, float beta1, float beta2, float epsilon,
                 float c1, float c2, std::size_t n) {
  adam_update_ref(w, m, v, g, lr, beta1, beta2, epsilon, c1, c2, n);
}
#else
void adam_update(float* w, float* m, float* v, const float* g, float lr, float beta1, float beta2, float epsilon,
                 float c1, float c2, std::size_t n) {
  const std::size_t end = vector_end(n);
  const Batch vb1(beta1), vb2(beta2), v1b1(1.0f - beta1), v1b2(1.0f - beta2);
  const Batch vc1(c1), vc2(c2), vlr(lr), veps(epsilon);
  for (std::size_t i = 0; i < end; i += kW) {
    const Batch gi = load(g + i);
    const Batch mi = vb1 * load(m + i) + v1b1 * gi;
    const Batch vi = vb2 * load(v + i) + v1b2 * (gi * gi);
    mi.store_unaligned(m + i);
    vi.store_unaligned(v + i);
    const Batch m_hat = mi / vc1;
    const Batch v_hat = vi / vc2;
    (load(w + i) - vlr * m_hat / (xsimd::sqrt(v_hat) + veps)).store_unaligned(w + i);
  }
  adam_update_ref(w + end, m + end, v + end, g + end, lr, beta1, beta2, epsilon, c1, c2, n - end);
}
#endif

// ---- RMSprop ----
void rmsprop_update_ref(float* w, float* ms, float* mom, const float* g, float lr, float decay, float momentum,
                        float epsilon, std::size_t n) {
  const float one_minus_decay = 1.0f - decay;
  for (std::size_t i = 0; i < n; ++i) {
    ms[i] = decay * ms[i] + one_minus_decay * (g[i] * g[i]);
    mom[i] = momentum * mom[i] + lr * g[i] / std::sqrt(ms[i] + epsilon);
    w[i] -= mom[i];
  }
}
#ifdef NNPLAY_NO_SIMD
void rmsprop_update(float* w, float* ms, float* mom, const float* g, float lr, float decay, float momentum,
                    float epsilon, std::size_t n) {
  rmsprop_update_ref(w, ms, mom, g, lr, decay, momentum, epsilon, n);
}
#else
void rmsprop_update(float* w, float* ms, float* mom, const float* g, float lr, float decay, float momentum,
                    float epsilon, std::size_t n) {
  const std::size_t end = vector_end(n);
  const Batch vdecay(decay), v1decay(1.0f - decay), vmu(momentum), vlr(lr), veps(epsilon);
  for (std::size_t i = 0; i < end; i += kW) {
    const Batch gi = load(g + i);
    const Batch s = vdecay * load(ms + i) + v1decay * (gi * gi);
    s.store_unaligned(ms + i);
    const Batch mo = vmu * load(mom + i) + vlr * gi / xsimd::sqrt(s + veps);
    mo.store_unaligned(mom + i);
    (load(w + i) - mo).store_unaligned(w + i);
  }
  rmsprop_update_ref(w + end, ms + end, mom + end, g + end, lr, decay, momentum, epsilon, n - end);
}
#endif

// ---- Adagrad ----
void adagrad_update_ref(float* w, float* accum, const float* g, float lr, float epsilon, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    accum[i] += g[i] * g[i];
    w[i] -= lr * g[i] / std::sqrt(accum[i] + epsilon);
  }
}
#ifdef NNPLAY_NO_SIMD
void adagrad_update(float* w, float* accum, const float* g, float lr, float epsilon, std::size_t n) {
  adagrad_update_ref(w, accum, g, lr, epsilon, n);
}
#else
void adagrad_update(float* w, float* accum, const float* g, float lr, float epsilon, std::size_t n) {
  const std::size_t end = vector_end(n);
  const Batch vlr(lr), veps(epsilon);
  for (std::size_t i = 0; i < end; i += kW) {
    const Batch gi = load(g + i);
    const Batch a = load(accum + i) + gi * gi;
    a.store_unaligned(accum + i);
    (load(w + i) - vlr * gi / xsimd::sqrt(a + veps)).store_unaligned(w + i);
  }
  adagrad_update_ref(w + end, accum + end, g + end, lr, epsilon, n - end);
}
#endif

// ---- Adadelta ----
void adadelta_update_ref(float* w, float* accum_g, float* accum_u, const float* g, float lr, float rho, float epsilon,
                         std::size_t n) {
  const float one_minus_rho = 1.0f - rho;
  for (std::size_t i = 0; i < n; ++i) {
    const float u = std::sqrt(accum_u[i] + epsilon) / std::sqrt(accum_g[i] + epsilon) * g[i];
    accum_g[i] = rho * accum_g[i] + one_minus_rho * (g[i] * g[i]);
    accum_u[i] = rho * accum_u[i] + one_minus_rho * (u * u);
    w[i] -= lr * u;
  }
}
#ifdef NNPLAY_NO_SIMD
void adadelta_update(float* w, float* accum_g, float* accum_u, const float* g, float lr, float rho, float epsilon,
                     std::size_t n) {
  adadelta_update_ref(w, accum_g, accum_u, g, lr, rho, epsilon, n);
}
#else
void adadelta_update(float* w, float* accum_g, float* accum_u, const float* g, float lr, float rho, float epsilon,
                     std::size_t n) {
  const std::size_t end = vector_end(n);
  const Batch vrho(rho), v1rho(1.0f - rho), vlr(lr), veps(epsilon);
  for (std::size_t i = 0; i < end; i += kW) {
    const Batch gi = load(g + i), ag = load(accum_g + i), au = load(accum_u + i);
    const Batch u = xsimd::sqrt(au + veps) / xsimd::sqrt(ag + veps) * gi;
    (vrho * ag + v1rho * (gi * gi)).store_unaligned(accum_g + i);
    (vrho * au + v1rho * (u * u)).store_unaligned(accum_u + i);
    (load(w + i) - vlr * u).store_unaligned(w + i);
  }
  adadelta_update_ref(w + end, accum_g + end, accum_u + end, g + end, lr, rho, epsilon, n - end);
}
#endif

// ---- Adamax ----
void adamax_update_ref(float* w, float* m, float* u, const float* g, float step, float beta1, float beta2,
                       float epsilon, std::size_t n) {
  const float one_minus_b1 = 1.0f - beta1;
  for (std::size_t i = 0; i < n; ++i) {
    m[i] = beta1 * m[i] + one_minus_b1 * g[i];
    const float decayed = beta2 * u[i], magnitude = std::fabs(g[i]);
    u[i] = decayed > magnitude ? decayed : magnitude;
    w[i] -= step * (m[i] / (u[i] + epsilon));
  }
}
#ifdef NNPLAY_NO_SIMD
void adamax_update(float* w, float* m, float* u, const float* g, float step, float beta1, float beta2, float epsilon,
                   std::size_t n) {
  adamax_update_ref(w, m, u, g, step, beta1, beta2, epsilon, n);
}
#else
void adamax_update(float* w, float* m, float* u, const float* g, float step, float beta1, float beta2, float epsilon,
                   std::size_t n) {
  const std::size_t end = vector_end(n);
  const Batch vb1(beta1), v1b1(1.0f - beta1), vb2(beta2), vstep(step), veps(epsilon);
  for (std::size_t i = 0; i < end; i += kW) {
    const Batch gi = load(g + i);
    const Batch mi = vb1 * load(m + i) + v1b1 * gi;
    const Batch ui = xsimd::max(vb2 * load(u + i), xsimd::abs(gi));
    mi.store_unaligned(m + i);
    ui.store_unaligned(u + i);
    (load(w + i) - vstep * (mi / (ui + veps))).store_unaligned(w + i);
  }
  adamax_update_ref(w + end, m + end, u + end, g + end, step, beta1, beta2, epsilon, n - end);
}
#endif

}  // namespace nnplay
