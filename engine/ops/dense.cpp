#include "ops/dense.h"

#include "kernels/gemm.h"
#include "kernels/vec.h"

namespace nnplay {

void dense_forward(float* out, const float* in, const float* w, const float* b, int n, int c_in, int c_out) {
  // beta = 0: out's previous contents are ignored.
  gemm(false, false, n, c_out, c_in, 1.0f, in, c_in, w, c_out, 0.0f, out, c_out);
  if (b) add_row_bias(out, b, n, c_out);
}

void dense_backward(float* d_in, float* d_w, float* d_b, const float* d_out, const float* in, const float* w, int n,
                    int c_in, int c_out) {
  // d_in [n, c_in] += d_out [n, c_out] · (w [c_in, c_out])^T
  if (d_in) gemm(false, true, n, c_in, c_out, 1.0f, d_out, c_out, w, c_out, 1.0f, d_in, c_in);
  // d_w [c_in, c_out] += (in [n, c_in])^T · d_out [n, c_out]
  if (d_w) gemm(true, false, c_in, c_out, n, 1.0f, in, c_in, d_out, c_out, 1.0f, d_w, c_out);
  if (d_b) sum_rows(d_b, d_out, n, c_out);
}

}  // namespace nnplay
