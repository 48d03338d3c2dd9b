#include "ops/dense.h"

#include <algorithm>
#include <cstddef>

#include "kernels/gemm.h"
#include "kernels/vec.h"

namespace nnplay {

void dense_forward(float* out, const float* in, const float* w, const float* b, int n, int c_in, int c_out) {
  // beta = 0: out's previous contents are ignored.
  gemm(false, false, n, c_out, c_in, 1.0f, in, c_in, w, c_out, 0.0f, out, c_out);
  if (b) add_row_bias(out, b, n, c_out);
}

void dense_backward(float* d_in, float* d_w, float* d_b, const float* d_out, const float* in, const float* w, int n,
                    int c_in, int c_out, bool overwrite_weight_grads) {
  // d_in [n, c_in] += d_out [n, c_out] · (w [c_in, c_out])^T
  if (d_in) gemm(false, true, n, c_in, c_out, 1.0f, d_out, c_out, w, c_out, 1.0f, d_in, c_in);
  if (overwrite_weight_grads) {
    // Zeroing first keeps n = 0 (an empty sum) exact whatever gemm does with k = 0; a bias is
    // small, a kernel is not: gemm with beta = 0 ignores its old contents instead.
    if (d_w && n == 0) std::fill(d_w, d_w + static_cast<std::size_t>(c_in) * static_cast<std::size_t>(c_out), 0.0f);
    if (d_b) std::fill(d_b, d_b + c_out, 0.0f);
  }
  // d_w [c_in, c_out] (+)= (in [n, c_in])^T · d_out [n, c_out]
  if (d_w && n > 0)
    gemm(true, false, c_in, c_out, n, 1.0f, in, c_in, d_out, c_out, overwrite_weight_grads ? 0.0f : 1.0f, d_w, c_out);
  if (d_b) sum_rows(d_b, d_out, n, c_out);
}

}  // namespace nnplay
