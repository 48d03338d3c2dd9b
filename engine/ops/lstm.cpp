#include "ops/lstm.h"

#include "kernels/gemm.h"
#include "ops/dense.h"

namespace nnplay {

void lstm_forward(const RecurrentShape& s, const RecurrentWeights& w, const float* x, RecurrentBuffers& b, float* out) {
  recurrent_resize_forward(b, s, true, false);
  recurrent_begin_forward(s, w, x, b);
  const int n = s.n, u = s.units, k = s.width();
  const std::size_t block = static_cast<std::size_t>(n) * static_cast<std::size_t>(u);
  const std::size_t gate_block = static_cast<std::size_t>(n) * static_cast<std::size_t>(k);
  const std::size_t uu = static_cast<std::size_t>(u), kk = static_cast<std::size_t>(k);
  for (int step = 0; step < s.steps; ++step) {
    const std::size_t st = static_cast<std::size_t>(step);
    float* z = b.z.data() + st * gate_block;
    float* g = b.gates.data() + st * gate_block;
    const float* h_prev = recurrent_read_state(s, b, step);
    const float* c_prev = b.c.data() + st * block;
    float* c = b.c.data() + (st + 1) * block;
    float* ac = b.act_c.data() + st * block;
    float* h = b.h.data() + (st + 1) * block;
    if (step > 0) gemm(false, false, n, k, u, 1.0f, h_prev, u, w.recurrent, k, 1.0f, z, k);
    gate_forward(g, z, w.recurrent_activation, 0.0f, n, u, k, 0);
    gate_forward(g, z, w.recurrent_activation, 0.0f, n, u, k, u);
    gate_forward(g, z, w.activation, w.activation_alpha, n, u, k, 2 * u);
    gate_forward(g, z, w.recurrent_activation, 0.0f, n, u, k, 3 * u);
    for (std::size_t i = 0; i < static_cast<std::size_t>(n); ++i) {
      const float* gi = g + i * kk;
      for (std::size_t j = 0; j < uu; ++j) c[i * uu + j] = gi[uu + j] * c_prev[i * uu + j] + gi[j] * gi[2 * uu + j];
    }
    activation_forward(ac, c, w.activation, w.activation_alpha, n, u);
    for (std::size_t i = 0; i < static_cast<std::size_t>(n); ++i) {
      const float* o = g + i * kk + 3 * uu;
      for (std::size_t j = 0; j < uu; ++j) h[i * uu + j] = o[j] * ac[i * uu + j];
    }
  }
  recurrent_write_output(s, b, out);
}

void lstm_backward(const RecurrentShape& s, const RecurrentWeights& w, RecurrentGrads& grads, RecurrentBuffers& b,
                   const float* d_out, float* d_x, const RecurrentStateGrads& d_final) {
  recurrent_resize_backward(b, s, false, d_final);
  const int n = s.n, u = s.units, k = s.width();
  const std::size_t block = static_cast<std::size_t>(n) * static_cast<std::size_t>(u);
  const std::size_t gate_block = static_cast<std::size_t>(n) * static_cast<std::size_t>(k);
  const std::size_t uu = static_cast<std::size_t>(u), kk = static_cast<std::size_t>(k);
  float* dh = b.dh.data();
  float* dc = b.carry_c.data();     // ∂L/∂c_t: the carry from step t+1, then this step's part added
  float* d_act = b.scratch.data();  // [n, 4u]: ∂L/∂(activated gate), laid out as z
  float* d_ac = b.scratch2.data();  // [n, u]: ∂L/∂σ(c_t)
  for (int step = s.steps - 1; step >= 0; --step) {
    const std::size_t st = static_cast<std::size_t>(step);
    const float* z = b.z.data() + st * gate_block;
    const float* g = b.gates.data() + st * gate_block;
    const float* c_prev = b.c.data() + st * block;
    const float* c = b.c.data() + (st + 1) * block;
    const float* ac = b.act_c.data() + st * block;
    float* dz = b.dz.data() + st * gate_block;
    recurrent_step_gradient(s, step, d_out, b.carry_h.data(), dh);
    for (std::size_t i = 0; i < static_cast<std::size_t>(n); ++i) {
      const float* o = g + i * kk + 3 * uu;
      for (std::size_t j = 0; j < uu; ++j) {
        d_act[i * kk + 3 * uu + j] = dh[i * uu + j] * ac[i * uu + j];
        d_ac[i * uu + j] = dh[i * uu + j] * o[j];
      }
    }
    activation_backward(dc, d_ac, c, ac, w.activation, w.activation_alpha, n, u);
    for (std::size_t i = 0; i < static_cast<std::size_t>(n); ++i) {
      const float* gi = g + i * kk;
      float* da = d_act + i * kk;
      for (std::size_t j = 0; j < uu; ++j) {
        const float d = dc[i * uu + j];
        da[j] = d * gi[2 * uu + j];           // ∂/∂i = dc ⊙ c̃
        da[uu + j] = d * c_prev[i * uu + j];  // ∂/∂f = dc ⊙ c_{t−1}
        da[2 * uu + j] = d * gi[j];           // ∂/∂c̃ = dc ⊙ i
        dc[i * uu + j] = d * gi[uu + j];      // carried to c_{t−1}: dc ⊙ f
      }
    }
    gate_backward(dz, d_act, z, g, w.recurrent_activation, 0.0f, n, u, k, 0);
    gate_backward(dz, d_act, z, g, w.recurrent_activation, 0.0f, n, u, k, u);
    gate_backward(dz, d_act, z, g, w.activation, w.activation_alpha, n, u, k, 2 * u);
    gate_backward(dz, d_act, z, g, w.recurrent_activation, 0.0f, n, u, k, 3 * u);
    if (step > 0) {
      gemm(false, true, n, u, k, 1.0f, dz, k, w.recurrent, k, 0.0f, b.carry_h.data(), u);
      recurrent_mask_carry(s, b, b.carry_h.data());
    }
  }
  if (grads.recurrent && s.rows())
    dense_backward(nullptr, grads.recurrent, nullptr, b.dz.data(), recurrent_read_states(b), w.recurrent,
                   static_cast<int>(s.rows()), u, k);
  recurrent_finish_backward(s, w, grads, b, d_x);
}

}  // namespace nnplay
