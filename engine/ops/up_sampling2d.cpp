#include "ops/up_sampling2d.h"

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

}  // namespace nnplay
