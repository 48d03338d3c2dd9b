// Element-wise maximum or minimum of k inputs of the same shape (Keras / TF.js `maximum`,
// `minimum`): one op, the comparison is the argument.
#pragma once

#include <cstdint>
#include <vector>

namespace nnplay {

enum class Extremum { kMaximum, kMinimum };

// out [count] = the largest (kMaximum) or smallest (kMinimum) of ins[0][e], ins[1][e], … k >= 1.
// Overwrites out.
void extremum_forward(float* out, const std::vector<const float*>& ins, std::uint64_t count, Extremum which);

// d_ins[w] [count] += d_out, where w is the first input holding the extreme value (on a tie the
// earliest wins, as TF.js's chain of pairwise tf.maximum / tf.minimum sends the gradient); the
// others get nothing. Null d_ins[i] are skipped. Accumulates.
void extremum_backward(const std::vector<float*>& d_ins, const std::vector<const float*>& ins, const float* d_out,
                       std::uint64_t count, Extremum which);

}  // namespace nnplay
