// Optimizers: flat loops over each trainable Variable's value and grad, with TF.js's formulas and
// defaults (tfjs-core src/optimizers/*). One class per file; make_optimizer calls the optimizer table row's factory.
//
// An optimizer keeps per-parameter state (moments, accumulators) indexed by the position in
// the param list, so it must always be applied to the same list (one model).
#pragma once

#include <memory>
#include <vector>

#include "nn/layer.h"
#include "nn/registry.h"

namespace nnplay {

class Optimizer {
 public:
  explicit Optimizer(float learning_rate) : learning_rate_(learning_rate) {}
  virtual ~Optimizer() = default;

  // One update of every param from its grad (the grads already include regularization).
  virtual void apply(std::vector<Variable>& params) = 0;

  float learning_rate() const { return learning_rate_; }
  // Live change: keeps the state (moments, accumulators). Throws Error unless finite and > 0.
  void set_learning_rate(float learning_rate);
  // A schedule's rate for the next step (the trainer asks it each step): 0 is allowed (a cosine
  // decay's end). Keeps the state.
  void set_scheduled_learning_rate(float learning_rate);

 protected:
  float learning_rate_;
  // Per-param state tensors, created (zero or `fill`) on first use with the param's shape.
  static void ensure_slots(std::vector<Tensor>& slots, const std::vector<Variable>& params, float fill = 0.0f);
};

// spec must be valid (validate_compile_spec).
std::unique_ptr<Optimizer> make_optimizer(const OptimizerSpec& spec);

std::unique_ptr<Optimizer> make_sgd(const OptimizerSpec& spec);
std::unique_ptr<Optimizer> make_momentum(const OptimizerSpec& spec);
std::unique_ptr<Optimizer> make_adam(const OptimizerSpec& spec);
std::unique_ptr<Optimizer> make_rmsprop(const OptimizerSpec& spec);
std::unique_ptr<Optimizer> make_adagrad(const OptimizerSpec& spec);
std::unique_ptr<Optimizer> make_adadelta(const OptimizerSpec& spec);
std::unique_ptr<Optimizer> make_adamax(const OptimizerSpec& spec);

}  // namespace nnplay
