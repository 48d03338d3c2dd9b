// Reshape layer (Keras / TF.js `reshape`): the same values, in the same (row-major) order, under
// another per-sample shape. targetShape may hold one -1, inferred from the input's size. No
// weights. (flatten of any rank is nn/flatten_layer.h: it is this with targetShape [-1].)
#pragma once

#include <string>
#include <vector>

#include "nn/layer.h"
#include "nn/variable_info.h"

namespace nnplay {

struct ReshapeConfig {
  Shape target_shape;  // per sample (no batch); entries >= 1, at most one -1
};

// targetShape with its -1 resolved. Throws Error when it has no entries, an entry that is 0 or
// below -1, two -1s, or a size different from the input's.
Shape reshape_output_shape(const std::vector<Shape>& inputs, const ReshapeConfig& cfg);
inline std::vector<VariableInfo> reshape_variables(const std::vector<Shape>&, const ReshapeConfig&) { return {}; }

class ReshapeLayer : public Layer {
 public:
  ReshapeLayer(const Shape& input_shape, ReshapeConfig cfg, const std::string& name);

  const std::string& name() const { return name_; }
  const ReshapeConfig& config() const { return cfg_; }

  // A copy: the graph owns every node's output buffer.
  void forward(const PassContext& ctx, const std::vector<const float*>& inputs, float* out) override;
  void backward(const PassContext& ctx, const std::vector<const float*>& inputs, const float* out, const float* d_out,
                const std::vector<float*>& d_inputs) override;

 private:
  std::string name_;
  ReshapeConfig cfg_;
};

}  // namespace nnplay
