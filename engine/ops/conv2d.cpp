#include "ops/conv2d.h"

#include "core/check.h"
#include "kernels/gemm.h"
#include "kernels/vec.h"

namespace nnplay {

void conv2d_forward(float* out, float* col, const float* in, const float* w, const float* b, const ConvGeometry& g,
                    int filters, int n) {
  NNPLAY_ASSERT(n >= 0 && filters > 0);
  const int rows = n * g.out_pixels(), k = g.patch();
  if (rows == 0) return;
  im2col(col, in, g, n);
  // out [rows, filters] = col [rows, k] · w [k, filters]; beta = 0 ignores out's contents. The bias
  // is added as each tile is stored (gemm_bias: the bits of gemm + add_row_bias, one pass less).
  if (b)
    gemm_bias(false, false, rows, filters, k, 1.0f, col, k, w, filters, 0.0f, out, filters, b);
  else
    gemm(false, false, rows, filters, k, 1.0f, col, k, w, filters, 0.0f, out, filters);
}

void conv2d_backward(float* d_in, float* d_w, float* d_b, float* d_col, const float* d_out, const float* col,
                     const float* w, const ConvGeometry& g, int filters, int n) {
  NNPLAY_ASSERT(n >= 0 && filters > 0);
  const int rows = n * g.out_pixels(), k = g.patch();
  if (rows == 0) return;
  // d_w [k, filters] += (col [rows, k])^T · d_out [rows, filters]
  if (d_w) gemm(true, false, k, filters, rows, 1.0f, col, k, d_out, filters, 1.0f, d_w, filters);
  if (d_b) sum_rows(d_b, d_out, rows, filters);
  if (d_in) {
    // d_col [rows, k] = d_out [rows, filters] · (w [k, filters])^T, then scattered back.
    gemm(false, true, rows, k, filters, 1.0f, d_out, filters, w, filters, 0.0f, d_col, k);
    col2im(d_in, d_col, g, n);
  }
}

}  // namespace nnplay
