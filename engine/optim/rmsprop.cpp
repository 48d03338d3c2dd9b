// RMSprop, TF.js form (tfjs-core rmsprop_optimizer.ts), non-centered. Momentum is always
// part of the update; with momentum 0 it reduces to w −= lr·g / sqrt(ms + ε):
//   ms  = ρ·ms + (1 − ρ)·g²
//   mom = μ·mom + lr·g / sqrt(ms + ε)
//   w  −= mom
#include "kernels/optim_kernels.h"
#include "optim/optimizer.h"

namespace nnplay {
namespace {

class RmsProp : public Optimizer {
 public:
  RmsProp(float lr, float decay, float momentum, float epsilon)
      : Optimizer(lr), decay_(decay), momentum_(momentum), epsilon_(epsilon) {}
  void apply(std::vector<Variable>& params) override {
    ensure_slots(ms_, params);
    ensure_slots(mom_, params);
    for (std::size_t k = 0; k < params.size(); ++k) {
      rmsprop_update(params[k].value->data(), ms_[k].data(), mom_[k].data(), params[k].grad->data(), learning_rate_,
                     decay_, momentum_, epsilon_, params[k].value->size());
    }
  }

 private:
  float decay_, momentum_, epsilon_;
  std::vector<Tensor> ms_, mom_;
};

}  // namespace

std::unique_ptr<Optimizer> make_rmsprop(const OptimizerSpec& spec) {
  return std::make_unique<RmsProp>(spec.learning_rate, spec.decay, spec.momentum, spec.epsilon);
}

}  // namespace nnplay
