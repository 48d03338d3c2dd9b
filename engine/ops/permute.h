// permute (Keras / TF.js): each sample's axes reordered, out axis d = in axis perm[d].
#pragma once

#include <cstddef>
#include <vector>

namespace nnplay {

// For each position of one output sample (row-major), the position of the input sample it reads;
// in_shape is one sample's shape, perm a permutation of 0 … rank − 1. Computed once per layer,
// so a pass allocates nothing.
std::vector<std::size_t> permute_source_index(const std::vector<int>& in_shape, const std::vector<int>& perm);

// out [n, size] = in [n, size] read through src. Overwrites out.
void permute_forward(float* out, const float* in, int n, const std::vector<std::size_t>& src);

// d_in [n, size] += d_out written back through src (the inverse permutation). Accumulates.
void permute_backward(float* d_in, const float* d_out, int n, const std::vector<std::size_t>& src);

}  // namespace nnplay
