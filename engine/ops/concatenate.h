// Concatenation op along one axis of k inputs, seen per input as [outer, chunk_i]: outer is the
// product of the axes before the concatenation axis (the batch included), chunk_i the product of
// input i's axes from it on. The output row o is input 0's chunk, then input 1's, …
#pragma once

#include <cstdint>
#include <vector>

namespace nnplay {

// out [outer, Σ chunk_i] = [in_0[o] | in_1[o] | …] for each o. Overwrites out.
void concatenate_forward(float* out, const std::vector<const float*>& ins, const std::vector<std::int64_t>& chunks,
                         std::int64_t outer);

// d_ins[i] [outer, chunk_i] += its columns of d_out. Null d_ins[i] are skipped. Accumulates.
void concatenate_backward(const std::vector<float*>& d_ins, const float* d_out, const std::vector<std::int64_t>& chunks,
                          std::int64_t outer);

}  // namespace nnplay
