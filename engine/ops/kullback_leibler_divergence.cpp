#include "ops/kullback_leibler_divergence.h"

#include <cmath>
#include <cstddef>

#include "core/scalar_math.h"
#include "ops/binary_crossentropy.h"  // kLossEpsilon

namespace nnplay {
namespace {
float clip_unit(float v) { return v < kLossEpsilon ? kLossEpsilon : (v > 1.0f ? 1.0f : v); }
}  // namespace

double kullback_leibler_divergence_forward(const float* pred, const float* y, int n, int k) {
  const std::size_t size = static_cast<std::size_t>(n) * static_cast<std::size_t>(k);
  double sum = 0.0;
  for (std::size_t i = 0; i < size; ++i) {
    if (y[i] == 0.0f) continue;  // 0·log(ε/p): exactly 0, as TF.js's product
    sum += static_cast<double>(y[i]) * log_of(static_cast<double>(clip_unit(y[i])) / clip_unit(pred[i]));
  }
  return sum / static_cast<double>(n);
}

void kullback_leibler_divergence_backward(float* d_pred, const float* pred, const float* y, int n, int k) {
  const std::size_t size = static_cast<std::size_t>(n) * static_cast<std::size_t>(k);
  const double scale = 1.0 / static_cast<double>(n);
  for (std::size_t i = 0; i < size; ++i) {
    const float p = pred[i];
    if (!(p >= kLossEpsilon && p <= 1.0f)) continue;  // clipped: no gradient
    d_pred[i] -= static_cast<float>(scale * y[i] / p);
  }
}

}  // namespace nnplay
