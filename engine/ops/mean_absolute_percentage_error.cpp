#include "ops/mean_absolute_percentage_error.h"

#include <cmath>
#include <cstddef>

#include "ops/binary_crossentropy.h"  // kLossEpsilon

namespace nnplay {
namespace {
// max(|y|, ε), as TF.js clips the magnitude of the target (float32).
float clipped_magnitude(float y) {
  const float a = std::fabs(y);
  return a < kLossEpsilon ? kLossEpsilon : a;
}
}  // namespace

double mean_absolute_percentage_error_forward(const float* pred, const float* y, int n, int k) {
  const std::size_t size = static_cast<std::size_t>(n) * static_cast<std::size_t>(k);
  double sum = 0.0;
  for (std::size_t i = 0; i < size; ++i)
    sum += std::fabs((static_cast<double>(y[i]) - static_cast<double>(pred[i])) / clipped_magnitude(y[i]));
  return 100.0 * sum / static_cast<double>(size);
}

void mean_absolute_percentage_error_backward(float* d_pred, const float* pred, const float* y, int n, int k) {
  const std::size_t size = static_cast<std::size_t>(n) * static_cast<std::size_t>(k);
  const double scale = 100.0 / static_cast<double>(size);
  for (std::size_t i = 0; i < size; ++i) {
    const float e = pred[i] - y[i];
    if (e == 0.0f) continue;
    d_pred[i] += static_cast<float>((e > 0.0f ? scale : -scale) / clipped_magnitude(y[i]));
  }
}

}  // namespace nnplay
