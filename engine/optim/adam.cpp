// Adam, TF.js form (tfjs-core adam_optimizer.ts): bias-corrected moments, epsilon added
// outside the square root (default 1e-7, not Keras-Python's 1e-8 inside):
//   m = β1·m + (1 − β1)·g;  v = β2·v + (1 − β2)·g²
//   w −= lr · (m / (1 − β1^t)) / (sqrt(v / (1 − β2^t)) + ε)
#include "kernels/optim_kernels.h"
#include "optim/optimizer.h"

namespace nnplay {
namespace {

class Adam : public Optimizer {
 public:
  Adam(float lr, float beta1, float beta2, float epsilon)
      : Optimizer(lr), beta1_(beta1), beta2_(beta2), epsilon_(epsilon), acc_beta1_(beta1), acc_beta2_(beta2) {}
  void apply(std::vector<Variable>& params) override {
    ensure_slots(m_, params);
    ensure_slots(v_, params);
    // acc_beta = β^t for this step t (TF.js keeps them as float32 variables starting at β).
    const float one_minus_b1t = 1.0f - acc_beta1_;
    const float one_minus_b2t = 1.0f - acc_beta2_;
    for (std::size_t k = 0; k < params.size(); ++k) {
      adam_update(params[k].value->data(), m_[k].data(), v_[k].data(), params[k].grad->data(), learning_rate_, beta1_,
                  beta2_, epsilon_, one_minus_b1t, one_minus_b2t, params[k].value->size());
    }
    acc_beta1_ *= beta1_;
    acc_beta2_ *= beta2_;
  }

 private:
  float beta1_, beta2_, epsilon_;
  float acc_beta1_, acc_beta2_;
  std::vector<Tensor> m_, v_;
};

}  // namespace

std::unique_ptr<Optimizer> make_adam(const OptimizerSpec& spec) {
  return std::make_unique<Adam>(spec.learning_rate, spec.beta1, spec.beta2, spec.epsilon);
}

}  // namespace nnplay
