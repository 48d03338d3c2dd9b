// Dense layer: out = in · kernel + bias on the last axis of any rank ([n, ..., features] ->
// [n, ..., units]), as Keras. The activation is a node of its own (nn/activation_layer.h), which
// the graph adds after it when the spec says "activation". Variables: kernel [features, units]
// (regularized), bias [units] when useBias.
#pragma once

#include <memory>

#include "nn/layer.h"
#include "nn/registry.h"

namespace nnplay {

class DenseLayer : public Layer {
 public:
  explicit DenseLayer(const LayerArgs& args);

  void forward(const PassContext& ctx, const std::vector<const float*>& inputs, float* out) override;
  void backward(const PassContext& ctx, const std::vector<const float*>& inputs, const float* out, const float* d_out,
                const std::vector<float*>& d_inputs) override;

  bool overwrite_variable_grads() override {
    overwrite_grads_ = true;
    return true;
  }

  Tensor& kernel() { return *variables_[0].value; }
  Tensor& kernel_grad() { return *variables_[0].grad; }
  Tensor& bias() { return *variables_.at(1).value; }
  Tensor& bias_grad() { return *variables_.at(1).grad; }

 private:
  int rows_per_sample_;  // product of the axes before the last: 1 for a flat input
  int in_, units_;
  bool use_bias_;
  bool overwrite_grads_ = false;  // see Layer::overwrite_variable_grads
};

std::unique_ptr<Layer> make_dense_layer(const LayerArgs& args);

}  // namespace nnplay
