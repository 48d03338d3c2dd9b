#include "ops/poisson.h"

#include <cmath>
#include <cstddef>

#include "core/scalar_math.h"
#include "ops/binary_crossentropy.h"  // kLossEpsilon

namespace nnplay {

double poisson_forward(const float* pred, const float* y, int n, int k) {
  const std::size_t size = static_cast<std::size_t>(n) * static_cast<std::size_t>(k);
  double sum = 0.0;
  for (std::size_t i = 0; i < size; ++i) {
    const double p = pred[i];
    sum += p - static_cast<double>(y[i]) * log_of(p + kLossEpsilon);
  }
  return sum / static_cast<double>(size);
}

void poisson_backward(float* d_pred, const float* pred, const float* y, int n, int k) {
  const std::size_t size = static_cast<std::size_t>(n) * static_cast<std::size_t>(k);
  const double scale = 1.0 / static_cast<double>(size);
  for (std::size_t i = 0; i < size; ++i)
    d_pred[i] +=
        static_cast<float>(scale * (1.0 - static_cast<double>(y[i]) / (static_cast<double>(pred[i]) + kLossEpsilon)));
}

}  // namespace nnplay
