// Element-wise product of k inputs of the same shape (Keras / TF.js `multiply`).
#pragma once

#include <cstdint>
#include <vector>

namespace nnplay {

// out [count] = ins[0] · ins[1] · …, multiplied left to right in float as TF.js does. k >= 1.
// Overwrites out.
void multiply_forward(float* out, const std::vector<const float*>& ins, std::uint64_t count);

// d_ins[i] [count] += d_out · Π_{j≠i} ins[j] for every non-null d_ins[i] (the product of the
// others taken directly, not out / ins[i], so a zero input gets its gradient). Accumulates.
void multiply_backward(const std::vector<float*>& d_ins, const std::vector<const float*>& ins, const float* d_out,
                       std::uint64_t count);

}  // namespace nnplay
