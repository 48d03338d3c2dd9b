#include "ops/recurrent_sequence.h"

#include <algorithm>
#include <cstring>

#include "core/check.h"
#include "kernels/vec.h"
#include "ops/dense.h"

namespace nnplay {

namespace {

std::size_t step_of(const RecurrentShape& s, int step) {
  return static_cast<std::size_t>(s.go_backwards ? s.steps - 1 - step : step);
}

}  // namespace

std::size_t recurrent_forward_floats_per_sample(const RecurrentShape& s, bool lstm, bool gru, bool input_dropout,
                                                bool recurrent_dropout) {
  const std::size_t t = static_cast<std::size_t>(s.steps), u = static_cast<std::size_t>(s.units);
  const std::size_t k = static_cast<std::size_t>(s.width());
  std::size_t floats = t * static_cast<std::size_t>(s.features) + 2 * t * k + (t + 1) * u;
  if (lstm) floats += (t + 1) * u + t * u;
  if (gru) floats += t * u;
  if (input_dropout) floats += static_cast<std::size_t>(s.features);
  if (recurrent_dropout) floats += u + t * u;
  return floats;
}

void recurrent_resize_forward(RecurrentBuffers& b, const RecurrentShape& s, bool lstm, bool gru) {
  const std::size_t rows = s.rows(), n = static_cast<std::size_t>(s.n), u = static_cast<std::size_t>(s.units);
  const std::size_t k = static_cast<std::size_t>(s.width());
  b.xs.resize(rows * static_cast<std::size_t>(s.features));
  b.z.resize(rows * k);
  b.gates.resize(s.gates > 1 ? rows * k : 0);
  b.h.resize(rows * u + n * u);
  b.c.resize(lstm ? rows * u + n * u : 0);
  b.act_c.resize(lstm ? rows * u : 0);
  b.rh.resize(gru ? rows * u : 0);
  b.hm.resize(b.recurrent_mask.empty() ? 0 : rows * u);
  b.scratch.resize(n * k);
  NNPLAY_ASSERT(b.input_mask.empty() || b.input_mask.size() == n * static_cast<std::size_t>(s.features));
  NNPLAY_ASSERT(b.recurrent_mask.empty() || b.recurrent_mask.size() == n * u);
}

void recurrent_resize_backward(RecurrentBuffers& b, const RecurrentShape& s, bool gru_reset_after,
                               const RecurrentStateGrads& d_final) {
  const std::size_t rows = s.rows(), n = static_cast<std::size_t>(s.n), u = static_cast<std::size_t>(s.units);
  const std::size_t k = static_cast<std::size_t>(s.width());
  b.dz.assign(rows * k, 0.0f);
  b.drec.assign(gru_reset_after ? rows * k : 0, 0.0f);
  b.dxs.assign(rows * static_cast<std::size_t>(s.features), 0.0f);
  b.dh.resize(n * u);
  b.carry_h.assign(n * u, 0.0f);
  b.carry_c.assign(n * u, 0.0f);
  if (d_final.h) std::copy_n(d_final.h, n * u, b.carry_h.data());
  if (d_final.c) std::copy_n(d_final.c, n * u, b.carry_c.data());
  b.scratch.resize(n * k);
  b.scratch2.resize(n * u);
}

void recurrent_begin_forward(const RecurrentShape& s, const RecurrentWeights& w, const float* x, RecurrentBuffers& b) {
  const std::size_t f = static_cast<std::size_t>(s.features), n = static_cast<std::size_t>(s.n);
  const std::size_t u = static_cast<std::size_t>(s.units), steps = static_cast<std::size_t>(s.steps);
  for (int step = 0; step < s.steps; ++step) {
    const std::size_t t = step_of(s, step);
    float* dst = b.xs.data() + static_cast<std::size_t>(step) * n * f;
    if (b.input_mask.empty()) {
      for (std::size_t i = 0; i < n; ++i) std::memcpy(dst + i * f, x + (i * steps + t) * f, f * sizeof(float));
    } else {
      for (std::size_t i = 0; i < n; ++i) vec_mul(dst + i * f, x + (i * steps + t) * f, b.input_mask.data() + i * f, f);
    }
  }
  std::memset(b.h.data(), 0, n * u * sizeof(float));
  if (!b.c.empty()) std::memset(b.c.data(), 0, n * u * sizeof(float));
  if (s.rows() == 0) return;
  // One GEMM for the input projection of every step; the input bias is added once here.
  dense_forward(b.z.data(), b.xs.data(), w.kernel, w.bias, static_cast<int>(s.rows()), s.features, s.width());
}

const float* recurrent_read_state(const RecurrentShape& s, RecurrentBuffers& b, int step) {
  const std::size_t block = static_cast<std::size_t>(s.n) * static_cast<std::size_t>(s.units);
  const float* h_prev = b.h.data() + static_cast<std::size_t>(step) * block;
  if (b.recurrent_mask.empty()) return h_prev;
  float* hm = b.hm.data() + static_cast<std::size_t>(step) * block;
  vec_mul(hm, h_prev, b.recurrent_mask.data(), block);
  return hm;
}

const float* recurrent_read_states(const RecurrentBuffers& b) {
  return b.recurrent_mask.empty() ? b.h.data() : b.hm.data();
}

void recurrent_mask_carry(const RecurrentShape& s, const RecurrentBuffers& b, float* carry) {
  if (b.recurrent_mask.empty()) return;
  vec_mul(carry, carry, b.recurrent_mask.data(), static_cast<std::size_t>(s.n) * static_cast<std::size_t>(s.units));
}

void recurrent_write_output(const RecurrentShape& s, const RecurrentBuffers& b, float* out) {
  const std::size_t n = static_cast<std::size_t>(s.n), u = static_cast<std::size_t>(s.units);
  const std::size_t steps = static_cast<std::size_t>(s.steps);
  if (!s.return_sequences) {
    if (n) std::memcpy(out, b.h.data() + steps * n * u, n * u * sizeof(float));
    return;
  }
  for (std::size_t step = 0; step < steps; ++step) {
    const float* h = b.h.data() + (step + 1) * n * u;
    for (std::size_t i = 0; i < n; ++i) std::memcpy(out + (i * steps + step) * u, h + i * u, u * sizeof(float));
  }
}

void recurrent_step_gradient(const RecurrentShape& s, int step, const float* d_out, const float* carry, float* dh) {
  const std::size_t n = static_cast<std::size_t>(s.n), u = static_cast<std::size_t>(s.units);
  if (s.return_sequences) {
    const std::size_t steps = static_cast<std::size_t>(s.steps);
    for (std::size_t i = 0; i < n; ++i)
      vec_add(dh + i * u, carry + i * u, d_out + (i * steps + static_cast<std::size_t>(step)) * u, u);
  } else if (step == s.steps - 1) {
    vec_add(dh, carry, d_out, n * u);
  } else if (dh != carry) {
    std::memcpy(dh, carry, n * u * sizeof(float));
  }
}

void recurrent_finish_backward(const RecurrentShape& s, const RecurrentWeights& w, RecurrentGrads& g,
                               RecurrentBuffers& b, float* d_x) {
  if (s.rows() == 0) return;
  dense_backward(d_x ? b.dxs.data() : nullptr, g.kernel, w.bias ? g.bias : nullptr, b.dz.data(), b.xs.data(), w.kernel,
                 static_cast<int>(s.rows()), s.features, s.width());
  if (!d_x) return;
  const std::size_t f = static_cast<std::size_t>(s.features), n = static_cast<std::size_t>(s.n);
  const std::size_t steps = static_cast<std::size_t>(s.steps);
  for (int step = 0; step < s.steps; ++step) {
    const std::size_t t = step_of(s, step);
    float* src = b.dxs.data() + static_cast<std::size_t>(step) * n * f;
    if (!b.input_mask.empty()) vec_mul(src, src, b.input_mask.data(), n * f);
    for (std::size_t i = 0; i < n; ++i) vec_add(d_x + (i * steps + t) * f, d_x + (i * steps + t) * f, src + i * f, f);
  }
}

void gate_forward(float* out, const float* in, ActivationKind kind, float alpha, int n, int units, int ld, int offset) {
  if (ld == units) {
    activation_forward(out + offset, in + offset, kind, alpha, n, units);
    return;
  }
  for (int i = 0; i < n; ++i) {
    const std::size_t o = static_cast<std::size_t>(i) * static_cast<std::size_t>(ld) + static_cast<std::size_t>(offset);
    activation_forward(out + o, in + o, kind, alpha, 1, units);
  }
}

void gate_backward(float* d_in, const float* d_out, const float* in, const float* out, ActivationKind kind, float alpha,
                   int n, int units, int ld, int offset) {
  if (ld == units) {
    activation_backward(d_in + offset, d_out + offset, in + offset, out + offset, kind, alpha, n, units);
    return;
  }
  for (int i = 0; i < n; ++i) {
    const std::size_t o = static_cast<std::size_t>(i) * static_cast<std::size_t>(ld) + static_cast<std::size_t>(offset);
    activation_backward(d_in + o, d_out + o, in + o, out + o, kind, alpha, 1, units);
  }
}

}  // namespace nnplay
