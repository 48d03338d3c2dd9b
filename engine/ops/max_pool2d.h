// 2-D max pooling op (TF.js maxPooling2d, NHWC) and its gradient.
//
// Shapes: in [n, h, w, c]; out [n, oh, ow, c]; argmax [n, oh, ow, c] holds, per output, the
// index within its sample's image (y·w + x)·c + ch of the input that won. Geometry g as for
// conv (kernels/im2col.h) with kh/kw the pool size; padded positions ("same") never win.
// Ties go to the first maximum in window order (row by row), as TensorFlow picks it; a NaN in
// a window is not selected unless it is the window's first value.
#pragma once

#include <cstdint>

#include "kernels/im2col.h"

namespace nnplay {

// out and argmax are overwritten. max_pool2d_forward_ref is the specification (plain loops);
// max_pool2d_forward runs whole vectors of channels and agrees with it exactly.
void max_pool2d_forward_ref(float* out, std::int32_t* argmax, const float* in, const ConvGeometry& g, int n);
void max_pool2d_forward(float* out, std::int32_t* argmax, const float* in, const ConvGeometry& g, int n);

// d_in [n, h, w, c] += d_out routed to the input each output took its value from. Accumulates.
void max_pool2d_backward(float* d_in, const float* d_out, const std::int32_t* argmax, const ConvGeometry& g, int n);
// The same gradient written, not added: what max_pool2d_backward leaves in a zeroed d_in, bit for
// bit. Each sample's image is zeroed right before its outputs are routed into it, while it sits
// in L1, instead of the graph zeroing the whole batch's buffer long before.
void max_pool2d_backward_write(float* d_in, const float* d_out, const std::int32_t* argmax, const ConvGeometry& g,
                               int n);

}  // namespace nnplay
