// The sequence layers around the recurrent ones (Keras / TF.js embedding, conv1d,
// globalAveragePooling1d): typed configs, their pure shape and variable rules (called by the
// rows in nn/layer_rows_seq.cpp), and the Layers. A sequence is [steps, features] per sample.
//
//  - embedding: ids [...] (floats holding integers) → [..., outputDim], one row of the table
//    `embeddings` [inputDim, outputDim] per id (ops/embedding.h). Ids are checked where data
//    meets the model (check_input_values: TrainingSession::seal_dataset, and every forward), so
//    an id outside [0, inputDim) or a fraction is an Error naming the layer, the id and the range.
//  - conv1d: [steps, channels] → [outSteps, filters], kernel [kernelSize, channels, filters]
//    (Keras layout). It is the conv2d layer (nn/conv2d_layer.h: im2col + one GEMM) on a
//    one-row image: [1, steps, channels] with a [1, kernelSize] window has the same memory
//    layout and the same kernel bytes, so nothing new runs.
//  - globalAveragePooling1d: [steps, channels] → [channels], the mean over steps (the op of
//    globalAveragePooling2d with steps as pixels).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "nn/layer.h"
#include "nn/registry.h"

namespace nnplay {

struct EmbeddingConfig {
  int input_dim = 1, output_dim = 1;
  int input_length = -1;  // -1: not given; else the input's last axis must have this size
  std::string initializer = "randomUniform";
  float l1 = 0, l2 = 0;
};
EmbeddingConfig embedding_config_from(const Config& c);
Shape embedding_output_shape(const std::vector<Shape>& inputs, const EmbeddingConfig& cfg, const std::string& where,
                             const std::string& input_desc);
std::vector<VariableSpec> embedding_variables(const EmbeddingConfig& cfg);

class EmbeddingLayer : public Layer {
 public:
  // where: how messages name the layer, e.g. `layer "embedding_1" (embedding)`.
  EmbeddingLayer(const Shape& input_shape, const EmbeddingConfig& cfg, std::vector<Variable> variables,
                 std::string where);
  void forward(const PassContext& ctx, const std::vector<const float*>& inputs, float* out) override;
  void backward(const PassContext& ctx, const std::vector<const float*>& inputs, const float* out, const float* d_out,
                const std::vector<float*>& d_inputs) override;
  void check_input_values(int input, const float* x, int n) const override;
  bool input_has_gradient(int) const override { return false; }

 private:
  EmbeddingConfig cfg_;
  std::string where_;
};

struct Conv1dConfig {
  int filters = 1, kernel_size = 1, stride = 1;
  bool same = false;
};
Conv1dConfig conv1d_config_from(const Config& c);
Shape conv1d_output_shape(const std::vector<Shape>& inputs, const Conv1dConfig& cfg, const std::string& where,
                          const std::string& input_desc);
std::unique_ptr<Layer> make_conv1d_layer(const LayerArgs& args);

Shape global_average_pooling1d_output_shape(const std::vector<Shape>& inputs, const std::string& where,
                                            const std::string& input_desc);

class GlobalAveragePooling1dLayer : public Layer {
 public:
  explicit GlobalAveragePooling1dLayer(const Shape& input_shape);
  void forward(const PassContext& ctx, const std::vector<const float*>& inputs, float* out) override;
  void backward(const PassContext& ctx, const std::vector<const float*>& inputs, const float* out, const float* d_out,
                const std::vector<float*>& d_inputs) override;
};

}  // namespace nnplay
