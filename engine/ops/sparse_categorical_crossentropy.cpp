#include "ops/sparse_categorical_crossentropy.h"

#include <cmath>
#include <cstddef>

#include "core/check.h"
#include "core/scalar_math.h"
#include "ops/binary_crossentropy.h"  // kLossEpsilon

namespace nnplay {
namespace {
const float kHi = 1.0f - kLossEpsilon;

int label_at(const float* labels, int r, int k) {
  int c = static_cast<int>(labels[r]);
  NNPLAY_ASSERT(c >= 0 && c < k && static_cast<float>(c) == labels[r]);
  (void)k;
  return c;
}

double row_sum(const float* p, int k) {
  double s = 0.0;
  for (int c = 0; c < k; ++c) s += p[c];
  return s;
}
}  // namespace

double sparse_categorical_crossentropy_forward(const float* pred, const float* labels, int n, int k) {
  double total = 0.0;
  for (int r = 0; r < n; ++r) {
    const float* p = pred + static_cast<std::size_t>(r) * k;
    int c = label_at(labels, r, k);
    float q = static_cast<float>(p[c] / row_sum(p, k));
    q = q < kLossEpsilon ? kLossEpsilon : (q > kHi ? kHi : q);
    total -= log_of(static_cast<double>(q));
  }
  return total / n;
}

void sparse_categorical_crossentropy_backward(float* d_pred, const float* pred, const float* labels, int n, int k) {
  // As categorical_crossentropy_backward with a one-hot y: only g_label = −1/(n·q_label) is
  // non-zero, so ∂L/∂p_i = (g_label·[i == label] − g_label·q_label) / s.
  for (int r = 0; r < n; ++r) {
    const float* p = pred + static_cast<std::size_t>(r) * k;
    float* d = d_pred + static_cast<std::size_t>(r) * k;
    int label = label_at(labels, r, k);
    double s = row_sum(p, k);
    double q = p[label] / s;
    if (!(q >= kLossEpsilon && q <= kHi)) continue;  // clipped: no gradient
    double g = -1.0 / (static_cast<double>(n) * q);
    for (int c = 0; c < k; ++c) d[c] += static_cast<float>(((c == label ? g : 0.0) - g * q) / s);
  }
}

void sparse_categorical_crossentropy_softmax_backward(float* d_logits, const float* pred, const float* labels, int n,
                                                      int k) {
  const float inv_n = 1.0f / static_cast<float>(n);
  for (int r = 0; r < n; ++r) {
    const float* p = pred + static_cast<std::size_t>(r) * k;
    float* d = d_logits + static_cast<std::size_t>(r) * k;
    int label = label_at(labels, r, k);
    for (int c = 0; c < k; ++c) d[c] += inv_n * (p[c] - (c == label ? 1.0f : 0.0f));
  }
}

}  // namespace nnplay
