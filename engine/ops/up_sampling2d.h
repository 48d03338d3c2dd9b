// Nearest-neighbour 2-D upsampling (Keras / TF.js UpSampling2D, interpolation 'nearest', NHWC)
// and its gradient: every input pixel is repeated size_h × size_w times.
//
// Shapes (row-major, see core/tensor.h): in [n, h, w, c]; out [n, h·size_h, w·size_w, c].
#pragma once

namespace nnplay {

// out[b, y, x, ch] = in[b, y / size_h, x / size_w, ch]. out is overwritten.
void up_sampling2d_forward(float* out, const float* in, int n, int h, int w, int c, int size_h, int size_w);

// d_in[b, y, x, ch] += Σ of d_out over the size_h × size_w block that pixel was copied to.
void up_sampling2d_backward(float* d_in, const float* d_out, int n, int h, int w, int c, int size_h, int size_w);

}  // namespace nnplay
