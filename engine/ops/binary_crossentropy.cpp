#include "ops/binary_crossentropy.h"

#include <cstddef>

#include "kernels/loss_kernels.h"

namespace nnplay {
namespace {
// 1 − ε rounded to float32, as TF.js clips float32 tensors.
const float kHi = 1.0f - kLossEpsilon;
}  // namespace

double binary_crossentropy_forward(const float* pred, const float* y, int n, int k) {
  const std::size_t size = static_cast<std::size_t>(n) * static_cast<std::size_t>(k);
  return binary_crossentropy_sum(pred, y, size, kLossEpsilon, kHi) / static_cast<double>(size);
}

void binary_crossentropy_backward(float* d_pred, const float* pred, const float* y, int n, int k) {
  const std::size_t size = static_cast<std::size_t>(n) * static_cast<std::size_t>(k);
  const double scale = 1.0 / static_cast<double>(size);
  for (std::size_t i = 0; i < size; ++i) {
    float p = pred[i];
    if (!(p >= kLossEpsilon && p <= kHi)) continue;  // clipped: no gradient
    double pd = p;
    d_pred[i] += static_cast<float>(scale * (pd - y[i]) / (pd * (1.0 - pd)));
  }
}

void binary_crossentropy_sigmoid_backward(float* d_logits, const float* pred, const float* y, int n, int k) {
  const std::size_t size = static_cast<std::size_t>(n) * static_cast<std::size_t>(k);
  const float scale = 1.0f / static_cast<float>(size);
  for (std::size_t i = 0; i < size; ++i) d_logits[i] += scale * (pred[i] - y[i]);
}

}  // namespace nnplay
