#include "nn/permute_layer.h"

#include "core/check.h"
#include "core/cold.h"
#include "ops/permute.h"

namespace nnplay {

NNPLAY_COLD Shape permute_output_shape(const std::vector<Shape>& inputs, const std::vector<int>& dims,
                                       const std::string& where, const std::string& input_desc) {
  NNPLAY_CHECK(inputs.size() == 1, where << " takes exactly 1 input, got " << inputs.size());
  const Shape& in = inputs[0];
  const int rank = static_cast<int>(in.size());
  std::vector<bool> seen(in.size(), false);
  bool ok = static_cast<int>(dims.size()) == rank;
  for (int d : dims) {
    if (!ok || d < 1 || d > rank || seen[d - 1]) {
      ok = false;
      break;
    }
    seen[d - 1] = true;
  }
  NNPLAY_CHECK(ok, where << ": dims must reorder the " << rank << " axes of " << input_desc << " "
                         << shape_to_string(in) << ", a permutation of 1 … " << rank
                         << " (Keras numbering: the batch is not counted), got " << shape_to_string(dims));
  Shape out(in.size());
  for (int d = 0; d < rank; ++d) out[d] = in[dims[d] - 1];
  return out;
}

NNPLAY_COLD PermuteLayer::PermuteLayer(const Shape& input_shape, const std::vector<int>& dims)
    : Layer({input_shape}, permute_output_shape({input_shape}, dims, "permute", "the input")) {
  std::vector<int> perm;
  for (int d : dims) perm.push_back(d - 1);
  src_ = permute_source_index(input_shape, perm);
}

void PermuteLayer::forward(const PassContext& ctx, const std::vector<const float*>& inputs, float* out) {
  NNPLAY_ASSERT(inputs.size() == 1 && ctx.n >= 0);
  permute_forward(out, inputs[0], ctx.n, src_);
}

void PermuteLayer::backward(const PassContext& ctx, const std::vector<const float*>&, const float*, const float* d_out,
                            const std::vector<float*>& d_inputs) {
  NNPLAY_ASSERT(d_inputs.size() == 1);
  if (d_inputs[0]) permute_backward(d_inputs[0], d_out, ctx.n, src_);
}

}  // namespace nnplay
