#include "ops/cosine_proximity.h"

#include <cmath>
#include <cstddef>

#include "ops/binary_crossentropy.h"  // kLossEpsilon

namespace nnplay {
namespace {
// Σ x² of one row and the norm TF.js's l2Normalize divides by: sqrt(max(Σ x², ε)).
double squared_sum(const float* x, int k) {
  double s = 0.0;
  for (int c = 0; c < k; ++c) s += static_cast<double>(x[c]) * x[c];
  return s;
}
double clipped_norm(double squared) { return std::sqrt(squared > kLossEpsilon ? squared : kLossEpsilon); }
}  // namespace

double cosine_proximity_forward(const float* pred, const float* y, int n, int k) {
  double sum = 0.0;
  for (int r = 0; r < n; ++r) {
    const float* p = pred + static_cast<std::size_t>(r) * k;
    const float* t = y + static_cast<std::size_t>(r) * k;
    double dot = 0.0;
    for (int c = 0; c < k; ++c) dot += static_cast<double>(t[c]) * p[c];
    sum -= dot / (clipped_norm(squared_sum(t, k)) * clipped_norm(squared_sum(p, k)));
  }
  return sum / n;
}

void cosine_proximity_backward(float* d_pred, const float* pred, const float* y, int n, int k) {
  for (int r = 0; r < n; ++r) {
    const std::size_t off = static_cast<std::size_t>(r) * k;
    const float *p = pred + off, *t = y + off;
    const double sp = squared_sum(p, k);
    const double ty = clipped_norm(squared_sum(t, k)), rp = clipped_norm(sp);
    double dot = 0.0;  // ŷ·p
    for (int c = 0; c < k; ++c) dot += static_cast<double>(t[c]) / ty * p[c];
    // loss_r = −(ŷ·p) / rp. When Σ p² ≥ ε, rp depends on p (TF.js's maximum passes the gradient
    // to Σ p² at equality): ∂/∂p = −(ŷ / rp − (ŷ·p)·p / rp³). Below ε, rp is a constant.
    const bool norm_varies = sp >= kLossEpsilon;
    for (int c = 0; c < k; ++c) {
      double g = -(static_cast<double>(t[c]) / ty) / rp;
      if (norm_varies) g += dot * p[c] / (rp * rp * rp);
      d_pred[off + c] += static_cast<float>(g / n);
    }
  }
}

}  // namespace nnplay
