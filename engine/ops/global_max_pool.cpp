#include "ops/global_max_pool.h"

#include <cstddef>

#include "core/check.h"

namespace nnplay {

void global_max_pool_forward(float* out, const float* in, int n, int positions, int c) {
  NNPLAY_ASSERT(positions >= 1);
  const std::size_t cs = static_cast<std::size_t>(c);
  for (int s = 0; s < n; ++s) {
    const float* x = in + static_cast<std::size_t>(s) * positions * cs;
    float* y = out + static_cast<std::size_t>(s) * cs;
    for (std::size_t ch = 0; ch < cs; ++ch) y[ch] = x[ch];
    for (int p = 1; p < positions; ++p)
      for (std::size_t ch = 0; ch < cs; ++ch) {
        const float v = x[static_cast<std::size_t>(p) * cs + ch];
        if (v > y[ch]) y[ch] = v;
      }
  }
}

void global_max_pool_backward(float* d_in, const float* in, const float* out, const float* d_out, int n, int positions,
                              int c) {
  const std::size_t cs = static_cast<std::size_t>(c);
  for (int s = 0; s < n; ++s) {
    const std::size_t base = static_cast<std::size_t>(s) * positions * cs;
    const float* y = out + static_cast<std::size_t>(s) * cs;
    const float* dy = d_out + static_cast<std::size_t>(s) * cs;
    for (int p = 0; p < positions; ++p)
      for (std::size_t ch = 0; ch < cs; ++ch) {
        const std::size_t i = base + static_cast<std::size_t>(p) * cs + ch;
        if (in[i] == y[ch]) d_in[i] += dy[ch];
      }
  }
}

}  // namespace nnplay
