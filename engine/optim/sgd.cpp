// Plain stochastic gradient descent: w −= lr·g.
#include "kernels/optim_kernels.h"
#include "optim/optimizer.h"

namespace nnplay {
namespace {

class Sgd : public Optimizer {
 public:
  using Optimizer::Optimizer;
  void apply(std::vector<Variable>& params) override {
    for (Variable& p : params) sgd_update(p.value->data(), p.grad->data(), learning_rate_, p.value->size());
  }
};

}  // namespace

std::unique_ptr<Optimizer> make_sgd(const OptimizerSpec& spec) { return std::make_unique<Sgd>(spec.learning_rate); }

}  // namespace nnplay
