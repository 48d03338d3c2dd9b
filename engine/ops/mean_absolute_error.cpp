#include "ops/mean_absolute_error.h"

#include <cmath>
#include <cstddef>

namespace nnplay {

double mean_absolute_error_forward(const float* pred, const float* y, int n, int k) {
  const std::size_t size = static_cast<std::size_t>(n) * static_cast<std::size_t>(k);
  double sum = 0.0;
  for (std::size_t i = 0; i < size; ++i) sum += std::fabs(static_cast<double>(pred[i]) - static_cast<double>(y[i]));
  return sum / static_cast<double>(size);
}

void mean_absolute_error_backward(float* d_pred, const float* pred, const float* y, int n, int k) {
  const std::size_t size = static_cast<std::size_t>(n) * static_cast<std::size_t>(k);
  const float scale = 1.0f / static_cast<float>(size);
  for (std::size_t i = 0; i < size; ++i) {
    const float e = pred[i] - y[i];
    d_pred[i] += e > 0.0f ? scale : (e < 0.0f ? -scale : 0.0f);
  }
}

}  // namespace nnplay
