#include "ops/add.h"

#include <cstring>

#include "core/check.h"
#include "kernels/vec.h"

namespace nnplay {

void add_forward(float* out, const std::vector<const float*>& ins, std::uint64_t count) {
  NNPLAY_ASSERT(!ins.empty());
  const auto n = static_cast<std::size_t>(count);
  if (ins.size() == 1) {
    if (n) std::memmove(out, ins[0], n * sizeof(float));
    return;
  }
  vec_add(out, ins[0], ins[1], n);
  for (std::size_t i = 2; i < ins.size(); ++i) vec_add(out, out, ins[i], n);
}

void add_backward(const std::vector<float*>& d_ins, const float* d_out, std::uint64_t count) {
  const auto n = static_cast<std::size_t>(count);
  for (float* d : d_ins)
    if (d) vec_add(d, d, d_out, n);
}

}  // namespace nnplay
