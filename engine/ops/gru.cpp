#include "ops/gru.h"

#include <cstring>

#include "kernels/gemm.h"
#include "kernels/vec.h"
#include "ops/dense.h"

namespace nnplay {

void gru_forward(const RecurrentShape& s, const RecurrentWeights& w, const float* x, RecurrentBuffers& b, float* out) {
  recurrent_resize_forward(b, s, false, true);
  recurrent_begin_forward(s, w, x, b);
  const int n = s.n, u = s.units, k = s.width();
  const std::size_t block = static_cast<std::size_t>(n) * static_cast<std::size_t>(u);
  const std::size_t gate_block = static_cast<std::size_t>(n) * static_cast<std::size_t>(k);
  const std::size_t uu = static_cast<std::size_t>(u), kk = static_cast<std::size_t>(k);
  const float* recurrent_bias = w.reset_after && w.bias ? w.bias + kk : nullptr;
  float* rec = b.scratch.data();  // resetAfter: h_{t−1}·R + b' for this step, [n, 3u]
  for (int step = 0; step < s.steps; ++step) {
    const std::size_t st = static_cast<std::size_t>(step);
    float* z = b.z.data() + st * gate_block;
    float* g = b.gates.data() + st * gate_block;
    float* rh = b.rh.data() + st * block;
    // With recurrent dropout every use of h_{t−1}, the carry z ⊙ h_{t−1} included, reads the
    // masked state, as TF.js's and Keras 3's GRU cell do.
    const float* h_prev = recurrent_read_state(s, b, step);
    float* h = b.h.data() + (st + 1) * block;
    if (w.reset_after) {
      gemm(false, false, n, k, u, 1.0f, h_prev, u, w.recurrent, k, 0.0f, rec, k);
      if (recurrent_bias) add_row_bias(rec, recurrent_bias, n, k);
      for (std::size_t i = 0; i < static_cast<std::size_t>(n); ++i) {
        vec_add(z + i * kk, z + i * kk, rec + i * kk, 2 * uu);
        std::memcpy(rh + i * uu, rec + i * kk + 2 * uu, uu * sizeof(float));
      }
    } else {
      gemm(false, false, n, 2 * u, u, 1.0f, h_prev, u, w.recurrent, k, 1.0f, z, k);
    }
    gate_forward(g, z, w.recurrent_activation, 0.0f, n, u, k, 0);
    gate_forward(g, z, w.recurrent_activation, 0.0f, n, u, k, u);
    for (std::size_t i = 0; i < static_cast<std::size_t>(n); ++i) {
      const float* r = g + i * kk + uu;
      float* zh = z + i * kk + 2 * uu;
      if (w.reset_after) {
        for (std::size_t j = 0; j < uu; ++j) zh[j] += r[j] * rh[i * uu + j];
      } else {
        for (std::size_t j = 0; j < uu; ++j) rh[i * uu + j] = r[j] * h_prev[i * uu + j];
      }
    }
    if (!w.reset_after) gemm(false, false, n, u, u, 1.0f, rh, u, w.recurrent + 2 * uu, k, 1.0f, z + 2 * uu, k);
    gate_forward(g, z, w.activation, w.activation_alpha, n, u, k, 2 * u);
    for (std::size_t i = 0; i < static_cast<std::size_t>(n); ++i) {
      const float* gi = g + i * kk;
      for (std::size_t j = 0; j < uu; ++j) {
        const float zt = gi[j];
        h[i * uu + j] = zt * h_prev[i * uu + j] + (1.0f - zt) * gi[2 * uu + j];
      }
    }
  }
  recurrent_write_output(s, b, out);
}

void gru_backward(const RecurrentShape& s, const RecurrentWeights& w, RecurrentGrads& grads, RecurrentBuffers& b,
                  const float* d_out, float* d_x, const RecurrentStateGrads& d_final) {
  recurrent_resize_backward(b, s, w.reset_after, d_final);
  const int n = s.n, u = s.units, k = s.width();
  const std::size_t block = static_cast<std::size_t>(n) * static_cast<std::size_t>(u);
  const std::size_t gate_block = static_cast<std::size_t>(n) * static_cast<std::size_t>(k);
  const std::size_t uu = static_cast<std::size_t>(u), kk = static_cast<std::size_t>(k);
  float* dh = b.dh.data();
  float* carry = b.carry_h.data();
  float* d_act = b.scratch.data();  // [n, 3u]: ∂L/∂(activated gate), laid out as z
  float* d_rh = b.scratch2.data();  // resetAfter false: ∂L/∂(r ⊙ h_{t−1}), [n, u]
  for (int step = s.steps - 1; step >= 0; --step) {
    const std::size_t st = static_cast<std::size_t>(step);
    const float* z = b.z.data() + st * gate_block;
    const float* g = b.gates.data() + st * gate_block;
    const float* rh = b.rh.data() + st * block;
    const float* h_prev = recurrent_read_states(b) + st * block;
    float* dz = b.dz.data() + st * gate_block;
    recurrent_step_gradient(s, step, d_out, carry, dh);
    for (std::size_t i = 0; i < static_cast<std::size_t>(n); ++i) {
      const float* gi = g + i * kk;
      float* da = d_act + i * kk;
      for (std::size_t j = 0; j < uu; ++j) {
        const float d = dh[i * uu + j], zt = gi[j];
        da[j] = d * (h_prev[i * uu + j] - gi[2 * uu + j]);  // ∂/∂z
        da[2 * uu + j] = d * (1.0f - zt);                   // ∂/∂h̃
        carry[i * uu + j] = d * zt;                         // h_{t−1} directly, through z ⊙ h_{t−1}
      }
    }
    gate_backward(dz, d_act, z, g, w.activation, w.activation_alpha, n, u, k, 2 * u);
    if (w.reset_after) {
      float* drec = b.drec.data() + st * gate_block;
      for (std::size_t i = 0; i < static_cast<std::size_t>(n); ++i) {
        const float* r = g + i * kk + uu;
        const float* dzh = dz + i * kk + 2 * uu;
        for (std::size_t j = 0; j < uu; ++j) {
          drec[i * kk + 2 * uu + j] = dzh[j] * r[j];
          d_act[i * kk + uu + j] = dzh[j] * rh[i * uu + j];  // ∂/∂r
        }
      }
      gate_backward(dz, d_act, z, g, w.recurrent_activation, 0.0f, n, u, k, 0);
      gate_backward(dz, d_act, z, g, w.recurrent_activation, 0.0f, n, u, k, u);
      for (std::size_t i = 0; i < static_cast<std::size_t>(n); ++i)
        std::memcpy(drec + i * kk, dz + i * kk, 2 * uu * sizeof(float));
      if (step > 0) gemm(false, true, n, u, k, 1.0f, drec, k, w.recurrent, k, 1.0f, carry, u);
    } else {
      // ∂L/∂(r ⊙ h_{t−1}) = dzh · Rhᵀ, then split between r and h_{t−1}.
      gemm(false, true, n, u, u, 1.0f, dz + 2 * uu, k, w.recurrent + 2 * uu, k, 0.0f, d_rh, u);
      for (std::size_t i = 0; i < static_cast<std::size_t>(n); ++i) {
        const float* r = g + i * kk + uu;
        for (std::size_t j = 0; j < uu; ++j) {
          d_act[i * kk + uu + j] = d_rh[i * uu + j] * h_prev[i * uu + j];  // ∂/∂r
          carry[i * uu + j] += d_rh[i * uu + j] * r[j];
        }
      }
      gate_backward(dz, d_act, z, g, w.recurrent_activation, 0.0f, n, u, k, 0);
      gate_backward(dz, d_act, z, g, w.recurrent_activation, 0.0f, n, u, k, u);
      if (step > 0) gemm(false, true, n, u, 2 * u, 1.0f, dz, k, w.recurrent, k, 1.0f, carry, u);
    }
    recurrent_mask_carry(s, b, carry);
  }
  if (grads.recurrent && s.rows()) {
    const int rows = static_cast<int>(s.rows());
    if (w.reset_after) {
      // recurrent_kernel += Σ h_{t−1}ᵀ·drec, recurrent bias += Σ drec: one GEMM over all steps.
      dense_backward(nullptr, grads.recurrent, w.bias && grads.bias ? grads.bias + kk : nullptr, b.drec.data(),
                     recurrent_read_states(b), w.recurrent, rows, u, k);
    } else {
      gemm(true, false, u, 2 * u, rows, 1.0f, recurrent_read_states(b), u, b.dz.data(), k, 1.0f, grads.recurrent, k);
      gemm(true, false, u, u, rows, 1.0f, b.rh.data(), u, b.dz.data() + 2 * uu, k, 1.0f, grads.recurrent + 2 * uu, k);
    }
  } else if (w.reset_after && w.bias && grads.bias && s.rows()) {
    sum_rows(grads.bias + kk, b.drec.data(), static_cast<int>(s.rows()), k);
  }
  recurrent_finish_backward(s, w, grads, b, d_x);
}

}  // namespace nnplay
