// zeroPadding2d (Keras / TF.js): zeros around each NHWC image, top/bottom rows and left/right
// columns of them.
#pragma once

#include "ops/crop2d.h"  // ImageMargins

namespace nnplay {

// in [n, h, w, c] → out [n, h + top + bottom, w + left + right, c]. Overwrites out.
void zero_pad2d_forward(float* out, const float* in, int n, int h, int w, int c, const ImageMargins& m);

// d_in [n, h, w, c] += the inner region of d_out. Accumulates.
void zero_pad2d_backward(float* d_in, const float* d_out, int n, int h, int w, int c, const ImageMargins& m);

}  // namespace nnplay
