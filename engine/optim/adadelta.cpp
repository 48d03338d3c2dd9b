// Adadelta, TF.js form (tfjs-core adadelta_optimizer.ts; tf.train.adadelta(0.001, 0.95, ε)): the
// step is g scaled by sqrt(accum_u + ε) / sqrt(accum_g + ε), with TF.js's accum_g from before this
// step's update (so the first step is lr·g). The kernel (kernels/optim_kernels.h) holds the formula.
#include "kernels/optim_kernels.h"
#include "optim/optimizer.h"

namespace nnplay {
namespace {

class Adadelta : public Optimizer {
 public:
  Adadelta(float lr, float rho, float epsilon) : Optimizer(lr), rho_(rho), epsilon_(epsilon) {}
  void apply(std::vector<Variable>& params) override {
    ensure_slots(accum_g_, params);
    ensure_slots(accum_u_, params);
    for (std::size_t k = 0; k < params.size(); ++k)
      adadelta_update(params[k].value->data(), accum_g_[k].data(), accum_u_[k].data(), params[k].grad->data(),
                      learning_rate_, rho_, epsilon_, params[k].value->size());
  }

 private:
  float rho_, epsilon_;
  std::vector<Tensor> accum_g_, accum_u_;
};

}  // namespace

std::unique_ptr<Optimizer> make_adadelta(const OptimizerSpec& spec) {
  return std::make_unique<Adadelta>(spec.learning_rate, spec.decay, spec.epsilon);
}

}  // namespace nnplay
