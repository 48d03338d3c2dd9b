#include "ops/conv2d_transpose.h"

#include <cstddef>

#include "core/check.h"
#include "kernels/gemm.h"
#include "kernels/vec.h"

namespace nnplay {

void conv2d_transpose_forward(float* out, float* col, const float* in, const float* w, const float* b,
                              const ConvGeometry& g, int in_channels, int n) {
  NNPLAY_ASSERT(n >= 0 && in_channels > 0);
  const int rows = n * g.out_pixels(), k = g.patch();
  if (rows == 0) return;
  // col [rows, k] = in [rows, in_channels] · (w [k, in_channels])ᵀ; beta 0 ignores col's contents.
  gemm(false, true, rows, k, in_channels, 1.0f, in, in_channels, w, in_channels, 0.0f, col, k);
  const std::size_t out_count = static_cast<std::size_t>(n) * g.h * g.w * g.c;
  for (std::size_t i = 0; i < out_count; ++i) out[i] = 0.0f;  // col2im accumulates
  col2im(out, col, g, n);
  if (b) add_row_bias(out, b, n * g.h * g.w, g.c);
}

void conv2d_transpose_backward(float* d_in, float* d_w, float* d_b, float* col, const float* d_out, const float* in,
                               const float* w, const ConvGeometry& g, int in_channels, int n) {
  NNPLAY_ASSERT(n >= 0 && in_channels > 0);
  const int rows = n * g.out_pixels(), k = g.patch();
  if (rows == 0) return;
  if (d_b) sum_rows(d_b, d_out, n * g.h * g.w, g.c);
  if (!d_in && !d_w) return;
  im2col(col, d_out, g, n);
  // d_in [rows, in_channels] += col [rows, k] · w [k, in_channels]
  if (d_in) gemm(false, false, rows, in_channels, k, 1.0f, col, k, w, in_channels, 1.0f, d_in, in_channels);
  // d_w [k, in_channels] += (col [rows, k])ᵀ · in [rows, in_channels]
  if (d_w) gemm(true, false, k, in_channels, rows, 1.0f, col, k, in, in_channels, 1.0f, d_w, in_channels);
}

}  // namespace nnplay
