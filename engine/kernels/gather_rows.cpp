#include "kernels/gather_rows.h"

#include <cstring>

#ifndef NNPLAY_NO_SIMD
#include "kernels/simd.h"
#endif

namespace nnplay {

void gather_rows_ref(float* dst, const float* src, const int* idx, int rows, std::size_t cols) {
  for (int r = 0; r < rows; ++r)
    std::memcpy(dst + static_cast<std::size_t>(r) * cols, src + static_cast<std::size_t>(idx[r]) * cols,
                sizeof(float) * cols);
}
#ifdef NNPLAY_NO_SIMD
void gather_rows(float* dst, const float* src, const int* idx, int rows, std::size_t cols) {
  gather_rows_ref(dst, src, idx, rows, cols);
}
#else
// no_builtin: clang would otherwise recognise the copy loop and call memcpy again.
#if defined(__clang__)
__attribute__((no_builtin("memcpy")))
#endif
void gather_rows(float* dst, const float* src, const int* idx, int rows, std::size_t cols) {
  using simd::kW;
  const std::size_t end = simd::vector_end(cols);
  for (int r = 0; r < rows; ++r) {
    float* out = dst + static_cast<std::size_t>(r) * cols;
    const float* in = src + static_cast<std::size_t>(idx[r]) * cols;
    for (std::size_t i = 0; i < end; i += kW) simd::load(in + i).store_unaligned(out + i);
    for (std::size_t i = end; i < cols; ++i) out[i] = in[i];
  }
}
#endif

}  // namespace nnplay
