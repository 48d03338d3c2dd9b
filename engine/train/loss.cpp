#include "train/loss.h"

#include <cstring>

#include "core/check.h"
#include "ops/binary_crossentropy.h"
#include "ops/categorical_crossentropy.h"
#include "ops/mean_squared_error.h"
#include "ops/sparse_categorical_crossentropy.h"

namespace nnplay {

Loss::Loss(const std::string& name, ActivationKind output_activation) {
  const LossInfo& info = find_loss(name);
  name_ = info.name;
  kind_ = info.kind;
  fused_ = info.fused_activation != ActivationKind::kLinear && info.fused_activation == output_activation;
}

double Loss::forward(const float* pred, const float* y, int n, int k) const {
  switch (kind_) {
    case LossKind::kMeanSquaredError: return mean_squared_error_forward(pred, y, n, k);
    case LossKind::kBinaryCrossentropy: return binary_crossentropy_forward(pred, y, n, k);
    case LossKind::kCategoricalCrossentropy: return categorical_crossentropy_forward(pred, y, n, k);
    case LossKind::kSparseCategoricalCrossentropy: return sparse_categorical_crossentropy_forward(pred, y, n, k);
  }
  return 0.0;
}

void Loss::backward(float* d, const float* pred, const float* y, int n, int k) const {
  std::memset(d, 0, sizeof(float) * static_cast<std::size_t>(n) * static_cast<std::size_t>(k));
  switch (kind_) {
    case LossKind::kMeanSquaredError: mean_squared_error_backward(d, pred, y, n, k); return;
    case LossKind::kBinaryCrossentropy:
      if (fused_)
        binary_crossentropy_sigmoid_backward(d, pred, y, n, k);
      else
        binary_crossentropy_backward(d, pred, y, n, k);
      return;
    case LossKind::kCategoricalCrossentropy:
      if (fused_)
        categorical_crossentropy_softmax_backward(d, pred, y, n, k);
      else
        categorical_crossentropy_backward(d, pred, y, n, k);
      return;
    case LossKind::kSparseCategoricalCrossentropy:
      if (fused_)
        sparse_categorical_crossentropy_softmax_backward(d, pred, y, n, k);
      else
        sparse_categorical_crossentropy_backward(d, pred, y, n, k);
      return;
  }
}

}  // namespace nnplay
