#include "ops/dropout.h"

#include <cstddef>

#include "kernels/vec.h"

namespace nnplay {

void dropout_draw_mask(float* mask, std::uint64_t count, float rate, Rng& rng) {
  NNPLAY_ASSERT(rate >= 0.0f && rate < 1.0f);
  const float keep_scale = 1.0f / (1.0f - rate);
  for (std::uint64_t i = 0; i < count; ++i) mask[i] = rng.uniform() >= rate ? keep_scale : 0.0f;
}

void broadcast_to(float* full, const float* small, const Shape& full_shape, const Shape& small_shape) {
  NNPLAY_ASSERT(full_shape.size() == small_shape.size());
  const std::size_t rank = full_shape.size();
  const std::uint64_t total = shape_size64(full_shape);
  if (total == 0) return;
  // Strides of small with 0 on broadcast dims: an odometer over full's index walks small.
  std::vector<std::uint64_t> small_stride(rank, 0);
  std::uint64_t s = 1;
  for (std::size_t d = rank; d-- > 0;) {
    small_stride[d] = small_shape[d] == 1 && full_shape[d] != 1 ? 0 : s;
    s *= static_cast<std::uint64_t>(small_shape[d]);
  }
  // The innermost dim is either a contiguous run (copied) or one value repeated.
  const std::uint64_t inner = rank ? static_cast<std::uint64_t>(full_shape[rank - 1]) : 1;
  const bool inner_broadcast = rank && small_stride[rank - 1] == 0;
  std::vector<int> index(rank, 0);
  std::uint64_t small_offset = 0;
  for (std::uint64_t o = 0; o < total; o += inner) {
    float* dst = full + o;
    if (inner_broadcast) {
      const float v = small[small_offset];
      for (std::uint64_t i = 0; i < inner; ++i) dst[i] = v;
    } else {
      for (std::uint64_t i = 0; i < inner; ++i) dst[i] = small[small_offset + i];
    }
    // Advance the odometer over dims rank-2 … 0.
    for (std::size_t d = rank - 1; d-- > 0;) {
      small_offset += small_stride[d];
      if (++index[d] < full_shape[d]) break;
      small_offset -= small_stride[d] * static_cast<std::uint64_t>(full_shape[d]);
      index[d] = 0;
    }
  }
}

void dropout_forward(float* out, const float* in, const float* mask, std::uint64_t count) {
  vec_mul(out, in, mask, static_cast<std::size_t>(count));
}

void dropout_backward(float* d_in, const float* d_out, const float* mask, std::uint64_t count) {
  for (std::uint64_t i = 0; i < count; ++i) d_in[i] += d_out[i] * mask[i];
}

}  // namespace nnplay
