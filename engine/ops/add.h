// Element-wise sum of k inputs of the same shape (Keras `add`).
#pragma once

#include <cstdint>
#include <vector>

namespace nnplay {

// out [count] = Σ_i ins[i] [count]. k >= 1. Overwrites out.
void add_forward(float* out, const std::vector<const float*>& ins, std::uint64_t count);

// d_ins[i] [count] += d_out for every non-null d_ins[i]. Accumulates.
void add_backward(const std::vector<float*>& d_ins, const float* d_out, std::uint64_t count);

}  // namespace nnplay
