// GEMM: C = alpha·op(A)·op(B) + beta·C, row-major, float32.
//
// op(A) is [m, k]: A itself ([m, k], lda >= k) or, with trans_a, A stored [k, m] (lda >= m).
// op(B) is [k, n]: B itself ([k, n], ldb >= n) or, with trans_b, B stored [n, k] (ldb >= k).
// C is [m, n] with ldc >= n. beta == 0 means C is overwritten (its old contents, even NaN,
// are ignored); beta == 1 accumulates (dense backward uses it for d_W +=).
//
// gemm_ref is the specification (plain loops, no blocking). gemm is the xsimd version and
// must match gemm_ref to float rounding on every shape, tails included.
#pragma once

namespace nnplay {

void gemm_ref(bool trans_a, bool trans_b, int m, int n, int k, float alpha, const float* a, int lda, const float* b,
              int ldb, float beta, float* c, int ldc);

void gemm(bool trans_a, bool trans_b, int m, int n, int k, float alpha, const float* a, int lda, const float* b,
          int ldb, float beta, float* c, int ldc);

// gemm, then bias [n] added to every row of C: C = (alpha·op(A)·op(B) + beta·C) + bias, the bias
// added last, so the bits are those of gemm followed by add_row_bias (kernels/vec.h). The
// vector version adds it in registers as each tile is stored (conv2d's forward: one pass over
// the output less). gemm_bias_ref is gemm_ref followed by add_row_bias_ref.
void gemm_bias_ref(bool trans_a, bool trans_b, int m, int n, int k, float alpha, const float* a, int lda,
                   const float* b, int ldb, float beta, float* c, int ldc, const float* bias);
void gemm_bias(bool trans_a, bool trans_b, int m, int n, int k, float alpha, const float* a, int lda, const float* b,
               int ldb, float beta, float* c, int ldc, const float* bias);

}  // namespace nnplay
