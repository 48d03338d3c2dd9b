#include "nn/flatten_layer.h"

#include <cstring>

#include "core/cold.h"
#include "kernels/vec.h"

namespace nnplay {

void FlattenLayer::forward(const PassContext& ctx, const std::vector<const float*>& inputs, float* out) {
  const std::size_t count = static_cast<std::size_t>(ctx.n) * static_cast<std::size_t>(output_size());
  if (count) std::memcpy(out, inputs[0], count * sizeof(float));
}

void FlattenLayer::backward(const PassContext& ctx, const std::vector<const float*>&, const float*, const float* d_out,
                            const std::vector<float*>& d_inputs) {
  if (d_inputs[0])
    vec_add(d_inputs[0], d_inputs[0], d_out, static_cast<std::size_t>(ctx.n) * static_cast<std::size_t>(output_size()));
}

NNPLAY_COLD std::unique_ptr<Layer> make_flatten_layer(const LayerArgs& args) {
  return std::make_unique<FlattenLayer>(args);
}

}  // namespace nnplay
