#include "ops/mean_squared_logarithmic_error.h"

#include <cmath>
#include <cstddef>

#include "core/scalar_math.h"
#include "ops/binary_crossentropy.h"  // kLossEpsilon

namespace nnplay {
namespace {
// log(1 + max(v, ε)) with the sum rounded to float first, as TF.js adds in float32 before its log:
// for small values that rounding is the larger part of the difference between the two, so
// taking it the same way keeps the loss equal to TF.js's to float rounding.
double log1p_clipped(float v) { return log_of(static_cast<double>(1.0f + (v < kLossEpsilon ? kLossEpsilon : v))); }
}  // namespace

double mean_squared_logarithmic_error_forward(const float* pred, const float* y, int n, int k) {
  const std::size_t size = static_cast<std::size_t>(n) * static_cast<std::size_t>(k);
  double sum = 0.0;
  for (std::size_t i = 0; i < size; ++i) {
    const double e = log1p_clipped(pred[i]) - log1p_clipped(y[i]);
    sum += e * e;
  }
  return sum / static_cast<double>(size);
}

void mean_squared_logarithmic_error_backward(float* d_pred, const float* pred, const float* y, int n, int k) {
  const std::size_t size = static_cast<std::size_t>(n) * static_cast<std::size_t>(k);
  const double scale = 2.0 / static_cast<double>(size);
  for (std::size_t i = 0; i < size; ++i) {
    if (pred[i] < kLossEpsilon) continue;
    const double e = log1p_clipped(pred[i]) - log1p_clipped(y[i]);
    d_pred[i] += static_cast<float>(scale * e / (1.0 + static_cast<double>(pred[i])));
  }
}

}  // namespace nnplay
