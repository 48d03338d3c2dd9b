// Optimizer update kernels (engine/kernels/optim_kernels.h) and vec_find_non_finite: the
// xsimd versions against their scalar references, bit for bit, on every length 1..3·W+1
// (every tail) over several steps so the state they carry is exercised too; plus a step
// of each reference worked out by hand.
#include "kernels/optim_kernels.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstddef>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "kernels/vec.h"
#include "test_util.h"

#ifndef NNPLAY_NO_SIMD
#include <xsimd/xsimd.hpp>
constexpr std::size_t kW = xsimd::batch<float>::size;
#else
constexpr std::size_t kW = 4;
#endif

namespace nnplay {
namespace {

using test::random_vector;

// Bitwise equality: the kernels promise identical roundings, not just closeness.
::testing::AssertionResult same_bits(const std::vector<float>& a, const std::vector<float>& b, const char* what) {
  if (a.size() != b.size()) return ::testing::AssertionFailure() << what << ": sizes differ";
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::memcmp(&a[i], &b[i], sizeof(float)) != 0) {
      return ::testing::AssertionFailure() << what << "[" << i << "]: simd " << a[i] << " vs ref " << b[i];
    }
  }
  return ::testing::AssertionSuccess();
}

// Runs `steps` updates through the kernel and through its reference on copies of the same
// state (lengths 1..3W+1, offsets 0 and 1), with a fresh gradient per step.
template <typename Step>
void sweep(int num_state, float state_lo, float state_hi, const Step& step) {
  for (std::size_t n = 1; n <= 3 * kW + 1; ++n) {
    for (std::size_t o = 0; o <= 1; ++o) {
      SCOPED_TRACE("n = " + std::to_string(n) + ", offset = " + std::to_string(o));
      // w as small as one step, so a step rounded differently shows in w's bits.
      std::vector<float> w = random_vector(n + o, 11, -1e-3f, 1e-3f), w_ref = w;
      std::vector<std::vector<float>> s, s_ref;
      for (int k = 0; k < num_state; ++k) s.push_back(random_vector(n + o, 20 + k, state_lo, state_hi));
      s_ref = s;
      for (int t = 0; t < 3; ++t) {
        std::vector<float> g = random_vector(n + o, 30 + t);
        if (n > 2) g[o + 1] = 0.0f;  // a zero gradient takes no special path
        step(false, w_ref, s_ref, g, o, n);
        step(true, w, s, g, o, n);
      }
      EXPECT_TRUE(same_bits(w, w_ref, "w"));
      for (int k = 0; k < num_state; ++k) EXPECT_TRUE(same_bits(s[k], s_ref[k], "state"));
    }
  }
}

using State = std::vector<std::vector<float>>;

TEST(KernelOptim, SgdMatchesRef) {
  sweep(0, 0, 0,
        [](bool simd, std::vector<float>& w, State&, const std::vector<float>& g, std::size_t o, std::size_t n) {
          (simd ? sgd_update : sgd_update_ref)(w.data() + o, g.data() + o, 0.03f, n);
        });
}

TEST(KernelOptim, MomentumMatchesRefClassicAndNesterov) {
  for (bool nesterov : {false, true}) {
    SCOPED_TRACE(nesterov ? "nesterov" : "classic");
    sweep(1, -0.5f, 0.5f,
          [&](bool simd, std::vector<float>& w, State& s, const std::vector<float>& g, std::size_t o, std::size_t n) {
            (simd ? momentum_update : momentum_update_ref)(w.data() + o, s[0].data() + o, g.data() + o, 0.01f, 0.9f,
                                                           nesterov, n);
          });
  }
}

TEST(KernelOptim, AdamMatchesRef) {
  // m anywhere, v >= 0 (it is a running mean of squares). c1, c2 as at step 3.
  sweep(2, 0.0f, 0.01f,
        [](bool simd, std::vector<float>& w, State& s, const std::vector<float>& g, std::size_t o, std::size_t n) {
          const float c1 = 1.0f - 0.9f * 0.9f * 0.9f, c2 = 1.0f - 0.999f * 0.999f * 0.999f;
          (simd ? adam_update : adam_update_ref)(w.data() + o, s[0].data() + o, s[1].data() + o, g.data() + o, 1e-3f,
                                                 0.9f, 0.999f, 1e-7f, c1, c2, n);
        });
}

