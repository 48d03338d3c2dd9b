// Merge layers (Keras / TF.js `concatenate` and `add`): k >= 2 inputs, one output, no weights.
//
// concatenate joins the inputs along `axis` (Keras numbering: the batch is axis 0, so the
// per-sample axes are 1 … rank and -1 is the last); every other axis must match. add sums inputs
// of one shape (no broadcasting).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "nn/layer.h"
#include "nn/variable_info.h"

namespace nnplay {

struct ConcatenateConfig {
  int axis = -1;
};

struct AddConfig {};

// The shared shape with the axis sizes summed. Throws Error for fewer than 2 inputs, different
// ranks, the batch axis, an axis out of range, or another axis that differs.
Shape concatenate_output_shape(const std::vector<Shape>& inputs, const ConcatenateConfig& cfg);
inline std::vector<VariableInfo> concatenate_variables(const std::vector<Shape>&, const ConcatenateConfig&) {
  return {};
}

// The shared shape. Throws Error for fewer than 2 inputs or shapes that differ.
Shape add_output_shape(const std::vector<Shape>& inputs, const AddConfig& cfg);
inline std::vector<VariableInfo> add_variables(const std::vector<Shape>&, const AddConfig&) { return {}; }

class ConcatenateLayer : public Layer {
 public:
  ConcatenateLayer(const std::vector<Shape>& input_shapes, ConcatenateConfig cfg, const std::string& name);

  const std::string& name() const { return name_; }
  const ConcatenateConfig& config() const { return cfg_; }

  void forward(const PassContext& ctx, const std::vector<const float*>& inputs, float* out) override;
  void backward(const PassContext& ctx, const std::vector<const float*>& inputs, const float* out, const float* d_out,
                const std::vector<float*>& d_inputs) override;

 private:
  std::string name_;
  ConcatenateConfig cfg_;
  std::int64_t outer_per_sample_;     // product of the per-sample axes before the concatenation axis
  std::vector<std::int64_t> chunks_;  // per input: product of its axes from the concatenation axis on
};

class AddLayer : public Layer {
 public:
  AddLayer(const std::vector<Shape>& input_shapes, AddConfig cfg, const std::string& name);

  const std::string& name() const { return name_; }

  void forward(const PassContext& ctx, const std::vector<const float*>& inputs, float* out) override;
  void backward(const PassContext& ctx, const std::vector<const float*>& inputs, const float* out, const float* d_out,
                const std::vector<float*>& d_inputs) override;

 private:
  std::string name_;
};

}  // namespace nnplay
