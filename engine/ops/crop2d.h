// cropping2D (Keras / TF.js): each NHWC image with top/bottom rows and left/right columns cut off.
#pragma once

namespace nnplay {

// Rows and columns added (zeroPadding2d) or removed (cropping2D) on each side of an image.
struct ImageMargins {
  int top = 0, bottom = 0, left = 0, right = 0;
};

// in [n, h, w, c] → out [n, h − top − bottom, w − left − right, c]. Overwrites out.
void crop2d_forward(float* out, const float* in, int n, int h, int w, int c, const ImageMargins& m);

// d_in [n, h, w, c] += d_out in the kept region; the cut margins get nothing. Accumulates.
void crop2d_backward(float* d_in, const float* d_out, int n, int h, int w, int c, const ImageMargins& m);

}  // namespace nnplay
