// Momentum, TF.js form (tfjs-core momentum_optimizer.ts): the accumulator holds gradients,
// not steps, and the learning rate is applied at update time:
//   accum = m·accum + g
//   w −= lr·accum                      (classic)
//   w −= lr·(g + m·accum)              (Nesterov)
#include "kernels/optim_kernels.h"
#include "optim/optimizer.h"

namespace nnplay {
namespace {

class Momentum : public Optimizer {
 public:
  Momentum(float lr, float momentum, bool nesterov) : Optimizer(lr), momentum_(momentum), nesterov_(nesterov) {}
  void apply(std::vector<Variable>& params) override {
    ensure_slots(accum_, params);
    for (std::size_t k = 0; k < params.size(); ++k) {
      momentum_update(params[k].value->data(), accum_[k].data(), params[k].grad->data(), learning_rate_, momentum_,
                      nesterov_, params[k].value->size());
    }
  }

 private:
  float momentum_;
  bool nesterov_;
  std::vector<Tensor> accum_;
};

}  // namespace

std::unique_ptr<Optimizer> make_momentum(const OptimizerSpec& spec) {
  return std::make_unique<Momentum>(spec.learning_rate, spec.momentum, spec.use_nesterov);
}

}  // namespace nnplay
