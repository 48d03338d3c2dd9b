#include "ops/hinge.h"

#include <cstddef>

namespace nnplay {

double hinge_forward(const float* pred, const float* y, int n, int k) {
  const std::size_t size = static_cast<std::size_t>(n) * static_cast<std::size_t>(k);
  double sum = 0.0;
  for (std::size_t i = 0; i < size; ++i) {
    const double m = 1.0 - static_cast<double>(y[i]) * static_cast<double>(pred[i]);
    if (m > 0.0) sum += m;
  }
  return sum / static_cast<double>(size);
}

void hinge_backward(float* d_pred, const float* pred, const float* y, int n, int k) {
  const std::size_t size = static_cast<std::size_t>(n) * static_cast<std::size_t>(k);
  const float scale = 1.0f / static_cast<float>(size);
  for (std::size_t i = 0; i < size; ++i)
    if (1.0f - y[i] * pred[i] > 0.0f) d_pred[i] -= scale * y[i];
}

}  // namespace nnplay
