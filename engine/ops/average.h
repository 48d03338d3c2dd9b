// Element-wise mean of k inputs of the same shape (Keras / TF.js `average`).
#pragma once

#include <cstdint>
#include <vector>

namespace nnplay {

// out [count] = (ins[0] + ins[1] + …) · (1/k): summed left to right in float, then scaled by
// the float 1/k, as TF.js computes it. k >= 1. Overwrites out.
void average_forward(float* out, const std::vector<const float*>& ins, std::uint64_t count);

// d_ins[i] [count] += d_out · (1/k) for every non-null d_ins[i]. Accumulates.
void average_backward(const std::vector<float*>& d_ins, const float* d_out, std::uint64_t count);

}  // namespace nnplay
