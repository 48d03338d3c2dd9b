#include "ops/squared_hinge.h"

#include <cstddef>

namespace nnplay {

double squared_hinge_forward(const float* pred, const float* y, int n, int k) {
  const std::size_t size = static_cast<std::size_t>(n) * static_cast<std::size_t>(k);
  double sum = 0.0;
  for (std::size_t i = 0; i < size; ++i) {
    const double m = 1.0 - static_cast<double>(y[i]) * static_cast<double>(pred[i]);
    if (m > 0.0) sum += m * m;
  }
  return sum / static_cast<double>(size);
}

void squared_hinge_backward(float* d_pred, const float* pred, const float* y, int n, int k) {
  const std::size_t size = static_cast<std::size_t>(n) * static_cast<std::size_t>(k);
  const float scale = 2.0f / static_cast<float>(size);
  for (std::size_t i = 0; i < size; ++i) {
    const float m = 1.0f - y[i] * pred[i];
    if (m > 0.0f) d_pred[i] -= scale * m * y[i];
  }
}

}  // namespace nnplay
