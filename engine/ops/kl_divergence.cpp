#include "ops/kl_divergence.h"

#include <cmath>
#include <cstddef>

#include "core/scalar_math.h"

namespace nnplay {

double kl_divergence_forward(const float* mean, const float* log_var, int n, int d) {
  if (n <= 0) return 0.0;
  const std::size_t count = static_cast<std::size_t>(n) * static_cast<std::size_t>(d);
  double sum = 0.0;
  for (std::size_t i = 0; i < count; ++i) {
    const double m = mean[i], lv = log_var[i];
    sum += 1.0 + lv - m * m - exp_of(lv);
  }
  return -0.5 * sum / n;
}

void kl_divergence_backward(float* d_mean, float* d_log_var, const float* mean, const float* log_var, int n, int d,
                            float scale) {
  if (n <= 0) return;
  const std::size_t count = static_cast<std::size_t>(n) * static_cast<std::size_t>(d);
  const float s = scale / static_cast<float>(n);
  if (d_mean)
    for (std::size_t i = 0; i < count; ++i) d_mean[i] += s * mean[i];
  if (d_log_var)
    for (std::size_t i = 0; i < count; ++i) d_log_var[i] += s * 0.5f * (std::exp(log_var[i]) - 1.0f);
}

}  // namespace nnplay
