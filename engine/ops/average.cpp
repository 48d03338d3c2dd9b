#include "ops/average.h"

#include "core/check.h"

namespace nnplay {

void average_forward(float* out, const std::vector<const float*>& ins, std::uint64_t count) {
  NNPLAY_ASSERT(!ins.empty());
  const float scale = 1.0f / static_cast<float>(ins.size());
  for (std::uint64_t e = 0; e < count; ++e) {
    float s = ins[0][e];
    for (std::size_t i = 1; i < ins.size(); ++i) s += ins[i][e];
    out[e] = s * scale;
  }
}

void average_backward(const std::vector<float*>& d_ins, const float* d_out, std::uint64_t count) {
  NNPLAY_ASSERT(!d_ins.empty());
  const float scale = 1.0f / static_cast<float>(d_ins.size());
  for (float* d : d_ins)
    if (d)
      for (std::uint64_t e = 0; e < count; ++e) d[e] += d_out[e] * scale;
}

}  // namespace nnplay
