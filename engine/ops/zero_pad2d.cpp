#include "ops/zero_pad2d.h"

#include <cstddef>
#include <cstring>

namespace nnplay {

void zero_pad2d_forward(float* out, const float* in, int n, int h, int w, int c, const ImageMargins& m) {
  const int oh = h + m.top + m.bottom, ow = w + m.left + m.right;
  const std::size_t image = static_cast<std::size_t>(oh) * ow * c, row = static_cast<std::size_t>(w) * c;
  if (image) std::memset(out, 0, static_cast<std::size_t>(n) * image * sizeof(float));
  for (int s = 0; s < n; ++s)
    for (int y = 0; y < h; ++y) {
      const float* src = in + (static_cast<std::size_t>(s) * h + y) * row;
      float* dst = out + ((static_cast<std::size_t>(s) * oh + y + m.top) * ow + m.left) * c;
      if (row) std::memcpy(dst, src, row * sizeof(float));
    }
}

void zero_pad2d_backward(float* d_in, const float* d_out, int n, int h, int w, int c, const ImageMargins& m) {
  const int oh = h + m.top + m.bottom, ow = w + m.left + m.right;
  const std::size_t row = static_cast<std::size_t>(w) * c;
  for (int s = 0; s < n; ++s)
    for (int y = 0; y < h; ++y) {
      float* dst = d_in + (static_cast<std::size_t>(s) * h + y) * row;
      const float* src = d_out + ((static_cast<std::size_t>(s) * oh + y + m.top) * ow + m.left) * c;
      for (std::size_t j = 0; j < row; ++j) dst[j] += src[j];
    }
}

}  // namespace nnplay
