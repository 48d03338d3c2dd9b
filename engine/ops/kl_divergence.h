// The KL divergence of a diagonal Gaussian N(mean, exp(logVar)) from the standard normal, the
// regulariser of a variational autoencoder:
//   KL = −0.5 · Σ_j (1 + logVar_j − mean_j² − exp(logVar_j))   per sample (≥ 0, 0 iff N(0, 1)),
// averaged over the batch, as the Keras VAE example computes kl_loss.
//
// Shapes: mean, log_var [n, d].
#pragma once

namespace nnplay {

// The batch mean of KL (accumulated in double).
double kl_divergence_forward(const float* mean, const float* log_var, int n, int d);

// Gradient of scale · (batch mean of KL): d_mean += scale / n · mean,
// d_log_var += scale / n · 0.5 · (exp(logVar) − 1). Either may be null.
void kl_divergence_backward(float* d_mean, float* d_log_var, const float* mean, const float* log_var, int n, int d,
                            float scale);

}  // namespace nnplay
