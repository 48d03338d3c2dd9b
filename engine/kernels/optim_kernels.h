// Optimizer update kernels: one flat pass over a parameter w, its gradient g and the
// optimizer's state, with TF.js's formulas in TF.js's operation order (engine/optim/ says
// where each comes from). The optimizers call these; the kernels know nothing of Params.
//
// Each has a scalar reference (<name>_ref, the specification) and an xsimd version that must
// match it on every length 1..3·W+1. Only +, −, ×, ÷ and sqrt appear, all correctly rounded
// in IEEE single precision on every target, and the vector versions do them in the same
// order, so the two agree bit for bit (unless a native compiler contracts a·b + c into an FMA
// on one side only; wasm has no FMA). What they are not: approximations (no reciprocal
// estimates, no precomputed 1/x in place of a division): matching TF.js's numbers needs
// the same roundings.
#pragma once

#include <cstddef>

namespace nnplay {

// w[i] −= lr·g[i]
void sgd_update_ref(float* w, const float* g, float lr, std::size_t n);
void sgd_update(float* w, const float* g, float lr, std::size_t n);

// accum = μ·accum + g;  w −= lr·accum (classic) or lr·(g + μ·accum) (Nesterov)
void momentum_update_ref(float* w, float* accum, const float* g, float lr, float momentum, bool nesterov,
                         std::size_t n);
void momentum_update(float* w, float* accum, const float* g, float lr, float momentum, bool nesterov, std::size_t n);

// m = β1·m + (1 − β1)·g;  v = β2·v + (1 − β2)·g²;
// w −= lr·(m / c1) / (sqrt(v / c2) + ε), with c1 = 1 − β1^t and c2 = 1 − β2^t.
void adam_update_ref(float* w, float* m, float* v, const float* g, float lr, float beta1, float beta2, float epsilon,
                     float c1, float c2, std::size_t n);
void adam_update(float* w, float* m, float* v, const float* g, float lr, float beta1, float beta2, float epsilon,
                 float c1, float c2, std::size_t n);

// ms = ρ·ms + (1 − ρ)·g²;  mom = μ·mom + lr·g / sqrt(ms + ε);  w −= mom
void rmsprop_update_ref(float* w, float* ms, float* mom, const float* g, float lr, float decay, float momentum,
                        float epsilon, std::size_t n);
void rmsprop_update(float* w, float* ms, float* mom, const float* g, float lr, float decay, float momentum,
                    float epsilon, std::size_t n);

// accum += g²;  w −= lr·g / sqrt(accum + ε)
void adagrad_update_ref(float* w, float* accum, const float* g, float lr, float epsilon, std::size_t n);
void adagrad_update(float* w, float* accum, const float* g, float lr, float epsilon, std::size_t n);

// TF.js's Adadelta (tfjs-core adadelta_optimizer.ts), which scales by the accumulated gradient
// of the previous step (accum_g before its update):
//   u = sqrt(accum_u + ε) / sqrt(accum_g + ε) · g;  accum_g = ρ·accum_g + (1 − ρ)·g²;
//   accum_u = ρ·accum_u + (1 − ρ)·u²;  w −= lr·u
void adadelta_update_ref(float* w, float* accum_g, float* accum_u, const float* g, float lr, float rho, float epsilon,
                         std::size_t n);
void adadelta_update(float* w, float* accum_g, float* accum_u, const float* g, float lr, float rho, float epsilon,
                     std::size_t n);

// TF.js's Adamax: m = β1·m + (1 − β1)·g;  u = max(β2·u, |g|);  w −= step·(m / (u + ε)), with
// step = lr / (1 + decay·(t − 1)) / (1 − β1^t) computed once per update by the optimizer.
void adamax_update_ref(float* w, float* m, float* u, const float* g, float step, float beta1, float beta2,
                       float epsilon, std::size_t n);
void adamax_update(float* w, float* m, float* u, const float* g, float step, float beta1, float beta2, float epsilon,
                   std::size_t n);

}  // namespace nnplay
