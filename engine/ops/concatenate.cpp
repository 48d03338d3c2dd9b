#include "ops/concatenate.h"

#include <cstring>

#include "core/check.h"
#include "kernels/vec.h"

namespace nnplay {

namespace {
std::int64_t total_of(const std::vector<std::int64_t>& chunks) {
  std::int64_t t = 0;
  for (std::int64_t c : chunks) t += c;
  return t;
}
}  // namespace

void concatenate_forward(float* out, const std::vector<const float*>& ins, const std::vector<std::int64_t>& chunks,
                         std::int64_t outer) {
  NNPLAY_ASSERT(ins.size() == chunks.size());
  const std::int64_t row = total_of(chunks);
  for (std::int64_t o = 0; o < outer; ++o) {
    float* dst = out + o * row;
    for (std::size_t i = 0; i < ins.size(); ++i) {
      const std::int64_t c = chunks[i];
      if (c) std::memcpy(dst, ins[i] + o * c, static_cast<std::size_t>(c) * sizeof(float));
      dst += c;
    }
  }
}

void concatenate_backward(const std::vector<float*>& d_ins, const float* d_out, const std::vector<std::int64_t>& chunks,
                          std::int64_t outer) {
  NNPLAY_ASSERT(d_ins.size() == chunks.size());
  const std::int64_t row = total_of(chunks);
  std::int64_t offset = 0;
  for (std::size_t i = 0; i < d_ins.size(); ++i) {
    const std::int64_t c = chunks[i];
    if (d_ins[i]) {
      for (std::int64_t o = 0; o < outer; ++o)
        vec_add(d_ins[i] + o * c, d_ins[i] + o * c, d_out + o * row + offset, static_cast<std::size_t>(c));
    }
    offset += c;
  }
}

}  // namespace nnplay
