#include "ops/extremum.h"

#include "core/check.h"

namespace nnplay {

namespace {

// The index of the first input holding the extreme value at element e.
std::size_t winner(const std::vector<const float*>& ins, std::uint64_t e, Extremum which) {
  std::size_t w = 0;
  for (std::size_t i = 1; i < ins.size(); ++i)
    if (which == Extremum::kMaximum ? ins[i][e] > ins[w][e] : ins[i][e] < ins[w][e]) w = i;
  return w;
}

}  // namespace

void extremum_forward(float* out, const std::vector<const float*>& ins, std::uint64_t count, Extremum which) {
  NNPLAY_ASSERT(!ins.empty());
  for (std::uint64_t e = 0; e < count; ++e) out[e] = ins[winner(ins, e, which)][e];
}

void extremum_backward(const std::vector<float*>& d_ins, const std::vector<const float*>& ins, const float* d_out,
                       std::uint64_t count, Extremum which) {
  NNPLAY_ASSERT(d_ins.size() == ins.size() && !ins.empty());
  for (std::uint64_t e = 0; e < count; ++e) {
    float* d = d_ins[winner(ins, e, which)];
    if (d) d[e] += d_out[e];
  }
}

}  // namespace nnplay
