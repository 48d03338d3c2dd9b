#include "ops/max_pool2d.h"

#include <algorithm>
#include <cstddef>

#include "core/check.h"

#ifndef NNPLAY_NO_SIMD
#include "kernels/simd.h"
#endif

namespace nnplay {

void max_pool2d_forward_ref(float* out, std::int32_t* argmax, const float* in, const ConvGeometry& g, int n) {
  NNPLAY_ASSERT(n >= 0 && g.oh > 0 && g.ow > 0);
  const std::ptrdiff_t image = static_cast<std::ptrdiff_t>(g.h) * g.w * g.c;
  std::ptrdiff_t oc = 0;  // first channel of the current output pixel
  for (int b = 0; b < n; ++b) {
    const float* img = in + b * image;
    for (int oy = 0; oy < g.oh; ++oy) {
      // The window clipped to the image: TF's padding split guarantees it is never empty.
      const int y0 = oy * g.sh - g.pad_top;
      const int ya = y0 < 0 ? 0 : y0, yb = y0 + g.kh > g.h ? g.h : y0 + g.kh;
      for (int ox = 0; ox < g.ow; ++ox) {
        const int x0 = ox * g.sw - g.pad_left;
        const int xa = x0 < 0 ? 0 : x0, xb = x0 + g.kw > g.w ? g.w : x0 + g.kw;
        NNPLAY_ASSERT(ya < yb && xa < xb);
        // Channels innermost: every window position is one contiguous run of c values.
        float* __restrict__ o = out + oc;
        std::int32_t* __restrict__ a = argmax + oc;
        const std::int32_t first = (ya * g.w + xa) * g.c;
        for (int ch = 0; ch < g.c; ++ch) {
          o[ch] = img[first + ch];
          a[ch] = first + ch;
        }
        for (int y = ya; y < yb; ++y) {
          for (int x = xa; x < xb; ++x) {
            const std::int32_t base = (y * g.w + x) * g.c;
            for (int ch = 0; ch < g.c; ++ch) {
              // Strict: the first maximum keeps a tie. Selects rather than a branch, so the
              // channel loop vectorises.
              const float v = img[base + ch];
              const bool greater = v > o[ch];
              o[ch] = greater ? v : o[ch];
              a[ch] = greater ? base + ch : a[ch];
            }
          }
        }
        oc += g.c;
      }
    }
  }
}

#ifdef NNPLAY_NO_SIMD

void max_pool2d_forward(float* out, std::int32_t* argmax, const float* in, const ConvGeometry& g, int n) {
  max_pool2d_forward_ref(out, argmax, in, g, n);
}

#else

// The reference's loops with the channel loop in vectors: a whole vector of channels keeps its
// running maximum and winner index in registers across the window instead of going through
// memory at every window position (the reference's selects did not vectorise in wasm). The same
// strict comparison in the same window order, so the same values and indices; channels past
// the last whole vector go through the scalar loop.
void max_pool2d_forward(float* out, std::int32_t* argmax, const float* in, const ConvGeometry& g, int n) {
  NNPLAY_ASSERT(n >= 0 && g.oh > 0 && g.ow > 0);
  using simd::Batch;
  using simd::kW;
  using Ints = xsimd::batch<std::int32_t>;
  static_assert(Ints::size == Batch::size, "one index lane per value lane");
  alignas(64) std::int32_t lane[kW];
  for (std::size_t i = 0; i < kW; ++i) lane[i] = static_cast<std::int32_t>(i);
  const Ints lanes = Ints::load_aligned(lane);
  const int c_vec = static_cast<int>(simd::vector_end(static_cast<std::size_t>(g.c)));
  const std::ptrdiff_t image = static_cast<std::ptrdiff_t>(g.h) * g.w * g.c;
  std::ptrdiff_t oc = 0;
  for (int b = 0; b < n; ++b) {
    const float* img = in + b * image;
    for (int oy = 0; oy < g.oh; ++oy) {
      const int y0 = oy * g.sh - g.pad_top;
      const int ya = y0 < 0 ? 0 : y0, yb = y0 + g.kh > g.h ? g.h : y0 + g.kh;
      for (int ox = 0; ox < g.ow; ++ox) {
        const int x0 = ox * g.sw - g.pad_left;
        const int xa = x0 < 0 ? 0 : x0, xb = x0 + g.kw > g.w ? g.w : x0 + g.kw;
        NNPLAY_ASSERT(ya < yb && xa < xb);
        float* o = out + oc;
        std::int32_t* a = argmax + oc;
        const std::int32_t first = (ya * g.w + xa) * g.c;
        for (int ch = 0; ch < c_vec; ch += static_cast<int>(kW)) {
          Batch best = Batch::load_unaligned(img + first + ch);
          Ints won = Ints(first + ch) + lanes;
          for (int y = ya; y < yb; ++y) {
            for (int x = xa; x < xb; ++x) {
              const std::int32_t at = (y * g.w + x) * g.c + ch;
              const Batch v = Batch::load_unaligned(img + at);
              const auto greater = v > best;
              best = xsimd::select(greater, v, best);
              won = xsimd::select(xsimd::batch_bool_cast<std::int32_t>(greater), Ints(at) + lanes, won);
            }
          }
          best.store_unaligned(o + ch);
          won.store_unaligned(a + ch);
        }
        for (int ch = c_vec; ch < g.c; ++ch) {
          float best = img[first + ch];
          std::int32_t won = first + ch;
          for (int y = ya; y < yb; ++y) {
            for (int x = xa; x < xb; ++x) {
              const std::int32_t at = (y * g.w + x) * g.c + ch;
              if (img[at] > best) best = img[at], won = at;
            }
          }
          o[ch] = best;
          a[ch] = won;
        }
        oc += g.c;
      }
    }
  }
}

#endif  // NNPLAY_NO_SIMD

void max_pool2d_backward(float* d_in, const float* d_out, const std::int32_t* argmax, const ConvGeometry& g, int n) {
  NNPLAY_ASSERT(n >= 0);
  const std::ptrdiff_t image = static_cast<std::ptrdiff_t>(g.h) * g.w * g.c;
  const std::ptrdiff_t per_sample = static_cast<std::ptrdiff_t>(g.oh) * g.ow * g.c;
  for (int b = 0; b < n; ++b) {
    float* img = d_in + b * image;
    const float* d = d_out + b * per_sample;
    const std::int32_t* a = argmax + b * per_sample;
    for (std::ptrdiff_t i = 0; i < per_sample; ++i) img[a[i]] += d[i];
  }
}

void max_pool2d_backward_write(float* d_in, const float* d_out, const std::int32_t* argmax, const ConvGeometry& g,
                               int n) {
  NNPLAY_ASSERT(n >= 0);
  const std::ptrdiff_t image = static_cast<std::ptrdiff_t>(g.h) * g.w * g.c;
  const std::ptrdiff_t per_sample = static_cast<std::ptrdiff_t>(g.oh) * g.ow * g.c;
  for (int b = 0; b < n; ++b) {
    float* img = d_in + b * image;
    const float* d = d_out + b * per_sample;
    const std::int32_t* a = argmax + b * per_sample;
    std::fill_n(img, image, 0.0f);
    for (std::ptrdiff_t i = 0; i < per_sample; ++i) img[a[i]] += d[i];
  }
}

}  // namespace nnplay
