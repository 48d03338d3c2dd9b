#include "ops/categorical_hinge.h"

#include <cstddef>

namespace nnplay {
namespace {

// The sample's margin 1 + neg − pos and its neg, from the float32 products TF.js compares.
struct Margin {
  double value;
  float neg;
};

Margin margin_of(const float* p, const float* y, int k) {
  double pos = 0.0;
  float neg = (1.0f - y[0]) * p[0];
  for (int j = 0; j < k; ++j) {
    pos += static_cast<double>(y[j]) * static_cast<double>(p[j]);
    const float other = (1.0f - y[j]) * p[j];
    if (other > neg) neg = other;
  }
  return {1.0 + static_cast<double>(neg) - pos, neg};
}

}  // namespace

double categorical_hinge_forward(const float* pred, const float* y, int n, int k) {
  double sum = 0.0;
  for (int i = 0; i < n; ++i) {
    const std::size_t row = static_cast<std::size_t>(i) * static_cast<std::size_t>(k);
    const double m = margin_of(pred + row, y + row, k).value;
    if (m > 0.0) sum += m;
  }
  return n > 0 ? sum / n : 0.0;
}

void categorical_hinge_backward(float* d_pred, const float* pred, const float* y, int n, int k) {
  const float scale = n > 0 ? 1.0f / static_cast<float>(n) : 0.0f;
  for (int i = 0; i < n; ++i) {
    const std::size_t row = static_cast<std::size_t>(i) * static_cast<std::size_t>(k);
    const float* p = pred + row;
    const float* t = y + row;
    const Margin m = margin_of(p, t, k);
    if (!(m.value > 0.0)) continue;
    for (int j = 0; j < k; ++j) {
      const float tie = (1.0f - t[j]) * p[j] == m.neg ? 1.0f - t[j] : 0.0f;
      d_pred[row + static_cast<std::size_t>(j)] += scale * (tie - t[j]);
    }
  }
}

}  // namespace nnplay
