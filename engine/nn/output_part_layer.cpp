#include "nn/output_part_layer.h"

#include <algorithm>

#include "core/check.h"
#include "core/cold.h"
#include "kernels/vec.h"

namespace nnplay {

NNPLAY_COLD OutputPartLayer::OutputPartLayer(const Shape& packed, const Shape& part, std::uint64_t offset)
    : Layer({packed}, part), offset_(offset) {
  NNPLAY_ASSERT(offset_ + output_size() <= input_size(0));
}

void OutputPartLayer::forward(const PassContext& ctx, const std::vector<const float*>& inputs, float* out) {
  NNPLAY_ASSERT(inputs.size() == 1);
  const std::size_t row = static_cast<std::size_t>(input_size(0)), size = static_cast<std::size_t>(output_size());
  const std::size_t offset = static_cast<std::size_t>(offset_);
  for (std::size_t i = 0; i < static_cast<std::size_t>(ctx.n); ++i)
    std::copy_n(inputs[0] + i * row + offset, size, out + i * size);
}

void OutputPartLayer::backward(const PassContext& ctx, const std::vector<const float*>&, const float*,
                               const float* d_out, const std::vector<float*>& d_inputs) {
  NNPLAY_ASSERT(d_inputs.size() == 1);
  if (!d_inputs[0]) return;
  const std::size_t row = static_cast<std::size_t>(input_size(0)), size = static_cast<std::size_t>(output_size());
  const std::size_t offset = static_cast<std::size_t>(offset_);
  for (std::size_t i = 0; i < static_cast<std::size_t>(ctx.n); ++i) {
    float* d = d_inputs[0] + i * row + offset;
    vec_add(d, d, d_out + i * size, size);
  }
}

}  // namespace nnplay
