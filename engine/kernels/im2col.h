// im2col / col2im: the data movement that turns a 2-D convolution (or pooling window scan)
// over NHWC images into one matrix product, plus the window geometry both need.
//
// Geometry follows TensorFlow: for padding "valid" the output is floor((H − kh) / sh) + 1;
// for "same" it is ceil(H / sh), with total padding max((out − 1)·sh + kh − H, 0) split as
// pad_top = total / 2 and the extra row at the bottom (columns likewise, extra at the right).
// Padded positions read as 0 in im2col (convolution); pooling skips them.
//
// Each window row is a run of kw·c floats, contiguous in the image except where it crosses
// padding. im2col_ref / col2im_ref are the specification (plain loops); im2col / col2im move the
// same runs with xsimd vectors and agree with them bit for bit (col2im adds each entry in the
// same order).
#pragma once

#include <string>

namespace nnplay {

// One convolution or pooling window layout over a per-sample image [h, w, c].
struct ConvGeometry {
  int h = 0, w = 0, c = 0;                   // input image
  int kh = 0, kw = 0;                        // window (kernel or pool) size
  int sh = 1, sw = 1;                        // strides
  int pad_top = 0, pad_left = 0;             // zero rows above / columns left of the image
  int oh = 0, ow = 0;                        // output image rows / columns
  int patch() const { return kh * kw * c; }  // one im2col row: kh·kw·c values
  int out_pixels() const { return oh * ow; }
};

// Output length along one axis ("valid" or "same"); <= 0 when the window does not fit.
int conv_output_length(int in, int window, int stride, bool same);
// Full geometry for an input [h, w, c]; oh/ow may come out <= 0 (callers check, once).
ConvGeometry make_conv_geometry(int h, int w, int c, int kh, int kw, int sh, int sw, bool same);

// col [n·oh·ow, kh·kw·c]: row (b, oy, ox) holds the window at (oy·sh − pad_top, ox·sw − pad_left)
// of sample b, ordered (ky, kx, ch) — the order of a TF.js kernel [kh, kw, c, filters] read as
// a [kh·kw·c, filters] matrix. in [n, h, w, c]. col is overwritten; padding becomes 0.
void im2col_ref(float* col, const float* in, const ConvGeometry& g, int n);
void im2col(float* col, const float* in, const ConvGeometry& g, int n);

// The adjoint of im2col: d_in [n, h, w, c] += every col entry scattered back to the pixel it was
// copied from (entries that came from padding are dropped). Accumulates.
void col2im_ref(float* d_in, const float* col, const ConvGeometry& g, int n);
void col2im(float* d_in, const float* col, const ConvGeometry& g, int n);

}  // namespace nnplay
