#include "ops/up_sampling2d.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstring>

#include "core/check.h"
#include "kernels/vec.h"

namespace nnplay {

void up_sampling2d_forward(float* out, const float* in, int n, int h, int w, int c, int size_h, int size_w) {
  NNPLAY_ASSERT(n >= 0 && h > 0 && w > 0 && c > 0 && size_h > 0 && size_w > 0);
  const std::size_t pixel = static_cast<std::size_t>(c);
  const std::size_t out_row = static_cast<std::size_t>(w) * size_w * pixel;
  for (std::ptrdiff_t row = 0; row < static_cast<std::ptrdiff_t>(n) * h; ++row) {
    const float* src = in + static_cast<std::size_t>(row) * w * pixel;
    float* dst = out + static_cast<std::size_t>(row) * size_h * out_row;
    // Build the first output row of the block, then copy it size_h − 1 times.
    for (int x = 0; x < w; ++x)
      for (int r = 0; r < size_w; ++r)
        std::memcpy(dst + (static_cast<std::size_t>(x) * size_w + r) * pixel, src + x * pixel, pixel * sizeof(float));
    for (int r = 1; r < size_h; ++r) std::memcpy(dst + r * out_row, dst, out_row * sizeof(float));
  }
}

void up_sampling2d_backward(float* d_in, const float* d_out, int n, int h, int w, int c, int size_h, int size_w) {
  NNPLAY_ASSERT(n >= 0 && h > 0 && w > 0 && c > 0 && size_h > 0 && size_w > 0);
  const std::size_t pixel = static_cast<std::size_t>(c);
  const std::size_t out_row = static_cast<std::size_t>(w) * size_w * pixel;
  for (std::ptrdiff_t row = 0; row < static_cast<std::ptrdiff_t>(n) * h; ++row) {
    float* dst = d_in + static_cast<std::size_t>(row) * w * pixel;
    const float* block = d_out + static_cast<std::size_t>(row) * size_h * out_row;
    for (int r = 0; r < size_h; ++r)
      for (int x = 0; x < w; ++x)
        for (int s = 0; s < size_w; ++s)
          vec_add(dst + x * pixel, dst + x * pixel,
                  block + r * out_row + (static_cast<std::size_t>(x) * size_w + s) * pixel, pixel);
  }
}

namespace {

// Where output index i reads along an axis of `in` pixels upsampled to `out`: TF.js 4.22's
// resizeBilinear as UpSampling2D calls it (alignCorners false, halfPixelCenters false), in
// double as its cpu kernel computes: position i·(in / out), between its floor and its ceil
// clamped to the last pixel, weighted by the fraction.
struct Tap {
  int lo, hi;
  double frac;
};
Tap bilinear_tap(int i, int in, int out) {
  const double src = static_cast<double>(in) / static_cast<double>(out) * static_cast<double>(i);
  const int lo = std::max(0, static_cast<int>(std::floor(src)));
  return Tap{lo, std::min(in - 1, static_cast<int>(std::ceil(src))), src - lo};
}

}  // namespace

void up_sampling2d_bilinear_forward(float* out, const float* in, int n, int h, int w, int c, int size_h, int size_w) {
  NNPLAY_ASSERT(n >= 0 && h > 0 && w > 0 && c > 0 && size_h > 0 && size_w > 0);
  const int out_h = h * size_h, out_w = w * size_w;
  const std::size_t pixel = static_cast<std::size_t>(c), in_row = static_cast<std::size_t>(w) * pixel;
  for (int b = 0; b < n; ++b) {
    const float* image = in + static_cast<std::size_t>(b) * h * in_row;
    for (int y = 0; y < out_h; ++y) {
      const Tap ty = bilinear_tap(y, h, out_h);
      const float* top = image + static_cast<std::size_t>(ty.lo) * in_row;
      const float* bottom = image + static_cast<std::size_t>(ty.hi) * in_row;
      for (int x = 0; x < out_w; ++x) {
        const Tap tx = bilinear_tap(x, w, out_w);
        const std::size_t left = static_cast<std::size_t>(tx.lo) * pixel,
                          right = static_cast<std::size_t>(tx.hi) * pixel;
        for (std::size_t ch = 0; ch < pixel; ++ch) {
          // TF.js's order: along the row first, then between the rows.
          const double t = top[left + ch] + (static_cast<double>(top[right + ch]) - top[left + ch]) * tx.frac;
          const double d = bottom[left + ch] + (static_cast<double>(bottom[right + ch]) - bottom[left + ch]) * tx.frac;
          *out++ = static_cast<float>(t + (d - t) * ty.frac);
        }
      }
    }
  }
}

void up_sampling2d_bilinear_backward(float* d_in, const float* d_out, int n, int h, int w, int c, int size_h,
                                     int size_w) {
  NNPLAY_ASSERT(n >= 0 && h > 0 && w > 0 && c > 0 && size_h > 0 && size_w > 0);
  const int out_h = h * size_h, out_w = w * size_w;
  const std::size_t pixel = static_cast<std::size_t>(c), in_row = static_cast<std::size_t>(w) * pixel;
  for (int b = 0; b < n; ++b) {
    float* image = d_in + static_cast<std::size_t>(b) * h * in_row;
    for (int y = 0; y < out_h; ++y) {
      const Tap ty = bilinear_tap(y, h, out_h);
      float* top = image + static_cast<std::size_t>(ty.lo) * in_row;
      float* bottom = image + static_cast<std::size_t>(ty.hi) * in_row;
      for (int x = 0; x < out_w; ++x) {
        const Tap tx = bilinear_tap(x, w, out_w);
        const std::size_t left = static_cast<std::size_t>(tx.lo) * pixel,
                          right = static_cast<std::size_t>(tx.hi) * pixel;
        // The forward's weights: (1 − fy)(1 − fx) top-left, (1 − fy)·fx top-right, fy(1 − fx)
        // bottom-left, fy·fx bottom-right (lo == hi at an edge: both shares land on one pixel).
        const float wt = static_cast<float>(1.0 - ty.frac), wb = static_cast<float>(ty.frac);
        const float wl = static_cast<float>(1.0 - tx.frac), wr = static_cast<float>(tx.frac);
        for (std::size_t ch = 0; ch < pixel; ++ch) {
          const float g = *d_out++;
          top[left + ch] += g * wt * wl;
          top[right + ch] += g * wt * wr;
          bottom[left + ch] += g * wb * wl;
          bottom[right + ch] += g * wb * wr;
        }
      }
    }
  }
}

}  // namespace nnplay
