#include "ops/batch_norm.h"

#include <cmath>
#include <vector>

#include "core/check.h"

namespace nnplay {

void batch_norm_statistics(float* mean, float* var, const float* x, std::int64_t rows, int c) {
  NNPLAY_ASSERT(rows >= 1 && c >= 1);
  std::vector<double> sum(static_cast<std::size_t>(c), 0.0);
  for (std::int64_t r = 0; r < rows; ++r) {
    const float* row = x + r * c;
    for (int ch = 0; ch < c; ++ch) sum[ch] += row[ch];
  }
  for (int ch = 0; ch < c; ++ch) sum[ch] /= static_cast<double>(rows);
  // Second pass around the mean: no cancellation when |mean| >> std.
  std::vector<double> sq(static_cast<std::size_t>(c), 0.0);
  for (std::int64_t r = 0; r < rows; ++r) {
    const float* row = x + r * c;
    for (int ch = 0; ch < c; ++ch) {
      const double d = row[ch] - sum[ch];
      sq[ch] += d * d;
    }
  }
  for (int ch = 0; ch < c; ++ch) {
    mean[ch] = static_cast<float>(sum[ch]);
    var[ch] = static_cast<float>(sq[ch] / static_cast<double>(rows));
  }
}

void batch_norm_inv_std(float* inv_std, const float* var, float eps, int c) {
  for (int ch = 0; ch < c; ++ch) inv_std[ch] = 1.0f / std::sqrt(var[ch] + eps);
}

void batch_norm_forward(float* out, const float* x, const float* mean, const float* inv_std, const float* gamma,
                        const float* beta, std::int64_t rows, int c) {
  // Fold into out = x · a + b per channel: a = gamma · inv_std, b = beta − mean · a.
  std::vector<float> a(static_cast<std::size_t>(c)), b(static_cast<std::size_t>(c));
  for (int ch = 0; ch < c; ++ch) {
    a[ch] = (gamma ? gamma[ch] : 1.0f) * inv_std[ch];
    b[ch] = (beta ? beta[ch] : 0.0f) - mean[ch] * a[ch];
  }
  for (std::int64_t r = 0; r < rows; ++r) {
    const float* __restrict__ xr = x + r * c;
    float* __restrict__ o = out + r * c;
    for (int ch = 0; ch < c; ++ch) o[ch] = xr[ch] * a[ch] + b[ch];
  }
}

namespace {

// Σ_rows d_out and Σ_rows d_out · x̂ per channel, in double.
void affine_sums(std::vector<double>& sum_d, std::vector<double>& sum_dx, const float* d_out, const float* x,
                 const float* mean, const float* inv_std, std::int64_t rows, int c) {
  sum_d.assign(static_cast<std::size_t>(c), 0.0);
  sum_dx.assign(static_cast<std::size_t>(c), 0.0);
  for (std::int64_t r = 0; r < rows; ++r) {
    const float* xr = x + r * c;
    const float* dr = d_out + r * c;
    for (int ch = 0; ch < c; ++ch) {
      const float x_hat = (xr[ch] - mean[ch]) * inv_std[ch];
      sum_d[ch] += dr[ch];
      sum_dx[ch] += static_cast<double>(dr[ch]) * x_hat;
    }
  }
}

void accumulate_affine(float* d_gamma, float* d_beta, const std::vector<double>& sum_d,
                       const std::vector<double>& sum_dx, int c) {
  for (int ch = 0; ch < c; ++ch) {
    if (d_gamma) d_gamma[ch] += static_cast<float>(sum_dx[ch]);
    if (d_beta) d_beta[ch] += static_cast<float>(sum_d[ch]);
  }
}

}  // namespace

void batch_norm_backward_training(float* d_x, float* d_gamma, float* d_beta, const float* d_out, const float* x,
                                  const float* mean, const float* inv_std, const float* gamma, std::int64_t rows,
                                  int c) {
  NNPLAY_ASSERT(rows >= 1);
  std::vector<double> sum_d, sum_dx;
  affine_sums(sum_d, sum_dx, d_out, x, mean, inv_std, rows, c);
  accumulate_affine(d_gamma, d_beta, sum_d, sum_dx, c);
  if (!d_x) return;
  // With g = gamma · d_out: mean_rows(g) = gamma · sum_d / rows, mean_rows(g · x̂) = gamma · sum_dx / rows.
  std::vector<float> k(static_cast<std::size_t>(c)), mean_g(static_cast<std::size_t>(c)),
      mean_gx(static_cast<std::size_t>(c));
  for (int ch = 0; ch < c; ++ch) {
    const double g = gamma ? gamma[ch] : 1.0;
    k[ch] = static_cast<float>(g * inv_std[ch]);
    mean_g[ch] = static_cast<float>(sum_d[ch] / static_cast<double>(rows));
    mean_gx[ch] = static_cast<float>(sum_dx[ch] / static_cast<double>(rows));
  }
  // d_x = gamma · inv_std · (d_out − mean(d_out) − x̂ · mean(d_out · x̂)).
  for (std::int64_t r = 0; r < rows; ++r) {
    const float* __restrict__ xr = x + r * c;
    const float* __restrict__ dr = d_out + r * c;
    float* __restrict__ o = d_x + r * c;
    for (int ch = 0; ch < c; ++ch) {
      const float x_hat = (xr[ch] - mean[ch]) * inv_std[ch];
      o[ch] += k[ch] * (dr[ch] - mean_g[ch] - x_hat * mean_gx[ch]);
    }
  }
}

void batch_norm_backward_inference(float* d_x, float* d_gamma, float* d_beta, const float* d_out, const float* x,
                                   const float* mean, const float* inv_std, const float* gamma, std::int64_t rows,
                                   int c) {
  if (d_gamma || d_beta) {
    std::vector<double> sum_d, sum_dx;
    affine_sums(sum_d, sum_dx, d_out, x, mean, inv_std, rows, c);
    accumulate_affine(d_gamma, d_beta, sum_d, sum_dx, c);
  }
  if (!d_x) return;
  std::vector<float> k(static_cast<std::size_t>(c));
  for (int ch = 0; ch < c; ++ch) k[ch] = (gamma ? gamma[ch] : 1.0f) * inv_std[ch];
  for (std::int64_t r = 0; r < rows; ++r) {
    const float* __restrict__ dr = d_out + r * c;
    float* __restrict__ o = d_x + r * c;
    for (int ch = 0; ch < c; ++ch) o[ch] += dr[ch] * k[ch];
  }
}

void moving_average_update(float* moving, const float* batch, float momentum, int c) {
  const float decay = 1.0f - momentum;
  for (int ch = 0; ch < c; ++ch) moving[ch] = moving[ch] - (moving[ch] - batch[ch]) * decay;
}

}  // namespace nnplay
