// SimpleRNN op (Keras SimpleRNN): h_t = activation(x_t · kernel + h_{t−1} · recurrent_kernel + bias),
// h_{−1} = 0, over a whole sequence, and its backpropagation through time. Layouts and the
// buffers of a pass: ops/recurrent_sequence.h (gates = 1).
#pragma once

#include "ops/recurrent_sequence.h"

namespace nnplay {

// x [n, steps, features] -> out ([n, steps, units] or [n, units]); fills b for backward.
void simple_rnn_forward(const RecurrentShape& s, const RecurrentWeights& w, const float* x, RecurrentBuffers& b,
                        float* out);

// Given d_out (same shape as out), accumulates the weights' gradients into g and, when d_x is
// not null, d_x [n, steps, features] += ∂L/∂x. b must hold the matching forward.
void simple_rnn_backward(const RecurrentShape& s, const RecurrentWeights& w, RecurrentGrads& g, RecurrentBuffers& b,
                         const float* d_out, float* d_x, const RecurrentStateGrads& d_final = {});

}  // namespace nnplay
