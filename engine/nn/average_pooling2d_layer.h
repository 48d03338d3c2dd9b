// AveragePooling2D and GlobalAveragePooling2D layers (Keras / TF.js `averagePooling2d`,
// `globalAveragePooling2d`) on NHWC images [h, w, c], channels last. No weights.
//
// averagePooling2d: the mean of each poolSize window; strides default to poolSize; padding
// "valid" (windows inside the image) or "same" (ceil(size / stride) outputs, edge windows average
// only the cells inside the image, as TF). globalAveragePooling2d: [h, w, c] -> [c].
#pragma once

#include <string>
#include <vector>

#include "kernels/im2col.h"
#include "nn/layer.h"
#include "nn/variable_info.h"

namespace nnplay {

struct AveragePooling2dConfig {
  int pool_h = 2, pool_w = 2;      // poolSize
  int stride_h = 0, stride_w = 0;  // 0: the pool size (TF.js's default strides = poolSize)
  bool same_padding = false;       // padding "same" (true) or "valid"
};

struct GlobalAveragePooling2dConfig {};

// [oh, ow, c]. Throws Error when the input is not [h, w, c], a size or stride is < 1 (0 strides
// mean "the pool size"), or with "valid" the window does not fit.
Shape average_pooling2d_output_shape(const std::vector<Shape>& inputs, const AveragePooling2dConfig& cfg);
inline std::vector<VariableInfo> average_pooling2d_variables(const std::vector<Shape>&, const AveragePooling2dConfig&) {
  return {};
}

// [c]. Throws Error when the input is not [h, w, c].
Shape global_average_pooling2d_output_shape(const std::vector<Shape>& inputs, const GlobalAveragePooling2dConfig& cfg);
inline std::vector<VariableInfo> global_average_pooling2d_variables(const std::vector<Shape>&,
                                                                    const GlobalAveragePooling2dConfig&) {
  return {};
}

class AveragePooling2dLayer : public Layer {
 public:
  AveragePooling2dLayer(const Shape& input_shape, AveragePooling2dConfig cfg, const std::string& name);

  const std::string& name() const { return name_; }
  const AveragePooling2dConfig& config() const { return cfg_; }
  const ConvGeometry& geometry() const { return g_; }

  void forward(const PassContext& ctx, const std::vector<const float*>& inputs, float* out) override;
  void backward(const PassContext& ctx, const std::vector<const float*>& inputs, const float* out, const float* d_out,
                const std::vector<float*>& d_inputs) override;

 private:
  std::string name_;
  AveragePooling2dConfig cfg_;
  ConvGeometry g_;
};

class GlobalAveragePooling2dLayer : public Layer {
 public:
  GlobalAveragePooling2dLayer(const Shape& input_shape, GlobalAveragePooling2dConfig cfg, const std::string& name);

  const std::string& name() const { return name_; }

  void forward(const PassContext& ctx, const std::vector<const float*>& inputs, float* out) override;
  void backward(const PassContext& ctx, const std::vector<const float*>& inputs, const float* out, const float* d_out,
                const std::vector<float*>& d_inputs) override;

 private:
  std::string name_;
  int pixels_, channels_;
};

}  // namespace nnplay
