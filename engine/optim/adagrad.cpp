// Adagrad, TF.js form (tfjs-core adagrad_optimizer.ts): the accumulator starts at
// initialAccumulatorValue (0.1), not 0, so the first step is bounded:
//   accum += g²;  w −= lr·g / sqrt(accum + ε)
#include "kernels/optim_kernels.h"
#include "optim/optimizer.h"

namespace nnplay {
namespace {

class Adagrad : public Optimizer {
 public:
  Adagrad(float lr, float initial_accumulator, float epsilon)
      : Optimizer(lr), initial_accumulator_(initial_accumulator), epsilon_(epsilon) {}
  void apply(std::vector<Variable>& params) override {
    ensure_slots(accum_, params, initial_accumulator_);
    for (std::size_t k = 0; k < params.size(); ++k) {
      adagrad_update(params[k].value->data(), accum_[k].data(), params[k].grad->data(), learning_rate_, epsilon_,
                     params[k].value->size());
    }
  }

 private:
  float initial_accumulator_, epsilon_;
  std::vector<Tensor> accum_;
};

}  // namespace

std::unique_ptr<Optimizer> make_adagrad(const OptimizerSpec& spec) {
  return std::make_unique<Adagrad>(spec.learning_rate, spec.initial_accumulator_value, spec.epsilon);
}

}  // namespace nnplay
