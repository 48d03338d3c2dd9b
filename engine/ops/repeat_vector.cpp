#include "ops/repeat_vector.h"

#include <cstddef>
#include <cstring>

namespace nnplay {

void repeat_vector_forward(float* out, const float* in, int samples, int n, int f) {
  const std::size_t row = static_cast<std::size_t>(f);
  for (int s = 0; s < samples; ++s) {
    const float* x = in + static_cast<std::size_t>(s) * row;
    float* y = out + static_cast<std::size_t>(s) * n * row;
    for (int t = 0; t < n; ++t)
      if (row) std::memcpy(y + static_cast<std::size_t>(t) * row, x, row * sizeof(float));
  }
}

void repeat_vector_backward(float* d_in, const float* d_out, int samples, int n, int f) {
  const std::size_t row = static_cast<std::size_t>(f);
  for (int s = 0; s < samples; ++s) {
    float* dx = d_in + static_cast<std::size_t>(s) * row;
    const float* dy = d_out + static_cast<std::size_t>(s) * n * row;
    for (int t = 0; t < n; ++t)
      for (std::size_t j = 0; j < row; ++j) dx[j] += dy[static_cast<std::size_t>(t) * row + j];
  }
}

}  // namespace nnplay
