// Loss: picks the loss op by name (nn/registry.h's loss table) and, when the graph's output node
// is the activation the loss row names (sigmoid for binary CE, softmax for the categorical ones),
// the fused gradient that skips that activation's derivative. The Trainer owns one per output;
// the ops in ops/ hold the math.
#pragma once

#include <string>

#include "nn/registry.h"
#include "ops/activation.h"

namespace nnplay {

class Loss {
 public:
  // Throws Error for an unknown name (lists the allowed ones). output_activation: what
  // Graph::fusable_output_activation says about the output this loss is attached to.
  // params: the loss row's keys as the compile spec gave them (huberLoss's delta); a key left
  // out takes the row's default.
  Loss(const std::string& name, ActivationKind output_activation, const Config& params = Config());

  LossKind kind() const { return kind_; }
  const std::string& name() const { return name_; }  // canonical: "meanSquaredError"
  bool sparse() const { return kind_ == LossKind::kSparseCategoricalCrossentropy; }
  // True when backward() gives the gradient w.r.t. the output activation's input.
  bool fused() const { return fused_; }
  // Columns of y per sample: 1 (a class index) for the sparse loss, else the output size.
  int target_size(int output_size) const { return sparse() ? 1 : output_size; }

  // pred [n, k], y [n, target_size(k)]. Batch-mean loss; with sample_weight [n] (nullptr: all
  // 1), (1/n)·Σ w_i·loss_i (TF.js's classWeight: the mean of the weighted losses).
  double forward(const float* pred, const float* y, int n, int k, const float* sample_weight = nullptr) const;
  // d [n, k] is overwritten with ∂loss/∂pred, or ∂loss/∂z (pre-activation) when fused(); row i
  // scaled by sample_weight[i] when given.
  void backward(float* d, const float* pred, const float* y, int n, int k, const float* sample_weight = nullptr) const;

 private:
  double batch_mean(const float* pred, const float* y, int n, int k) const;  // the op's own batch mean
  void unweighted_backward(float* d, const float* pred, const float* y, int n, int k) const;

  std::string name_;
  LossKind kind_;
  bool fused_;
  float delta_ = 1.0f;  // huberLoss
};

}  // namespace nnplay
