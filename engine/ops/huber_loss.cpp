#include "ops/huber_loss.h"

#include <cmath>
#include <cstddef>

namespace nnplay {

double huber_loss_forward(const float* pred, const float* y, int n, int k, float delta) {
  const std::size_t size = static_cast<std::size_t>(n) * static_cast<std::size_t>(k);
  const double d = delta;
  double sum = 0.0;
  for (std::size_t i = 0; i < size; ++i) {
    const double e = std::fabs(static_cast<double>(pred[i]) - static_cast<double>(y[i]));
    const double q = e < d ? e : d;
    sum += 0.5 * q * q + d * (e - q);
  }
  return sum / static_cast<double>(size);
}

void huber_loss_backward(float* d_pred, const float* pred, const float* y, int n, int k, float delta) {
  const std::size_t size = static_cast<std::size_t>(n) * static_cast<std::size_t>(k);
  const float scale = 1.0f / static_cast<float>(size);
  for (std::size_t i = 0; i < size; ++i) {
    const float e = pred[i] - y[i];
    // At |e| = δ both pieces meet with slope δ; TF.js's minimum sends the gradient to the quadratic.
    const float g = std::fabs(e) <= delta ? e : (e > 0.0f ? delta : -delta);
    d_pred[i] += scale * g;
  }
}

}  // namespace nnplay
