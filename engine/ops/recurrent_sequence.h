// What the recurrent ops (ops/simple_rnn.h, ops/lstm.h, ops/gru.h) share: the shape of one
// pass, the weights in Keras layout, their gradients, and the buffers of one forward that its
// backward (backpropagation through time) reads.
//
// Layout. A sequence arrives sample-major, x [n, steps, features]. The ops work step-major in
// *processing order* (step s reads input t = goBackwards ? steps−1−s : s): every step's rows
// are then one contiguous [n, ·] block, so each step is one GEMM on whole blocks, and the input
// projection of all steps is a single GEMM [steps·n, features]·[features, k·units] before the
// loop. Gates are interleaved per row in Keras order (LSTM i, f, c, o; GRU z, r, h), exactly as
// the kernel's columns, so weights move to and from TF.js / Keras without transposes.
//
// Outputs follow Keras: with returnSequences, out[i, s] is h after step s (processing order, so
// goBackwards returns the reversed sequence); without, out[i] is h after the last step.
#pragma once

#include <cstddef>
#include <vector>

#include "ops/activation.h"

namespace nnplay {

struct RecurrentShape {
  int n = 0, steps = 0, features = 0, units = 0;
  int gates = 1;  // k: 1 SimpleRNN, 4 LSTM, 3 GRU
  bool return_sequences = false;
  bool go_backwards = false;
  std::size_t rows() const { return static_cast<std::size_t>(n) * static_cast<std::size_t>(steps); }
  int width() const { return gates * units; }  // k·units: one row of pre-activations
};

struct RecurrentWeights {
  const float* kernel = nullptr;     // [features, k·units]
  const float* recurrent = nullptr;  // [units, k·units]
  const float* bias = nullptr;       // [k·units] (GRU resetAfter: [2, 3·units], input row then recurrent row) or null
  ActivationKind activation = ActivationKind::kTanh;
  float activation_alpha = 0.0f;
  ActivationKind recurrent_activation = ActivationKind::kSigmoid;  // LSTM / GRU gates
  bool reset_after = false;                                        // GRU
};

// Accumulated (+=) by backward; any may be null (frozen weights). Same layouts as the weights.
struct RecurrentGrads {
  float* kernel = nullptr;
  float* recurrent = nullptr;
  float* bias = nullptr;
};

// Gradients arriving at the final state (Keras returnState: the layer also returns h_T, and
// for LSTM c_T): [n, units] each, in sample order, or null (nothing uses that state). Backward
// starts its carries from them instead of zero; "final" is after the last step in processing
// order, so a goBackwards layer's h_T is the state after reading input step 0.
struct RecurrentStateGrads {
  const float* h = nullptr;
  const float* c = nullptr;  // LSTM only
};

// One forward's state, step-major in processing order, kept for backward and for reading the
// state per step (node payloads). Sized by recurrent_resize() for the batch; vectors keep their
// capacity, so a steady batch size allocates nothing after the first pass.
struct RecurrentBuffers {
  std::vector<float> xs;     // [steps, n, features]: the input, reordered
  std::vector<float> z;      // [steps, n, k·units]: pre-activations of the gates
  std::vector<float> gates;  // [steps, n, k·units]: activated gates (LSTM i f c̃ o, GRU z r h̃); unused by SimpleRNN
  std::vector<float> h;      // [steps + 1, n, units]: h before step 0 (zeros), then after each step
  std::vector<float> c;      // LSTM: [steps + 1, n, units], the cell state likewise
  std::vector<float> act_c;  // LSTM: [steps, n, units], activation(c)
  std::vector<float> rh;     // GRU: [steps, n, units]: r ⊙ h_prev (resetAfter false) or h_prev·R_h + b_h (true)
  // Dropout (training only; empty otherwise), set by the layer before the forward: inverted masks
  // (0 or 1 / (1 − rate)) drawn once per sequence, so every step of a sample drops the same
  // features and the same units (Keras / TF.js recurrent dropout, one mask per input shared by
  // the gates as TF.js's implementation 2 and Keras 3).
  std::vector<float> input_mask;      // [n, features]: xs = x ⊙ mask at every step
  std::vector<float> recurrent_mask;  // [n, units]: the cell reads h_{t−1} ⊙ mask
  std::vector<float> hm;              // [steps, n, units]: h_{t−1} ⊙ recurrent_mask, when masked
  // backward only
  std::vector<float> dz, drec, dxs;
  std::vector<float> dh, carry_h, carry_c, scratch, scratch2;
};

// Floats per sample the forward buffers hold (predict chunking); the dropout flags add the masks.
std::size_t recurrent_forward_floats_per_sample(const RecurrentShape& s, bool lstm, bool gru,
                                                bool input_dropout = false, bool recurrent_dropout = false);
void recurrent_resize_forward(RecurrentBuffers& b, const RecurrentShape& s, bool lstm, bool gru);
// Also starts the carries: carry_h = d_final.h, carry_c = d_final.c (zero where null).
void recurrent_resize_backward(RecurrentBuffers& b, const RecurrentShape& s, bool gru_reset_after,
                               const RecurrentStateGrads& d_final);

// xs[s, i, :] = x[i, t(s), :] (⊙ input_mask[i] when set), and the initial states zeroed; then
// z = xs · kernel + input bias.
void recurrent_begin_forward(const RecurrentShape& s, const RecurrentWeights& w, const float* x, RecurrentBuffers& b);
// The previous state as step `step`'s cell reads it, [n, units]: h_{step−1}, or with a recurrent
// mask hm[step] = h_{step−1} ⊙ mask (written here). Call once per step, after h_{step−1} exists.
const float* recurrent_read_state(const RecurrentShape& s, RecurrentBuffers& b, int step);
// Every step's previous state as the cells read it, [steps, n, units] from step 0 (h or hm):
// the left operand of the recurrent kernel's gradient.
const float* recurrent_read_states(const RecurrentBuffers& b);
// ∂L/∂h_{t−1} from ∂L/∂(the state the cell read): carry ⊙= recurrent_mask (nothing without one).
void recurrent_mask_carry(const RecurrentShape& s, const RecurrentBuffers& b, float* carry);
// out from b.h (see the top of this file).
void recurrent_write_output(const RecurrentShape& s, const RecurrentBuffers& b, float* out);
// dh [n, units] = carry [n, units] + the part of d_out that lands on step s.
void recurrent_step_gradient(const RecurrentShape& s, int step, const float* d_out, const float* carry, float* dh);
// After the step loop: d_kernel += xsᵀ·dz, d_bias(input part) += Σ dz, d_x[i, t(s)] += (dz · kernelᵀ)[s, i]
// (⊙ input_mask[i] when set).
void recurrent_finish_backward(const RecurrentShape& s, const RecurrentWeights& w, RecurrentGrads& g,
                               RecurrentBuffers& b, float* d_x);

// A gate's activation on the [n, units] column block at `offset` of rows of stride `ld`.
void gate_forward(float* out, const float* in, ActivationKind kind, float alpha, int n, int units, int ld, int offset);
// d_in (same layout) += d_out ⊙ f'(·) on that block; d_out, in and out share the layout.
void gate_backward(float* d_in, const float* d_out, const float* in, const float* out, ActivationKind kind, float alpha,
                   int n, int units, int ld, int offset);

}  // namespace nnplay
