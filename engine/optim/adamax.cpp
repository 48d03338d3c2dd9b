// Adamax, TF.js form (tfjs-core adamax_optimizer.ts; tf.train.adamax(0.002, 0.9, 0.999, ε, 0)):
// the infinity-norm variant of Adam. Per update t (1-based) the step size is
// lr / (1 + decay·(t − 1)) / (1 − β1^t), in float32 as TF.js computes its scalars.
#include "kernels/optim_kernels.h"
#include "optim/optimizer.h"

namespace nnplay {
namespace {

class Adamax : public Optimizer {
 public:
  Adamax(float lr, float beta1, float beta2, float epsilon, float decay)
      : Optimizer(lr), beta1_(beta1), beta2_(beta2), epsilon_(epsilon), decay_(decay), acc_beta1_(beta1) {}
  void apply(std::vector<Variable>& params) override {
    ensure_slots(m_, params);
    ensure_slots(u_, params);
    const float lr = learning_rate_ / (iteration_ * decay_ + 1.0f);
    const float step = lr / (1.0f - acc_beta1_);
    for (std::size_t k = 0; k < params.size(); ++k)
      adamax_update(params[k].value->data(), m_[k].data(), u_[k].data(), params[k].grad->data(), step, beta1_, beta2_,
                    epsilon_, params[k].value->size());
    iteration_ += 1.0f;
    acc_beta1_ *= beta1_;
  }

 private:
  float beta1_, beta2_, epsilon_, decay_;
  float iteration_ = 0.0f;  // float32, as TF.js's iteration variable
  float acc_beta1_;
  std::vector<Tensor> m_, u_;
};

}  // namespace

std::unique_ptr<Optimizer> make_adamax(const OptimizerSpec& spec) {
  return std::make_unique<Adamax>(spec.learning_rate, spec.beta1, spec.beta2, spec.epsilon, spec.decay);
}

}  // namespace nnplay
