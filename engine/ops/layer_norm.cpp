#include "ops/layer_norm.h"

#include <cmath>
#include <cstddef>

namespace nnplay {

void layer_norm_forward(float* out, float* xhat, float* inv_std, const float* in, const float* gamma, const float* beta,
                        std::int64_t rows, int c, float eps) {
  const std::size_t cs = static_cast<std::size_t>(c);
  for (std::int64_t r = 0; r < rows; ++r) {
    const float* x = in + static_cast<std::size_t>(r) * cs;
    double sum = 0.0;
    for (std::size_t j = 0; j < cs; ++j) sum += x[j];
    const double mean = sum / c;
    double sq = 0.0;
    for (std::size_t j = 0; j < cs; ++j) sq += (x[j] - mean) * (x[j] - mean);
    const float inv = static_cast<float>(1.0 / std::sqrt(sq / c + eps));
    inv_std[r] = inv;
    float* h = xhat + static_cast<std::size_t>(r) * cs;
    float* y = out + static_cast<std::size_t>(r) * cs;
    for (std::size_t j = 0; j < cs; ++j) {
      h[j] = static_cast<float>(x[j] - mean) * inv;
      y[j] = (gamma ? gamma[j] : 1.0f) * h[j] + (beta ? beta[j] : 0.0f);
    }
  }
}

void layer_norm_backward(float* d_in, float* d_gamma, float* d_beta, const float* d_out, const float* xhat,
                         const float* inv_std, const float* gamma, std::int64_t rows, int c) {
  const std::size_t cs = static_cast<std::size_t>(c);
  for (std::int64_t r = 0; r < rows; ++r) {
    const float* dy = d_out + static_cast<std::size_t>(r) * cs;
    const float* h = xhat + static_cast<std::size_t>(r) * cs;
    // With g = dy·gamma: dx = inv / c · (c·g − Σg − xhat·Σ(g·xhat)).
    double sum_g = 0.0, sum_gh = 0.0;
    for (std::size_t j = 0; j < cs; ++j) {
      const double g = static_cast<double>(dy[j]) * (gamma ? gamma[j] : 1.0f);
      sum_g += g;
      sum_gh += g * h[j];
      if (d_gamma) d_gamma[j] += dy[j] * h[j];
      if (d_beta) d_beta[j] += dy[j];
    }
    if (!d_in) continue;
    float* dx = d_in + static_cast<std::size_t>(r) * cs;
    const double scale = static_cast<double>(inv_std[r]) / c;
    for (std::size_t j = 0; j < cs; ++j) {
      const double g = static_cast<double>(dy[j]) * (gamma ? gamma[j] : 1.0f);
      dx[j] += static_cast<float>(scale * (c * g - sum_g - h[j] * sum_gh));
    }
  }
}

}  // namespace nnplay
