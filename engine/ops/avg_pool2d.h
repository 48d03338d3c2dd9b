// 2-D average pooling ops on NHWC images (TF.js averagePooling2d and globalAveragePooling2d) and
// their gradients.
//
// averagePooling2d: geometry g as for conv (kernels/im2col.h) with kh/kw the pool size. Each
// output is the mean of the window's cells inside the image: with padding "same" an edge window
// divides by the number of real cells, not kh·kw, as TensorFlow's AvgPool does (padding is not
// counted as zeros). TF's padding split guarantees a window is never empty.
#pragma once

#include "kernels/im2col.h"

namespace nnplay {

// out [n, oh, ow, c] = mean over each window of in [n, h, w, c]. Overwrites out.
void avg_pool2d_forward(float* out, const float* in, const ConvGeometry& g, int n);

// d_in [n, h, w, c] += d_out / (cells in the window) spread over each window's cells. Accumulates.
void avg_pool2d_backward(float* d_in, const float* d_out, const ConvGeometry& g, int n);

// out [n, c] = mean over the pixels of in [n, pixels, c]. Overwrites out.
void global_avg_pool2d_forward(float* out, const float* in, int n, int pixels, int c);

// d_in [n, pixels, c] += d_out [n, c] / pixels at every pixel. Accumulates.
void global_avg_pool2d_backward(float* d_in, const float* d_out, int n, int pixels, int c);

}  // namespace nnplay
