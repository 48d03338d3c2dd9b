// GRU op (Keras GRU, gate order z, r, h in the kernel's columns), both conventions:
//   resetAfter false (TF.js, Keras 1; the reset gate applied before the recurrent product):
//     z = ρ(x·Kz + h·Rz + bz),  r = ρ(x·Kr + h·Rr + br),  h̃ = σ(x·Kh + (r ⊙ h)·Rh + bh)
//   resetAfter true (Keras 2 / TF2, PyTorch, cuDNN; bias [2, 3·units]: input row, recurrent row):
//     z = ρ(x·Kz + bz + h·Rz + b'z),  r likewise,  h̃ = σ(x·Kh + bh + r ⊙ (h·Rh + b'h))
//   h_t = z ⊙ h_{t−1} + (1 − z) ⊙ h̃,   h_{−1} = 0          (ρ recurrentActivation, σ activation)
// over a whole sequence, and its backpropagation through time. Layouts and buffers:
// ops/recurrent_sequence.h (gates = 3); b.gates holds z r h̃, b.rh the product the reset gate
// multiplies (r ⊙ h_{t−1} before, h_{t−1}·Rh + b'h after).
#pragma once

#include "ops/recurrent_sequence.h"

namespace nnplay {

void gru_forward(const RecurrentShape& s, const RecurrentWeights& w, const float* x, RecurrentBuffers& b, float* out);

// Accumulates the weights' gradients and (when not null) d_x += ∂L/∂x, from b's forward.
void gru_backward(const RecurrentShape& s, const RecurrentWeights& w, RecurrentGrads& g, RecurrentBuffers& b,
                  const float* d_out, float* d_x, const RecurrentStateGrads& d_final = {});

}  // namespace nnplay
