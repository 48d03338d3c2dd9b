#include "kernels/im2col.h"

#include <cstddef>

#include "core/check.h"

#ifndef NNPLAY_NO_SIMD
#include "kernels/simd.h"
#endif

namespace nnplay {

int conv_output_length(int in, int window, int stride, bool same) {
  NNPLAY_ASSERT(stride > 0);
  if (same) return (in + stride - 1) / stride;
  return in < window ? 0 : (in - window) / stride + 1;
}

ConvGeometry make_conv_geometry(int h, int w, int c, int kh, int kw, int sh, int sw, bool same) {
  ConvGeometry g;
  g.h = h, g.w = w, g.c = c, g.kh = kh, g.kw = kw, g.sh = sh, g.sw = sw;
  g.oh = conv_output_length(h, kh, sh, same);
  g.ow = conv_output_length(w, kw, sw, same);
  if (same) {
    const int total_h = (g.oh - 1) * sh + kh - h;
    const int total_w = (g.ow - 1) * sw + kw - w;
    g.pad_top = total_h > 0 ? total_h / 2 : 0;
    g.pad_left = total_w > 0 ? total_w / 2 : 0;
  }
  return g;
}

void im2col_ref(float* col, const float* in, const ConvGeometry& g, int n) {
  NNPLAY_ASSERT(n >= 0 && g.oh > 0 && g.ow > 0);
  const std::ptrdiff_t image = static_cast<std::ptrdiff_t>(g.h) * g.w * g.c;
  const int run = g.kw * g.c;  // one kernel row: kw pixels of c channels, contiguous in the input
  float* row = col;
  for (int b = 0; b < n; ++b) {
    const float* img = in + b * image;
    for (int oy = 0; oy < g.oh; ++oy) {
      for (int ox = 0; ox < g.ow; ++ox) {
        const int x0 = ox * g.sw - g.pad_left;
        const bool inside_x = x0 >= 0 && x0 + g.kw <= g.w;
        for (int ky = 0; ky < g.kh; ++ky) {
          const int y = oy * g.sh - g.pad_top + ky;
          float* dst = row + ky * run;
          if (y < 0 || y >= g.h) {
            for (int i = 0; i < run; ++i) dst[i] = 0.0f;
          } else if (inside_x) {
            const float* src = img + (static_cast<std::ptrdiff_t>(y) * g.w + x0) * g.c;
            for (int i = 0; i < run; ++i) dst[i] = src[i];
          } else {  // the row crosses the left or right padding
            for (int kx = 0; kx < g.kw; ++kx) {
              const int x = x0 + kx;
              float* d = dst + kx * g.c;
              if (x < 0 || x >= g.w) {
                for (int ch = 0; ch < g.c; ++ch) d[ch] = 0.0f;
              } else {
                const float* src = img + (static_cast<std::ptrdiff_t>(y) * g.w + x) * g.c;
                for (int ch = 0; ch < g.c; ++ch) d[ch] = src[ch];
              }
            }
          }
        }
        row += g.patch();
      }
    }
  }
}

void col2im_ref(float* d_in, const float* col, const ConvGeometry& g, int n) {
  NNPLAY_ASSERT(n >= 0 && g.oh > 0 && g.ow > 0);
  const std::ptrdiff_t image = static_cast<std::ptrdiff_t>(g.h) * g.w * g.c;
  const float* row = col;
  for (int b = 0; b < n; ++b) {
    float* img = d_in + b * image;
    for (int oy = 0; oy < g.oh; ++oy) {
      for (int ox = 0; ox < g.ow; ++ox) {
        for (int ky = 0; ky < g.kh; ++ky) {
          const int y = oy * g.sh - g.pad_top + ky;
          if (y < 0 || y >= g.h) continue;
          for (int kx = 0; kx < g.kw; ++kx) {
            const int x = ox * g.sw - g.pad_left + kx;
            if (x < 0 || x >= g.w) continue;
            const float* src = row + (ky * g.kw + kx) * g.c;
            float* dst = img + (static_cast<std::ptrdiff_t>(y) * g.w + x) * g.c;
            for (int ch = 0; ch < g.c; ++ch) dst[ch] += src[ch];
          }
        }
        row += g.patch();
      }
    }
  }
}

#ifdef NNPLAY_NO_SIMD

void im2col(float* col, const float* in, const ConvGeometry& g, int n) { im2col_ref(col, in, g, n); }
void col2im(float* d_in, const float* col, const ConvGeometry& g, int n) { col2im_ref(d_in, col, g, n); }

#else

namespace {

using simd::Batch;
using simd::kW;

// Runs here are short (kw·c floats: 5 for a 5x5 kernel on one channel, 40 on eight): a
// library memcpy per run is a call in wasm, and the element loop did not vectorise. Whole
// vectors, then the scalar tail.
inline void copy_run(float* dst, const float* src, int len) {
  int i = 0;
  for (; i + static_cast<int>(kW) <= len; i += kW) Batch::load_unaligned(src + i).store_unaligned(dst + i);
  for (; i < len; ++i) dst[i] = src[i];
}
inline void zero_run(float* dst, int len) {
  int i = 0;
  for (; i + static_cast<int>(kW) <= len; i += kW) Batch(0.0f).store_unaligned(dst + i);
  for (; i < len; ++i) dst[i] = 0.0f;
}
inline void add_run(float* dst, const float* src, int len) {
  int i = 0;
  for (; i + static_cast<int>(kW) <= len; i += kW)
    (Batch::load_unaligned(dst + i) + Batch::load_unaligned(src + i)).store_unaligned(dst + i);
  for (; i < len; ++i) dst[i] += src[i];
}

}  // namespace

namespace {

// kRun > 0: the window row length kw·c known at compile time, so the runs of a one-channel
// 3x3 or 5x5 kernel (3 or 5 floats, under two vectors) become straight-line copies instead of
// loops whose trip counts are data. 0: any length.
template <int kRun>
void im2col_runs(float* col, const float* in, const ConvGeometry& g, int n) {
  const std::ptrdiff_t image = static_cast<std::ptrdiff_t>(g.h) * g.w * g.c;
  const int run = kRun > 0 ? kRun : g.kw * g.c;
  float* row = col;
  for (int b = 0; b < n; ++b) {
    const float* img = in + b * image;
    for (int oy = 0; oy < g.oh; ++oy) {
      for (int ox = 0; ox < g.ow; ++ox) {
        const int x0 = ox * g.sw - g.pad_left;
        // The part of the window row inside the image: columns [xa, xb) of x0 .. x0+kw.
        const int xa = x0 < 0 ? 0 : x0, xb = x0 + g.kw > g.w ? g.w : x0 + g.kw;
        const int left = (xa - x0) * g.c, inside = xb > xa ? (xb - xa) * g.c : 0;
        for (int ky = 0; ky < g.kh; ++ky) {
          const int y = oy * g.sh - g.pad_top + ky;
          float* dst = row + ky * run;
          if (y < 0 || y >= g.h || inside == 0) {
            zero_run(dst, run);
            continue;
          }
          if (inside == run) {  // the common case: no padding in this window row
            copy_run(dst, img + (static_cast<std::ptrdiff_t>(y) * g.w + xa) * g.c, run);
            continue;
          }
          zero_run(dst, left);
          copy_run(dst + left, img + (static_cast<std::ptrdiff_t>(y) * g.w + xa) * g.c, inside);
          zero_run(dst + left + inside, run - left - inside);
        }
        row += g.patch();
      }
    }
  }
}

}  // namespace

void im2col(float* col, const float* in, const ConvGeometry& g, int n) {
  NNPLAY_ASSERT(n >= 0 && g.oh > 0 && g.ow > 0);
  switch (g.kw * g.c) {
    case 3: return im2col_runs<3>(col, in, g, n);
    case 5: return im2col_runs<5>(col, in, g, n);
    default: return im2col_runs<0>(col, in, g, n);
  }
}

void col2im(float* d_in, const float* col, const ConvGeometry& g, int n) {
  NNPLAY_ASSERT(n >= 0 && g.oh > 0 && g.ow > 0);
  const std::ptrdiff_t image = static_cast<std::ptrdiff_t>(g.h) * g.w * g.c;
  const float* row = col;
  for (int b = 0; b < n; ++b) {
    float* img = d_in + b * image;
    for (int oy = 0; oy < g.oh; ++oy) {
      for (int ox = 0; ox < g.ow; ++ox) {
        const int x0 = ox * g.sw - g.pad_left;
        const int xa = x0 < 0 ? 0 : x0, xb = x0 + g.kw > g.w ? g.w : x0 + g.kw;
        if (xb > xa) {
          const int left = (xa - x0) * g.c, inside = (xb - xa) * g.c;
          for (int ky = 0; ky < g.kh; ++ky) {
            const int y = oy * g.sh - g.pad_top + ky;
            if (y < 0 || y >= g.h) continue;
            // The window row's in-image pixels are contiguous in d_in: one run of adds.
            add_run(img + (static_cast<std::ptrdiff_t>(y) * g.w + xa) * g.c, row + ky * g.kw * g.c + left, inside);
          }
        }
        row += g.patch();
      }
    }
  }
}

#endif  // NNPLAY_NO_SIMD

}  // namespace nnplay
