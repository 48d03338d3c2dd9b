// 2-D upsampling (TF.js UpSampling2D, NHWC) and its gradient. Nearest neighbour: every input
// pixel is repeated size_h × size_w times. Bilinear: TF.js 4.22's resizeBilinear as UpSampling2D
// calls it (alignCorners false, halfPixelCenters false), so output row y reads input row
// y·h / (h·size_h) = y / size_h, interpolated with the next row (the last row clamped), and
// likewise along the columns; Keras (Python) and PyTorch sample at half-pixel centres instead.
//
// Shapes (row-major, see core/tensor.h): in [n, h, w, c]; out [n, h·size_h, w·size_w, c].
#pragma once

namespace nnplay {

// out[b, y, x, ch] = in[b, y / size_h, x / size_w, ch]. out is overwritten.
void up_sampling2d_forward(float* out, const float* in, int n, int h, int w, int c, int size_h, int size_w);

// d_in[b, y, x, ch] += Σ of d_out over the size_h × size_w block that pixel was copied to.
void up_sampling2d_backward(float* d_in, const float* d_out, int n, int h, int w, int c, int size_h, int size_w);

// out[b, y, x, ch]: with sy = y / size_h, y0 = floor(sy), y1 = min(y0 + 1, h − 1), fy = sy − y0
// (x likewise), top = in[y0, x0] + (in[y0, x1] − in[y0, x0])·fx, bottom the same on row y1,
// out = top + (bottom − top)·fy, in double as TF.js's cpu kernel. out is overwritten.
void up_sampling2d_bilinear_forward(float* out, const float* in, int n, int h, int w, int c, int size_h, int size_w);

// d_in += the forward's weights times d_out: (1 − fy)(1 − fx) to [y0, x0], (1 − fy)·fx to
// [y0, x1], fy·(1 − fx) to [y1, x0], fy·fx to [y1, x1].
void up_sampling2d_bilinear_backward(float* d_in, const float* d_out, int n, int h, int w, int c, int size_h,
                                     int size_w);

}  // namespace nnplay
