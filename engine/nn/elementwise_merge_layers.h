// The element-wise merge layers other than add (Keras / TF.js `multiply`, `average`, `maximum`,
// `minimum`): k >= 2 inputs of one shape, one output of that shape, no weights. One class, since
// they differ only in the op they run (ops/multiply.h, average.h, extremum.h).
//
// Why add is not among them: dense programs use add (residual sums), so its code stays in the
// engine's first module (nn/merge_layers.h); these four live in the second
// (CMakeLists.txt NNPLAY_EXTRA_PART_REGEX), loaded when a model first has one.
#pragma once

#include <string>
#include <vector>

#include "nn/layer.h"

namespace nnplay {

enum class ElementwiseMerge { kMultiply, kAverage, kMaximum, kMinimum };

// The spec name of the layer type ("multiply", …), for messages.
const char* elementwise_merge_name(ElementwiseMerge op);

// The shared shape. Throws Error for fewer than 2 inputs or shapes that differ (no broadcasting).
Shape elementwise_merge_output_shape(const std::vector<Shape>& inputs, ElementwiseMerge op);

class ElementwiseMergeLayer : public Layer {
 public:
  ElementwiseMergeLayer(const std::vector<Shape>& input_shapes, ElementwiseMerge op, const std::string& name);

  const std::string& name() const { return name_; }
  ElementwiseMerge op() const { return op_; }

  void forward(const PassContext& ctx, const std::vector<const float*>& inputs, float* out) override;
  void backward(const PassContext& ctx, const std::vector<const float*>& inputs, const float* out, const float* d_out,
                const std::vector<float*>& d_inputs) override;

 private:
  std::string name_;
  ElementwiseMerge op_;
};

}  // namespace nnplay
