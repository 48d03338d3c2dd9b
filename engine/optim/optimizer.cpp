#include "optim/optimizer.h"

#include <cmath>

#include "core/check.h"
#include "core/cold.h"

namespace nnplay {

NNPLAY_COLD void Optimizer::set_learning_rate(float learning_rate) {
  NNPLAY_CHECK(std::isfinite(learning_rate) && learning_rate > 0.0f,
               "learningRate must be a finite number > 0, got " << learning_rate);
  learning_rate_ = learning_rate;
}

void Optimizer::set_scheduled_learning_rate(float learning_rate) {
  NNPLAY_CHECK(std::isfinite(learning_rate) && learning_rate >= 0.0f,
               "the learning-rate schedule gave " << learning_rate << "; it must be a finite number >= 0");
  learning_rate_ = learning_rate;
}

// Cold: past the first step it only compares two sizes, which minsize does not slow down.
NNPLAY_COLD void Optimizer::ensure_slots(std::vector<Tensor>& slots, const std::vector<Variable>& params, float fill) {
  if (slots.size() == params.size()) return;
  NNPLAY_CHECK(slots.empty(), "optimizer applied to a different parameter list than before");
  slots.reserve(params.size());
  for (const Variable& p : params) {
    slots.emplace_back(p.value->shape());
    Tensor& t = slots.back();
    for (std::size_t i = 0; i < t.size(); ++i) t[i] = fill;
  }
}

NNPLAY_COLD std::unique_ptr<Optimizer> make_optimizer(const OptimizerSpec& spec) {
  CompileSpec check;
  check.optimizer = spec;
  validate_compile_spec(check);
  return find_optimizer(spec.name).make(spec);
}

}  // namespace nnplay