TEST(KernelOptim, RmspropMatchesRef) {
  sweep(2, 0.0f, 0.01f,
        [](bool simd, std::vector<float>& w, State& s, const std::vector<float>& g, std::size_t o, std::size_t n) {
          (simd ? rmsprop_update : rmsprop_update_ref)(w.data() + o, s[0].data() + o, s[1].data() + o, g.data() + o,
                                                       1e-3f, 0.9f, 0.5f, 1e-7f, n);
        });
}

TEST(KernelOptim, AdagradMatchesRef) {
  sweep(1, 0.1f, 0.2f,
        [](bool simd, std::vector<float>& w, State& s, const std::vector<float>& g, std::size_t o, std::size_t n) {
          (simd ? adagrad_update : adagrad_update_ref)(w.data() + o, s[0].data() + o, g.data() + o, 0.01f, 1e-7f, n);
        });
}

TEST(KernelOptim, AdadeltaMatchesRef) {
  // Two accumulators >= 0 that differ, so the ratio sqrt(accum_u + ε) / sqrt(accum_g + ε) is not 1.
  sweep(2, 0.0f, 0.01f,
        [](bool simd, std::vector<float>& w, State& s, const std::vector<float>& g, std::size_t o, std::size_t n) {
          (simd ? adadelta_update : adadelta_update_ref)(w.data() + o, s[0].data() + o, s[1].data() + o, g.data() + o,
                                                         1e-3f, 0.95f, 1e-7f, n);
        });
}

TEST(KernelOptim, AdamaxMatchesRef) {
  // u >= 0; step as at update 3 with decay 0.01: lr / (1 + 0.02) / (1 − 0.9³).
  sweep(2, 0.0f, 0.01f,
        [](bool simd, std::vector<float>& w, State& s, const std::vector<float>& g, std::size_t o, std::size_t n) {
          const float step = 2e-3f / 1.02f / (1.0f - 0.9f * 0.9f * 0.9f);
          (simd ? adamax_update : adamax_update_ref)(w.data() + o, s[0].data() + o, s[1].data() + o, g.data() + o, step,
                                                     0.9f, 0.999f, 1e-7f, n);
        });
}

