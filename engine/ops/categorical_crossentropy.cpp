#include "ops/categorical_crossentropy.h"

#include <cmath>
#include <cstddef>

#include "core/scalar_math.h"
#include "ops/binary_crossentropy.h"  // kLossEpsilon

namespace nnplay {
namespace {
const float kHi = 1.0f - kLossEpsilon;

double row_sum(const float* p, int k) {
  double s = 0.0;
  for (int c = 0; c < k; ++c) s += p[c];
  return s;
}
}  // namespace

double categorical_crossentropy_forward(const float* pred, const float* y, int n, int k) {
  double total = 0.0;
  for (int r = 0; r < n; ++r) {
    const float* p = pred + static_cast<std::size_t>(r) * k;
    const float* t = y + static_cast<std::size_t>(r) * k;
    double s = row_sum(p, k);
    for (int c = 0; c < k; ++c) {
      if (t[c] == 0.0f) continue;  // 0·log q is 0, even where q is clipped to ε
      float q = static_cast<float>(p[c] / s);
      q = q < kLossEpsilon ? kLossEpsilon : (q > kHi ? kHi : q);
      total -= static_cast<double>(t[c]) * log_of(static_cast<double>(q));
    }
  }
  return total / n;
}

void categorical_crossentropy_backward(float* d_pred, const float* pred, const float* y, int n, int k) {
  // With q = p / s (s = Σ p): ∂L/∂p_i = (g_i − Σ_j g_j·q_j) / s, where g = ∂L/∂q is
  // −y/(n·q) inside the clip and 0 where the clip is active.
  for (int r = 0; r < n; ++r) {
    const float* p = pred + static_cast<std::size_t>(r) * k;
    const float* t = y + static_cast<std::size_t>(r) * k;
    float* d = d_pred + static_cast<std::size_t>(r) * k;
    double s = row_sum(p, k);
    double gq = 0.0;  // Σ_j g_j·q_j
    for (int c = 0; c < k; ++c) {
      double q = p[c] / s;
      if (q >= kLossEpsilon && q <= kHi) gq += -static_cast<double>(t[c]) / n;  // g_c·q_c
    }
    for (int c = 0; c < k; ++c) {
      double q = p[c] / s;
      double g = (q >= kLossEpsilon && q <= kHi) ? -static_cast<double>(t[c]) / (n * q) : 0.0;
      d[c] += static_cast<float>((g - gq) / s);
    }
  }
}

void categorical_crossentropy_softmax_backward(float* d_logits, const float* pred, const float* y, int n, int k) {
  const float inv_n = 1.0f / static_cast<float>(n);
  for (int r = 0; r < n; ++r) {
    const float* p = pred + static_cast<std::size_t>(r) * k;
    const float* t = y + static_cast<std::size_t>(r) * k;
    float* d = d_logits + static_cast<std::size_t>(r) * k;
    float t_sum = 0.0f;
    for (int c = 0; c < k; ++c) t_sum += t[c];
    for (int c = 0; c < k; ++c) d[c] += inv_n * (p[c] * t_sum - t[c]);
  }
}

}  // namespace nnplay
