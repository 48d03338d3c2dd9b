// Loss reductions over a batch's outputs: the per-element sums the loss ops (engine/ops) divide
// into their means. Each has a scalar reference (<name>_ref, the specification, in double) and
// an xsimd version: logs in float32 lanes, summed in float over blocks of a few hundred elements
// and in double across blocks, so it agrees with the reference to float precision (relative
// 1e-6 or so), not bit for bit.
#pragma once

#include <cstddef>

namespace nnplay {

// Σ_i −(y[i]·log p + (1 − y[i])·log(1 − p)), p = pred[i] clipped to [lo, hi] (0 < lo < hi < 1).
// A NaN pred stays NaN (the sum is NaN), as the clip passes it through.
double binary_crossentropy_sum_ref(const float* pred, const float* y, std::size_t n, float lo, float hi);
double binary_crossentropy_sum(const float* pred, const float* y, std::size_t n, float lo, float hi);

}  // namespace nnplay
