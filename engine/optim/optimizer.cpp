#include "optim/optimizer.h"

#include <cmath>

#include "core/check.h"

namespace nnplay {

void Optimizer::set_learning_rate(float learning_rate) {
  NNPLAY_CHECK(std::isfinite(learning_rate) && learning_rate > 0.0f,
               "learningRate must be a finite number > 0, got " << learning_rate);
  learning_rate_ = learning_rate;
}

void Optimizer::ensure_slots(std::vector<Tensor>& slots, const std::vector<Variable>& params, float fill) {
  if (slots.size() == params.size()) return;
  NNPLAY_CHECK(slots.empty(), "optimizer applied to a different parameter list than before");
  slots.reserve(params.size());
  for (const Variable& p : params) {
    slots.emplace_back(p.value->shape());
    Tensor& t = slots.back();
    for (std::size_t i = 0; i < t.size(); ++i) t[i] = fill;
  }
}

std::unique_ptr<Optimizer> make_optimizer(const OptimizerSpec& spec) {
  validate_compile_spec(CompileSpec{spec, "meanSquaredError", {}});
  const std::string& name = find_optimizer(spec.name).name;
  if (name == "sgd") return make_sgd(spec);
  if (name == "momentum") return make_momentum(spec);
  if (name == "adam") return make_adam(spec);
  if (name == "rmsprop") return make_rmsprop(spec);
  return make_adagrad(spec);
}

}  // namespace nnplay
