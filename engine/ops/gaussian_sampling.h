// The reparameterisation trick of a variational autoencoder (Kingma & Welling 2014):
// z = mean + exp(0.5 · logVar) · ε, ε ~ N(0, 1), so z is a differentiable function of mean and
// logVar given ε. The noise is drawn by the caller (ops only compute), so a test can fix it.
//
// Shapes: mean, log_var, eps, z all [count] (a batch of latent vectors, flattened).
#pragma once

#include <cstdint>

#include "core/rng.h"

namespace nnplay {

// eps[i] = a standard normal draw from rng, in index order (same seed, same bits).
void gaussian_noise(float* eps, std::uint64_t count, Rng& rng);

// z = mean + exp(0.5 · log_var) · eps. z is overwritten.
void gaussian_sampling_forward(float* z, const float* mean, const float* log_var, const float* eps,
                               std::uint64_t count);

// ∂z/∂mean = 1, ∂z/∂logVar = 0.5 · exp(0.5 · logVar) · ε. Accumulates into d_mean and d_log_var
// (either may be null).
void gaussian_sampling_backward(float* d_mean, float* d_log_var, const float* d_z, const float* log_var,
                                const float* eps, std::uint64_t count);

}  // namespace nnplay
