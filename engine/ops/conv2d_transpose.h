// Transposed 2-D convolution (Keras / TF.js Conv2DTranspose, dilation 1, NHWC) on a batch, and
// its gradients: the adjoint of conv2d (ops/conv2d.h) with respect to its input, done as one GEMM
// and a col2im, so it runs on the same SIMD kernels.
//
// The geometry g is the *forward convolution's* that this op transposes: g's input [h, w, c] is
// this op's output [oh_t, ow_t, filters], g's output [g.oh, g.ow] is this op's input image. The
// kernel w is [kh, kw, filters, in_channels] (Keras / TF.js layout), read as the matrix
// [kh·kw·filters, in_channels] = [g.patch(), in_channels].
//
// Shapes: in [n, g.oh, g.ow, in_channels]; out [n, g.h, g.w, filters]; b [filters] or null;
// col the caller's scratch [n·g.oh·g.ow, g.patch()], overwritten by forward and by backward.
#pragma once

#include "kernels/im2col.h"

namespace nnplay {

// col = in · wᵀ, out = col2im(col) + b. out and col are overwritten.
void conv2d_transpose_forward(float* out, float* col, const float* in, const float* w, const float* b,
                              const ConvGeometry& g, int in_channels, int n);

// Given d_out [n, g.h, g.w, filters], with col = im2col(d_out) (scratch, overwritten), accumulates:
//   d_in [n·g.oh·g.ow, in_channels] += col · w
//   d_w  [g.patch(), in_channels]   += colᵀ · in
//   d_b  [filters]                  += Σ_pixels d_out
// Any of d_in, d_w, d_b may be null to skip it.
void conv2d_transpose_backward(float* d_in, float* d_w, float* d_b, float* col, const float* d_out, const float* in,
                               const float* w, const ConvGeometry& g, int in_channels, int n);

}  // namespace nnplay
