#include "ops/crop2d.h"

#include <cstddef>
#include <cstring>

namespace nnplay {

void crop2d_forward(float* out, const float* in, int n, int h, int w, int c, const ImageMargins& m) {
  const int oh = h - m.top - m.bottom, ow = w - m.left - m.right;
  const std::size_t row = static_cast<std::size_t>(ow) * c;
  for (int s = 0; s < n; ++s)
    for (int y = 0; y < oh; ++y) {
      const float* src = in + ((static_cast<std::size_t>(s) * h + y + m.top) * w + m.left) * c;
      float* dst = out + (static_cast<std::size_t>(s) * oh + y) * row;
      if (row) std::memcpy(dst, src, row * sizeof(float));
    }
}

void crop2d_backward(float* d_in, const float* d_out, int n, int h, int w, int c, const ImageMargins& m) {
  const int oh = h - m.top - m.bottom, ow = w - m.left - m.right;
  const std::size_t row = static_cast<std::size_t>(ow) * c;
  for (int s = 0; s < n; ++s)
    for (int y = 0; y < oh; ++y) {
      float* dst = d_in + ((static_cast<std::size_t>(s) * h + y + m.top) * w + m.left) * c;
      const float* src = d_out + (static_cast<std::size_t>(s) * oh + y) * row;
      for (std::size_t j = 0; j < row; ++j) dst[j] += src[j];
    }
}

}  // namespace nnplay
