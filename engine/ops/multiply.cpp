#include "ops/multiply.h"

#include "core/check.h"

namespace nnplay {

void multiply_forward(float* out, const std::vector<const float*>& ins, std::uint64_t count) {
  NNPLAY_ASSERT(!ins.empty());
  for (std::uint64_t e = 0; e < count; ++e) {
    float p = ins[0][e];
    for (std::size_t i = 1; i < ins.size(); ++i) p *= ins[i][e];
    out[e] = p;
  }
}

void multiply_backward(const std::vector<float*>& d_ins, const std::vector<const float*>& ins, const float* d_out,
                       std::uint64_t count) {
  NNPLAY_ASSERT(d_ins.size() == ins.size());
  for (std::size_t i = 0; i < ins.size(); ++i) {
    float* d = d_ins[i];
    if (!d) continue;
    for (std::uint64_t e = 0; e < count; ++e) {
      float others = 1.0f;
      for (std::size_t j = 0; j < ins.size(); ++j)
        if (j != i) others *= ins[j][e];
      d[e] += d_out[e] * others;
    }
  }
}

}  // namespace nnplay
