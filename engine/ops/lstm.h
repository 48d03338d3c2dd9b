// LSTM op (Keras LSTM, gate order i, f, c, o in the kernel's columns):
//   [zi zf zc zo] = x_t · kernel + h_{t−1} · recurrent_kernel + bias
//   i = ρ(zi), f = ρ(zf), c̃ = σ(zc), o = ρ(zo)     (ρ the recurrentActivation, σ the activation)
//   c_t = f ⊙ c_{t−1} + i ⊙ c̃,  h_t = o ⊙ σ(c_t),  h_{−1} = c_{−1} = 0
// over a whole sequence, and its backpropagation through time. Layouts and buffers:
// ops/recurrent_sequence.h (gates = 4); b.gates holds i f c̃ o, b.c the cell states.
#pragma once

#include "ops/recurrent_sequence.h"

namespace nnplay {

void lstm_forward(const RecurrentShape& s, const RecurrentWeights& w, const float* x, RecurrentBuffers& b, float* out);

// Accumulates the weights' gradients and (when not null) d_x += ∂L/∂x, from b's forward.
void lstm_backward(const RecurrentShape& s, const RecurrentWeights& w, RecurrentGrads& g, RecurrentBuffers& b,
                   const float* d_out, float* d_x, const RecurrentStateGrads& d_final = {});

}  // namespace nnplay
