#include "ops/embedding.h"

#include <algorithm>
#include <cmath>

namespace nnplay {

void embedding_forward(float* out, const float* ids, const float* table, std::size_t rows, int dim) {
  const std::size_t d = static_cast<std::size_t>(dim);
  for (std::size_t r = 0; r < rows; ++r) {
    const std::size_t id = static_cast<std::size_t>(ids[r]);
    std::copy_n(table + id * d, d, out + r * d);
  }
}

void embedding_backward(float* d_table, const float* d_out, const float* ids, std::size_t rows, int dim) {
  const std::size_t d = static_cast<std::size_t>(dim);
  for (std::size_t r = 0; r < rows; ++r) {
    float* row = d_table + static_cast<std::size_t>(ids[r]) * d;
    const float* g = d_out + r * d;
    for (std::size_t j = 0; j < d; ++j) row[j] += g[j];
  }
}

std::size_t embedding_find_bad_id(const float* ids, std::size_t rows, int input_dim) {
  const float limit = static_cast<float>(input_dim);
  for (std::size_t r = 0; r < rows; ++r) {
    const float id = ids[r];
    // !(id >= 0) also catches NaN.
    if (!(id >= 0.0f) || !(id < limit) || std::floor(id) != id) return r;
  }
  return rows;
}

}  // namespace nnplay
