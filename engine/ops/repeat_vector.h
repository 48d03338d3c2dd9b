// repeatVector (Keras / TF.js): each sample's vector [f] repeated n times as a sequence [n, f].
#pragma once

namespace nnplay {

// in [samples, f] → out [samples, n, f]. Overwrites out.
void repeat_vector_forward(float* out, const float* in, int samples, int n, int f);

// d_in [samples, f] += Σ over the n copies of d_out [samples, n, f]. Accumulates.
void repeat_vector_backward(float* d_in, const float* d_out, int samples, int n, int f);

}  // namespace nnplay
