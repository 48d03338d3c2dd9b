// Element-wise maximum of k inputs of the same shape (Keras / TF.js `maximum`).
#pragma once

#include <cstdint>
#include <vector>

namespace nnplay {

// out [count] = the largest of ins[0][e], ins[1][e], … k >= 1. Overwrites out.
void maximum_forward(float* out, const std::vector<const float*>& ins, std::uint64_t count);

// d_ins[w] [count] += d_out, where w is the first input holding the largest value (on a tie the
// earliest wins, as TF.js's chain of pairwise tf.maximum sends the gradient); the others get
// nothing. Null d_ins[i] are skipped. Accumulates.
void maximum_backward(const std::vector<float*>& d_ins, const std::vector<const float*>& ins, const float* d_out,
                      std::uint64_t count);

}  // namespace nnplay
