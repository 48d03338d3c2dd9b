#include "ops/log_cosh.h"

#include <cmath>
#include <cstddef>

#include "core/scalar_math.h"

namespace nnplay {

double log_cosh_forward(const float* pred, const float* y, int n, int k) {
  const std::size_t size = static_cast<std::size_t>(n) * static_cast<std::size_t>(k);
  const double log2 = log_of(2.0);
  double sum = 0.0;
  for (std::size_t i = 0; i < size; ++i) {
    const double a = std::fabs(static_cast<double>(pred[i]) - static_cast<double>(y[i]));
    sum += a + std::log1p(exp_of(-2.0 * a)) - log2;
  }
  return sum / static_cast<double>(size);
}

void log_cosh_backward(float* d_pred, const float* pred, const float* y, int n, int k) {
  const std::size_t size = static_cast<std::size_t>(n) * static_cast<std::size_t>(k);
  const float scale = 1.0f / static_cast<float>(size);
  for (std::size_t i = 0; i < size; ++i) d_pred[i] += scale * std::tanh(pred[i] - y[i]);
}

}  // namespace nnplay
