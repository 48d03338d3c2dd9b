#include "ops/gaussian_sampling.h"

#include <cmath>

namespace nnplay {

void gaussian_noise(float* eps, std::uint64_t count, Rng& rng) {
  for (std::uint64_t i = 0; i < count; ++i) eps[i] = rng.normal();
}

void gaussian_sampling_forward(float* z, const float* mean, const float* log_var, const float* eps,
                               std::uint64_t count) {
  for (std::uint64_t i = 0; i < count; ++i) z[i] = mean[i] + std::exp(0.5f * log_var[i]) * eps[i];
}

void gaussian_sampling_backward(float* d_mean, float* d_log_var, const float* d_z, const float* log_var,
                                const float* eps, std::uint64_t count) {
  if (d_mean)
    for (std::uint64_t i = 0; i < count; ++i) d_mean[i] += d_z[i];
  if (d_log_var)
    for (std::uint64_t i = 0; i < count; ++i) d_log_var[i] += d_z[i] * 0.5f * std::exp(0.5f * log_var[i]) * eps[i];
}

}  // namespace nnplay
