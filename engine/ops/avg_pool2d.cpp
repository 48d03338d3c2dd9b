#include "ops/avg_pool2d.h"

#include <cstddef>

#include "core/check.h"
#include "kernels/vec.h"

namespace nnplay {

namespace {

// The window of output (oy, ox) clipped to the image: rows [ya, yb), columns [xa, xb).
struct Window {
  int ya, yb, xa, xb;
  int cells() const { return (yb - ya) * (xb - xa); }
};

Window window_at(const ConvGeometry& g, int oy, int ox) {
  const int y0 = oy * g.sh - g.pad_top, x0 = ox * g.sw - g.pad_left;
  Window w{y0 < 0 ? 0 : y0, y0 + g.kh > g.h ? g.h : y0 + g.kh, x0 < 0 ? 0 : x0, x0 + g.kw > g.w ? g.w : x0 + g.kw};
  NNPLAY_ASSERT(w.ya < w.yb && w.xa < w.xb);
  return w;
}

}  // namespace

void avg_pool2d_forward(float* out, const float* in, const ConvGeometry& g, int n) {
  NNPLAY_ASSERT(n >= 0 && g.oh > 0 && g.ow > 0);
  const std::ptrdiff_t image = static_cast<std::ptrdiff_t>(g.h) * g.w * g.c;
  float* o = out;
  for (int b = 0; b < n; ++b) {
    const float* img = in + b * image;
    for (int oy = 0; oy < g.oh; ++oy) {
      for (int ox = 0; ox < g.ow; ++ox, o += g.c) {
        const Window w = window_at(g, oy, ox);
        // Channels innermost: each window cell is one contiguous run of c values.
        for (int ch = 0; ch < g.c; ++ch) o[ch] = 0.0f;
        for (int y = w.ya; y < w.yb; ++y)
          for (int x = w.xa; x < w.xb; ++x)
            vec_add(o, o, img + (static_cast<std::ptrdiff_t>(y) * g.w + x) * g.c, static_cast<std::size_t>(g.c));
        // Divide (not multiply by the reciprocal): the same rounding as TF.js.
        const float cells = static_cast<float>(w.cells());
        for (int ch = 0; ch < g.c; ++ch) o[ch] /= cells;
      }
    }
  }
}

void avg_pool2d_backward(float* d_in, const float* d_out, const ConvGeometry& g, int n) {
  NNPLAY_ASSERT(n >= 0);
  const std::ptrdiff_t image = static_cast<std::ptrdiff_t>(g.h) * g.w * g.c;
  const float* d = d_out;
  for (int b = 0; b < n; ++b) {
    float* img = d_in + b * image;
    for (int oy = 0; oy < g.oh; ++oy) {
      for (int ox = 0; ox < g.ow; ++ox, d += g.c) {
        const Window w = window_at(g, oy, ox);
        const float share = 1.0f / static_cast<float>(w.cells());
        for (int y = w.ya; y < w.yb; ++y)
          for (int x = w.xa; x < w.xb; ++x)
            vec_axpy(img + (static_cast<std::ptrdiff_t>(y) * g.w + x) * g.c, share, d, static_cast<std::size_t>(g.c));
      }
    }
  }
}

void global_avg_pool2d_forward(float* out, const float* in, int n, int pixels, int c) {
  NNPLAY_ASSERT(n >= 0 && pixels >= 1 && c >= 1);
  const auto cs = static_cast<std::size_t>(c);
  for (int b = 0; b < n; ++b) {
    const float* img = in + static_cast<std::ptrdiff_t>(b) * pixels * c;
    float* o = out + static_cast<std::ptrdiff_t>(b) * c;
    // Sum in float like TF.js's mean; pixels x c runs of c values.
    for (std::size_t ch = 0; ch < cs; ++ch) o[ch] = 0.0f;
    for (int p = 0; p < pixels; ++p) vec_add(o, o, img + static_cast<std::ptrdiff_t>(p) * c, cs);
    const float count = static_cast<float>(pixels);
    for (std::size_t ch = 0; ch < cs; ++ch) o[ch] /= count;
  }
}

void global_avg_pool2d_backward(float* d_in, const float* d_out, int n, int pixels, int c) {
  NNPLAY_ASSERT(n >= 0 && pixels >= 1);
  const auto cs = static_cast<std::size_t>(c);
  const float share = 1.0f / static_cast<float>(pixels);
  for (int b = 0; b < n; ++b) {
    float* img = d_in + static_cast<std::ptrdiff_t>(b) * pixels * c;
    const float* d = d_out + static_cast<std::ptrdiff_t>(b) * c;
    for (int p = 0; p < pixels; ++p) vec_axpy(img + static_cast<std::ptrdiff_t>(p) * c, share, d, cs);
  }
}

}  // namespace nnplay
