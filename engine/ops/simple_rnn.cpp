#include "ops/simple_rnn.h"

#include "kernels/gemm.h"
#include "ops/dense.h"

namespace nnplay {

void simple_rnn_forward(const RecurrentShape& s, const RecurrentWeights& w, const float* x, RecurrentBuffers& b,
                        float* out) {
  recurrent_resize_forward(b, s, false, false);
  recurrent_begin_forward(s, w, x, b);
  const int n = s.n, u = s.units;
  const std::size_t block = static_cast<std::size_t>(n) * static_cast<std::size_t>(u);
  for (int step = 0; step < s.steps; ++step) {
    float* z = b.z.data() + static_cast<std::size_t>(step) * block;
    const float* h_prev = recurrent_read_state(s, b, step);
    // z already holds x·kernel + bias: add the recurrent part (h_{-1} = 0 adds nothing).
    if (step > 0) gemm(false, false, n, u, u, 1.0f, h_prev, u, w.recurrent, u, 1.0f, z, u);
    activation_forward(b.h.data() + static_cast<std::size_t>(step + 1) * block, z, w.activation, w.activation_alpha, n,
                       u);
  }
  recurrent_write_output(s, b, out);
}

void simple_rnn_backward(const RecurrentShape& s, const RecurrentWeights& w, RecurrentGrads& g, RecurrentBuffers& b,
                         const float* d_out, float* d_x, const RecurrentStateGrads& d_final) {
  recurrent_resize_backward(b, s, false, d_final);
  const int n = s.n, u = s.units;
  const std::size_t block = static_cast<std::size_t>(n) * static_cast<std::size_t>(u);
  for (int step = s.steps - 1; step >= 0; --step) {
    recurrent_step_gradient(s, step, d_out, b.carry_h.data(), b.dh.data());
    const std::size_t at = static_cast<std::size_t>(step) * block;
    activation_backward(b.dz.data() + at, b.dh.data(), b.z.data() + at, b.h.data() + at + block, w.activation,
                        w.activation_alpha, n, u);
    // ∂L/∂h_{t−1} through the recurrent kernel (not needed before the first step: h_{−1} is fixed).
    if (step > 0) {
      gemm(false, true, n, u, u, 1.0f, b.dz.data() + at, u, w.recurrent, u, 0.0f, b.carry_h.data(), u);
      recurrent_mask_carry(s, b, b.carry_h.data());
    }
  }
  // recurrent_kernel += Σ_t h_{t−1}ᵀ · dz_t, all steps in one GEMM (h is stored from h_{−1}).
  if (g.recurrent && s.rows())
    dense_backward(nullptr, g.recurrent, nullptr, b.dz.data(), recurrent_read_states(b), w.recurrent,
                   static_cast<int>(s.rows()), u, u);
  recurrent_finish_backward(s, w, g, b, d_x);
}

}  // namespace nnplay
