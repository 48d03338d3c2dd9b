#include "nn/elementwise_merge_layers.h"

#include "core/check.h"
#include "core/cold.h"
#include "ops/average.h"
#include "ops/extremum.h"
#include "ops/multiply.h"

namespace nnplay {

NNPLAY_COLD const char* elementwise_merge_name(ElementwiseMerge op) {
  switch (op) {
    case ElementwiseMerge::kMultiply: return "multiply";
    case ElementwiseMerge::kAverage: return "average";
    case ElementwiseMerge::kMaximum: return "maximum";
    case ElementwiseMerge::kMinimum: return "minimum";
  }
  return "?";
}

NNPLAY_COLD Shape elementwise_merge_output_shape(const std::vector<Shape>& inputs, ElementwiseMerge op) {
  const char* name = elementwise_merge_name(op);
  NNPLAY_CHECK(inputs.size() >= 2, name << " needs at least 2 inputs, got " << inputs.size());
  for (const Shape& s : inputs) {
    if (s == inputs[0]) continue;
    std::string all;
    for (std::size_t i = 0; i < inputs.size(); ++i) all += (i ? ", " : "") + shape_to_string(inputs[i]);
    throw Error(std::string(name) + ": all inputs must have the same shape (no broadcasting), got " + all);
  }
  return inputs[0];
}

NNPLAY_COLD ElementwiseMergeLayer::ElementwiseMergeLayer(const std::vector<Shape>& input_shapes, ElementwiseMerge op,
                                                         const std::string& name)
    : Layer(input_shapes, elementwise_merge_output_shape(input_shapes, op)), name_(name), op_(op) {}

void ElementwiseMergeLayer::forward(const PassContext& ctx, const std::vector<const float*>& inputs, float* out) {
  NNPLAY_ASSERT(static_cast<int>(inputs.size()) == num_inputs() && ctx.n >= 0);
  const std::uint64_t count = static_cast<std::uint64_t>(ctx.n) * output_size();
  switch (op_) {
    case ElementwiseMerge::kMultiply: return multiply_forward(out, inputs, count);
    case ElementwiseMerge::kAverage: return average_forward(out, inputs, count);
    case ElementwiseMerge::kMaximum: return extremum_forward(out, inputs, count, Extremum::kMaximum);
    case ElementwiseMerge::kMinimum: return extremum_forward(out, inputs, count, Extremum::kMinimum);
  }
}

void ElementwiseMergeLayer::backward(const PassContext& ctx, const std::vector<const float*>& inputs, const float*,
                                     const float* d_out, const std::vector<float*>& d_inputs) {
  NNPLAY_ASSERT(static_cast<int>(d_inputs.size()) == num_inputs() && inputs.size() == d_inputs.size());
  const std::uint64_t count = static_cast<std::uint64_t>(ctx.n) * output_size();
  switch (op_) {
    case ElementwiseMerge::kMultiply: return multiply_backward(d_inputs, inputs, d_out, count);
    case ElementwiseMerge::kAverage: return average_backward(d_inputs, d_out, count);
    case ElementwiseMerge::kMaximum: return extremum_backward(d_inputs, inputs, d_out, count, Extremum::kMaximum);
    case ElementwiseMerge::kMinimum: return extremum_backward(d_inputs, inputs, d_out, count, Extremum::kMinimum);
  }
}

}  // namespace nnplay
