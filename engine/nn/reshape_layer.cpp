#include "nn/reshape_layer.h"

#include <cstring>

#include "core/cold.h"
#include "kernels/vec.h"

namespace nnplay {

NNPLAY_COLD Shape reshape_output_shape(const std::vector<Shape>& inputs, const ReshapeConfig& cfg) {
  NNPLAY_CHECK(inputs.size() == 1, "reshape takes exactly 1 input, got " << inputs.size());
  const Shape& in = inputs[0];
  const Shape& target = cfg.target_shape;
  NNPLAY_CHECK(!target.empty(),
               "reshape: targetShape must have at least one entry (the per-sample shape, "
               "without the batch), got []");
  int unknown = -1;
  std::uint64_t known = 1;
  for (std::size_t d = 0; d < target.size(); ++d) {
    if (target[d] == -1) {
      NNPLAY_CHECK(unknown < 0,
                   "reshape: targetShape may hold at most one -1 (or null), got " << shape_to_string(target));
      unknown = static_cast<int>(d);
    } else {
      NNPLAY_CHECK(target[d] >= 1, "reshape: targetShape entries must be integers >= 1 or one -1, got "
                                       << target[d] << " in " << shape_to_string(target));
      known *= static_cast<std::uint64_t>(target[d]);
    }
  }
  const std::uint64_t size = shape_size64(in);
  Shape out = target;
  if (unknown >= 0) {
    NNPLAY_CHECK(size % known == 0, "reshape: cannot infer the -1 in targetShape "
                                        << shape_to_string(target) << ": the input " << shape_to_string(in) << " has "
                                        << size << " values, not a multiple of " << known);
    out[static_cast<std::size_t>(unknown)] = static_cast<int>(size / known);
  } else {
    NNPLAY_CHECK(known == size, "reshape: targetShape " << shape_to_string(target) << " has " << known
                                                        << " values but the input " << shape_to_string(in) << " has "
                                                        << size << "; the total size must be unchanged");
  }
  return out;
}

NNPLAY_COLD ReshapeLayer::ReshapeLayer(const Shape& input_shape, ReshapeConfig cfg, const std::string& name)
    : Layer({input_shape}, reshape_output_shape({input_shape}, cfg)), name_(name), cfg_(std::move(cfg)) {}

void ReshapeLayer::forward(const PassContext& ctx, const std::vector<const float*>& inputs, float* out) {
  NNPLAY_ASSERT(inputs.size() == 1 && ctx.n >= 0);
  const std::uint64_t count = static_cast<std::uint64_t>(ctx.n) * output_size();
  if (count) std::memmove(out, inputs[0], count * sizeof(float));
}

void ReshapeLayer::backward(const PassContext& ctx, const std::vector<const float*>&, const float*, const float* d_out,
                            const std::vector<float*>& d_inputs) {
  NNPLAY_ASSERT(d_inputs.size() == 1);
  if (!d_inputs[0]) return;
  const std::uint64_t count = static_cast<std::uint64_t>(ctx.n) * output_size();
  vec_add(d_inputs[0], d_inputs[0], d_out, static_cast<std::size_t>(count));
}

}  // namespace nnplay