// One step of each reference, computed by hand (in double, then compared at float precision).
TEST(KernelOptim, RefsByHand) {
  const float tol = 1e-6f;
  {  // w = 1, g = 0.5: w = 1 - 0.1 * 0.5
    float w = 1.0f, g = 0.5f;
    sgd_update_ref(&w, &g, 0.1f, 1);
    EXPECT_NEAR(w, 0.95, tol);
  }
  {  // accum = 0.9 * 1 + 0.5 = 1.4; classic: w = 1 - 0.1 * 1.4; Nesterov: w = 1 - 0.1 * (0.5 + 0.9 * 1.4)
    float w = 1.0f, a = 1.0f, g = 0.5f;
    momentum_update_ref(&w, &a, &g, 0.1f, 0.9f, false, 1);
    EXPECT_NEAR(a, 1.4, tol);
    EXPECT_NEAR(w, 0.86, tol);
    float w2 = 1.0f, a2 = 1.0f;
    momentum_update_ref(&w2, &a2, &g, 0.1f, 0.9f, true, 1);
    EXPECT_NEAR(w2, 1.0 - 0.1 * (0.5 + 0.9 * 1.4), tol);
  }
  {  // first Adam step: m = 0.05, v = 0.00025, m̂ = 0.5, v̂ = 0.25, w = 1 - 0.1 * 0.5 / (0.5 + 1e-7)
    float w = 1.0f, m = 0.0f, v = 0.0f, g = 0.5f;
    adam_update_ref(&w, &m, &v, &g, 0.1f, 0.9f, 0.999f, 1e-7f, 1.0f - 0.9f, 1.0f - 0.999f, 1);
    EXPECT_NEAR(m, 0.05, tol);
    EXPECT_NEAR(v, (1.0 - static_cast<double>(0.999f)) * 0.25, 1e-10);  // 1 - 0.999f is not 0.001
    EXPECT_NEAR(w, 1.0 - 0.1 * 0.5 / (0.5 + 1e-7), tol);
  }
  {  // ms = 0.9 * 0 + 0.1 * 0.25 = 0.025; mom = 0.5 * 0.2 + 0.1 * 0.5 / sqrt(0.025 + 1e-7); w -= mom
    float w = 1.0f, ms = 0.0f, mom = 0.2f, g = 0.5f;
    rmsprop_update_ref(&w, &ms, &mom, &g, 0.1f, 0.9f, 0.5f, 1e-7f, 1);
    const double expect_mom = 0.5 * 0.2 + 0.1 * 0.5 / std::sqrt(0.025 + 1e-7);
    EXPECT_NEAR(ms, 0.025, tol);
    EXPECT_NEAR(mom, expect_mom, tol);
    EXPECT_NEAR(w, 1.0 - expect_mom, tol);
  }
  {  // accum = 0.1 + 0.25; w = 1 - 0.1 * 0.5 / sqrt(0.35 + 1e-7)
    float w = 1.0f, a = 0.1f, g = 0.5f;
    adagrad_update_ref(&w, &a, &g, 0.1f, 1e-7f, 1);
    EXPECT_NEAR(a, 0.35, tol);
    EXPECT_NEAR(w, 1.0 - 0.1 * 0.5 / std::sqrt(0.35 + 1e-7), tol);
  }
  {  // adadelta, accum_g = 0.04, accum_u = 0.01: u = sqrt(0.01 + ε) / sqrt(0.04 + ε) · 0.5 ≈ 0.25;
     // accum_g = 0.95·0.04 + 0.05·0.25;  accum_u = 0.95·0.01 + 0.05·u²;  w = 1 − 0.1·u
    float w = 1.0f, ag = 0.04f, au = 0.01f, g = 0.5f;
    adadelta_update_ref(&w, &ag, &au, &g, 0.1f, 0.95f, 1e-7f, 1);
    const double u = std::sqrt(0.01 + 1e-7) / std::sqrt(0.04 + 1e-7) * 0.5;
    EXPECT_NEAR(ag, 0.95 * 0.04 + 0.05 * 0.25, tol);
    EXPECT_NEAR(au, 0.95 * 0.01 + 0.05 * u * u, tol);
    EXPECT_NEAR(w, 1.0 - 0.1 * u, tol);
  }
  {  // adamax, m = 0.2, u = 1, g = −0.5: m = 0.9·0.2 + 0.1·(−0.5) = 0.13; u = max(0.999, 0.5);
     // w = 1 − 2·0.13 / (0.999 + 1e-7)
    float w = 1.0f, m = 0.2f, u = 1.0f, g = -0.5f;
    adamax_update_ref(&w, &m, &u, &g, 2.0f, 0.9f, 0.999f, 1e-7f, 1);
    EXPECT_NEAR(m, 0.13, tol);
    EXPECT_NEAR(u, 0.999, tol);
    EXPECT_NEAR(w, 1.0 - 2.0 * 0.13 / (0.999 + 1e-7), tol);
    // |g| wins the max: u = max(0.999·0.1, 3) = 3
    float u2 = 0.1f, g2 = -3.0f, m2 = 0.0f, w2 = 0.0f;
    adamax_update_ref(&w2, &m2, &u2, &g2, 1.0f, 0.9f, 0.999f, 1e-7f, 1);
    EXPECT_FLOAT_EQ(u2, 3.0f);
  }
}

// The SIMD scan works in blocks of 4 vectors, so lengths run past three blocks to reach
// every block boundary and tail.
TEST(KernelVec, FindNonFiniteNamesTheFirstBadIndex) {
  EXPECT_EQ(vec_find_non_finite(nullptr, 0), 0u);
  EXPECT_EQ(vec_find_non_finite_ref(nullptr, 0), 0u);
  const float bads[] = {std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::infinity(),
                        -std::numeric_limits<float>::infinity()};
  for (std::size_t n = 1; n <= 12 * kW + 1; ++n) {
    for (std::size_t o = 0; o <= 1; ++o) {
      SCOPED_TRACE("n = " + std::to_string(n) + ", offset = " + std::to_string(o));
      auto clean = random_vector(n + o, 9, -1e30f, 1e30f);
      clean[o] = std::numeric_limits<float>::max();  // the largest finite float is finite
      EXPECT_EQ(vec_find_non_finite(clean.data() + o, n), n);
      EXPECT_EQ(vec_find_non_finite_ref(clean.data() + o, n), n);
      for (float bad : bads) {
        for (std::size_t at = 0; at < n; ++at) {
          auto x = clean;
          x[o + at] = bad;
          if (at + 3 < n) x[o + at + 3] = bads[0];  // a later bad value must not be the one named
          EXPECT_EQ(vec_find_non_finite_ref(x.data() + o, n), at) << bad;
          EXPECT_EQ(vec_find_non_finite(x.data() + o, n), at) << bad;
          EXPECT_FALSE(vec_all_finite(x.data() + o, n)) << bad << " at " << at;
        }
      }
    }
  }
}

}  // namespace
}  // namespace nnplay
