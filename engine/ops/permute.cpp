#include "ops/permute.h"

namespace nnplay {

std::vector<std::size_t> permute_source_index(const std::vector<int>& in_shape, const std::vector<int>& perm) {
  const std::size_t rank = in_shape.size();
  std::vector<std::size_t> in_strides(rank, 1);
  for (std::size_t d = rank; d-- > 1;) in_strides[d - 1] = in_strides[d] * static_cast<std::size_t>(in_shape[d]);
  std::size_t size = 1;
  for (int s : in_shape) size *= static_cast<std::size_t>(s);
  std::vector<std::size_t> src(size);
  std::vector<int> at(rank, 0);  // the output coordinates, counted row-major
  for (std::size_t o = 0; o < size; ++o) {
    std::size_t i = 0;
    for (std::size_t d = 0; d < rank; ++d) i += static_cast<std::size_t>(at[d]) * in_strides[perm[d]];
    src[o] = i;
    for (std::size_t d = rank; d-- > 0;) {
      if (++at[d] < in_shape[perm[d]]) break;
      at[d] = 0;
    }
  }
  return src;
}

void permute_forward(float* out, const float* in, int n, const std::vector<std::size_t>& src) {
  const std::size_t size = src.size();
  for (int s = 0; s < n; ++s) {
    const float* x = in + static_cast<std::size_t>(s) * size;
    float* y = out + static_cast<std::size_t>(s) * size;
    for (std::size_t o = 0; o < size; ++o) y[o] = x[src[o]];
  }
}

void permute_backward(float* d_in, const float* d_out, int n, const std::vector<std::size_t>& src) {
  const std::size_t size = src.size();
  for (int s = 0; s < n; ++s) {
    float* dx = d_in + static_cast<std::size_t>(s) * size;
    const float* dy = d_out + static_cast<std::size_t>(s) * size;
    for (std::size_t o = 0; o < size; ++o) dx[src[o]] += dy[o];
  }
}

}  // namespace nnplay
