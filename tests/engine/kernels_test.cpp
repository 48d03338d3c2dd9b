// Kernel tests: every xsimd kernel against its scalar reference on every length 1..3·W+1
// (whole batches, and every tail), in place where the signature allows, plus a few cases
// worked out by hand so the references themselves are pinned down.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstring>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "core/rng.h"
#include "kernels/activation_kernels.h"
#include "kernels/gemm.h"
#include "kernels/more_activation_kernels.h"
#include "kernels/vec.h"
#include "test_util.h"

#ifndef NNPLAY_NO_SIMD
#include <xsimd/xsimd.hpp>
constexpr std::size_t kW = xsimd::batch<float>::size;
#else
constexpr std::size_t kW = 4;  // scalar build: the SIMD names are the refs; sweep as if W = 4
#endif

namespace nnplay {
namespace {

using test::expect_near_all;
using test::random_vector;

const float kNaN = std::numeric_limits<float>::quiet_NaN();
const float kInf = std::numeric_limits<float>::infinity();
constexpr std::size_t kMaxLen = 3 * kW + 1;

// Lengths 1..3W+1, each at offset 0 and 1 in its buffer (aligned and misaligned starts).
void for_each_length(const std::function<void(std::size_t n, std::size_t offset)>& body) {
  for (std::size_t n = 1; n <= kMaxLen; ++n)
    for (std::size_t offset = 0; offset <= 1; ++offset) {
      SCOPED_TRACE("n = " + std::to_string(n) + ", offset = " + std::to_string(offset));
      body(n, offset);
    }
}

// Element-wise float ops: exact unless a compiler contracts a*x+y to an FMA on one side.
constexpr double kExactRel = 2e-7, kExactAbs = 1e-30;
// exp / expm1 / tanh: xsimd's vector approximations vs the C library's.
constexpr double kTransRel = 2e-6, kTransAbs = 1e-7;

// ------------------------------------------------------------------ vec ops

TEST(KernelVec, AxpyMatchesRefAndAliases) {
  for_each_length([](std::size_t n, std::size_t o) {
    auto x = random_vector(n + o, 1), y = random_vector(n + o, 2);
    auto y_ref = y;
    vec_axpy_ref(y_ref.data() + o, 0.37f, x.data() + o, n);
    vec_axpy(y.data() + o, 0.37f, x.data() + o, n);
    EXPECT_TRUE(expect_near_all(y, y_ref, kExactRel, kExactAbs));
    // x aliasing y: y += a*y
    auto z = x, z_ref = x;
    vec_axpy_ref(z_ref.data() + o, -1.5f, z_ref.data() + o, n);
    vec_axpy(z.data() + o, -1.5f, z.data() + o, n);
    EXPECT_TRUE(expect_near_all(z, z_ref, kExactRel, kExactAbs));
  });
}

// out = f(a, b) checked with out separate, out == a and out == b.
void check_binary(void (*simd)(float*, const float*, const float*, std::size_t),
                  void (*ref)(float*, const float*, const float*, std::size_t)) {
  for_each_length([&](std::size_t n, std::size_t o) {
    const auto a = random_vector(n + o, 3), b = random_vector(n + o, 4);
    std::vector<float> out(n + o, kNaN), out_ref(n + o, kNaN);
    ref(out_ref.data() + o, a.data() + o, b.data() + o, n);
    simd(out.data() + o, a.data() + o, b.data() + o, n);
    EXPECT_TRUE(expect_near_all(out.data() + o, out_ref.data() + o, n, 0, 0));
    auto a_in = a;
    simd(a_in.data() + o, a_in.data() + o, b.data() + o, n);
    EXPECT_TRUE(expect_near_all(a_in.data() + o, out_ref.data() + o, n, 0, 0)) << "out aliasing a";
    auto b_in = b;
    simd(b_in.data() + o, a.data() + o, b_in.data() + o, n);
    EXPECT_TRUE(expect_near_all(b_in.data() + o, out_ref.data() + o, n, 0, 0)) << "out aliasing b";
  });
}

TEST(KernelVec, AddMatchesRefAndAliases) { check_binary(vec_add, vec_add_ref); }
TEST(KernelVec, MulMatchesRefAndAliases) { check_binary(vec_mul, vec_mul_ref); }

TEST(KernelVec, ScaleMatchesRefAndAliases) {
  for_each_length([](std::size_t n, std::size_t o) {
    auto x = random_vector(n + o, 5);
    std::vector<float> out(n + o, kNaN), out_ref(n + o, kNaN);
    vec_scale_ref(out_ref.data() + o, -2.25f, x.data() + o, n);
    vec_scale(out.data() + o, -2.25f, x.data() + o, n);
    EXPECT_TRUE(expect_near_all(out.data() + o, out_ref.data() + o, n, 0, 0));
    vec_scale(x.data() + o, -2.25f, x.data() + o, n);
    EXPECT_TRUE(expect_near_all(x.data() + o, out_ref.data() + o, n, 0, 0)) << "in place";
  });
}

// Reductions differ from the reference only by summation order: the bound is n·eps·Σ|terms|.
TEST(KernelVec, SumAndDotMatchRef) {
  for_each_length([](std::size_t n, std::size_t o) {
    const auto a = random_vector(n + o, 6), b = random_vector(n + o, 7);
    double abs_sum = 0, abs_dot = 0;
    for (std::size_t i = o; i < n + o; ++i) {
      abs_sum += std::fabs(a[i]);
      abs_dot += std::fabs(a[i] * b[i]);
    }
    const double eps = std::numeric_limits<float>::epsilon();
    EXPECT_NEAR(vec_sum(a.data() + o, n), vec_sum_ref(a.data() + o, n), 2 * n * eps * abs_sum);
    EXPECT_NEAR(vec_dot(a.data() + o, b.data() + o, n), vec_dot_ref(a.data() + o, b.data() + o, n),
                2 * n * eps * abs_dot);
  });
}

TEST(KernelVec, MaxMatchesRefWhereverTheMaxIs) {
  for_each_length([](std::size_t n, std::size_t o) {
    for (std::size_t at = 0; at < n; ++at) {
      auto x = random_vector(n + o, 8, -10.0f, -1.0f);
      x[o + at] = 3.5f;
      EXPECT_EQ(vec_max_ref(x.data() + o, n), 3.5f);
      EXPECT_EQ(vec_max(x.data() + o, n), 3.5f) << "max at " << at;
    }
  });
}

TEST(KernelVec, AllFiniteDetectsNanAndInfAtEveryPosition) {
  EXPECT_TRUE(vec_all_finite(nullptr, 0));
  EXPECT_TRUE(vec_all_finite_ref(nullptr, 0));
  for_each_length([](std::size_t n, std::size_t o) {
    const auto clean = random_vector(n + o, 9, -1e30f, 1e30f);
    EXPECT_TRUE(vec_all_finite(clean.data() + o, n));
    EXPECT_TRUE(vec_all_finite_ref(clean.data() + o, n));
    const float max = std::numeric_limits<float>::max();
    auto extremes = clean;
    for (std::size_t i = 0; i < n; ++i) extremes[o + i] = (i % 2) ? max : -max;
    EXPECT_TRUE(vec_all_finite(extremes.data() + o, n)) << "±FLT_MAX is finite";
    for (float bad : {kNaN, kInf, -kInf}) {
      for (std::size_t at = 0; at < n; ++at) {
        auto x = clean;
        x[o + at] = bad;
        EXPECT_FALSE(vec_all_finite_ref(x.data() + o, n)) << bad << " at " << at;
        EXPECT_FALSE(vec_all_finite(x.data() + o, n)) << bad << " at " << at;
      }
    }
  });
}

TEST(KernelVec, RowBiasAndSumRowsMatchRef) {
  for (int rows = 1; rows <= 5; ++rows)
    for (int cols = 1; cols <= static_cast<int>(kMaxLen); ++cols) {
      SCOPED_TRACE("rows = " + std::to_string(rows) + ", cols = " + std::to_string(cols));
      const std::size_t sz = static_cast<std::size_t>(rows * cols);
      const auto bias = random_vector(static_cast<std::size_t>(cols), 10);
      auto out = random_vector(sz, 11), out_ref = out;
      add_row_bias_ref(out_ref.data(), bias.data(), rows, cols);
      add_row_bias(out.data(), bias.data(), rows, cols);
      EXPECT_TRUE(expect_near_all(out, out_ref, 0, 0));
      // sum_rows accumulates into d_bias, so start from non-zero.
      auto d_bias = random_vector(static_cast<std::size_t>(cols), 12), d_bias_ref = d_bias;
      sum_rows_ref(d_bias_ref.data(), out.data(), rows, cols);
      sum_rows(d_bias.data(), out.data(), rows, cols);
      EXPECT_TRUE(expect_near_all(d_bias, d_bias_ref, 0, 0));
    }
}

TEST(KernelVec, RefsByHand) {
  const float a[] = {1, 2, 3}, b[] = {4, -5, 6};
  EXPECT_EQ(vec_dot_ref(a, b, 3), 12.0f);
  EXPECT_EQ(vec_sum_ref(b, 3), 5.0f);
  float d_bias[2] = {1, 1};
  const float m[] = {1, 2, 3, 4, 5, 6};  // [3, 2]
  sum_rows_ref(d_bias, m, 3, 2);
  EXPECT_EQ(d_bias[0], 10.0f);
  EXPECT_EQ(d_bias[1], 13.0f);
}

// ------------------------------------------------------------- activations

using Forward = std::function<void(float* out, const float* in, std::size_t n)>;
using Backward = std::function<void(float* d_in, const float* d_out, const float* in, const float* out, std::size_t n)>;

// Forward: separate and in place. Backward: accumulates onto a non-zero d_in.
void check_activation(const Forward& simd_f, const Forward& ref_f, const Backward& simd_b, const Backward& ref_b,
                      double rel, double abs, float lo = -6.0f, float hi = 6.0f) {
  for_each_length([&](std::size_t n, std::size_t o) {
    auto in = random_vector(n + o, 20, lo, hi);
    // Put 0 and small values in: where the piecewise functions switch branch.
    in[o] = 0.0f;
    if (n > 2) in[o + 2] = -1e-4f;
    std::vector<float> out(n + o, kNaN), out_ref(n + o, kNaN);
    ref_f(out_ref.data() + o, in.data() + o, n);
    simd_f(out.data() + o, in.data() + o, n);
    EXPECT_TRUE(expect_near_all(out.data() + o, out_ref.data() + o, n, rel, abs)) << "forward";
    auto inplace = in;
    simd_f(inplace.data() + o, inplace.data() + o, n);
    EXPECT_TRUE(expect_near_all(inplace.data() + o, out_ref.data() + o, n, rel, abs)) << "forward in place";

    const auto d_out = random_vector(n + o, 21);
    auto d_in = random_vector(n + o, 22), d_in_ref = d_in;
    ref_b(d_in_ref.data() + o, d_out.data() + o, in.data() + o, out_ref.data() + o, n);
    simd_b(d_in.data() + o, d_out.data() + o, in.data() + o, out_ref.data() + o, n);
    EXPECT_TRUE(expect_near_all(d_in.data() + o, d_in_ref.data() + o, n, rel, abs)) << "backward";
  });
}

TEST(KernelActivation, ReluMatchesRef) {
  check_activation(
      relu_forward, relu_forward_ref,
      [](float* d, const float* g, const float* x, const float*, std::size_t n) { relu_backward(d, g, x, n); },
      [](float* d, const float* g, const float* x, const float*, std::size_t n) { relu_backward_ref(d, g, x, n); }, 0,
      0);
}

// The writing relu backward: its SIMD version against its reference, and both against what the
// accumulating one leaves in a zeroed buffer, bit for bit (signed zeros included), on every
// length 0..3·W+1 and unaligned starts.
TEST(KernelActivation, ReluBackwardWriteIsAccumulateIntoZero) {
  for (std::size_t n = 0; n <= 3 * kW + 1; ++n) {
    for (std::size_t o = 0; o < 2; ++o) {
      SCOPED_TRACE("n = " + std::to_string(n) + ", offset " + std::to_string(o));
      std::vector<float> in = random_vector(n + o, 31), d_out = random_vector(n + o, 32);
      for (std::size_t i = o; i < n + o; i += 3) d_out[i] = -0.0f;  // a -0 gradient on either side of 0
      if (n > 1) in[o + 1] = 0.0f;
      std::vector<float> acc(n + o, 0.0f), ref(n + o, kNaN), simd(n + o, kNaN);
      relu_backward_ref(acc.data() + o, d_out.data() + o, in.data() + o, n);
      relu_backward_write_ref(ref.data() + o, d_out.data() + o, in.data() + o, n);
      relu_backward_write(simd.data() + o, d_out.data() + o, in.data() + o, n);
      if (n == 0) continue;  // nothing to compare (and memcmp takes no null pointers)
      EXPECT_EQ(0, std::memcmp(ref.data() + o, acc.data() + o, n * sizeof(float))) << "reference";
      EXPECT_EQ(0, std::memcmp(simd.data() + o, acc.data() + o, n * sizeof(float))) << "simd";
    }
  }
}

TEST(KernelActivation, LeakyReluMatchesRef) {
  const float alpha = 0.2f;
  check_activation([=](float* o, const float* x, std::size_t n) { leaky_relu_forward(o, x, alpha, n); },
                   [=](float* o, const float* x, std::size_t n) { leaky_relu_forward_ref(o, x, alpha, n); },
                   [=](float* d, const float* g, const float* x, const float*, std::size_t n) {
                     leaky_relu_backward(d, g, x, alpha, n);
                   },
                   [=](float* d, const float* g, const float* x, const float*, std::size_t n) {
                     leaky_relu_backward_ref(d, g, x, alpha, n);
                   },
                   kExactRel, kExactAbs);
}

TEST(KernelActivation, EluMatchesRef) {
  for (float alpha : {1.0f, 0.7f}) {
    SCOPED_TRACE("alpha = " + std::to_string(alpha));
    check_activation([=](float* o, const float* x, std::size_t n) { elu_forward(o, x, alpha, n); },
                     [=](float* o, const float* x, std::size_t n) { elu_forward_ref(o, x, alpha, n); },
                     [=](float* d, const float* g, const float* x, const float* y, std::size_t n) {
                       elu_backward(d, g, x, y, alpha, n);
                     },
                     [=](float* d, const float* g, const float* x, const float* y, std::size_t n) {
                       elu_backward_ref(d, g, x, y, alpha, n);
                     },
                     kTransRel, kTransAbs);
  }
}

TEST(KernelActivation, SigmoidMatchesRef) {
  check_activation(
      sigmoid_forward, sigmoid_forward_ref,
      [](float* d, const float* g, const float*, const float* y, std::size_t n) { sigmoid_backward(d, g, y, n); },
      [](float* d, const float* g, const float*, const float* y, std::size_t n) { sigmoid_backward_ref(d, g, y, n); },
      kTransRel, kTransAbs, -20.0f, 20.0f);
}

TEST(KernelActivation, HardSigmoidMatchesRef) {
  check_activation(
      hard_sigmoid_forward, hard_sigmoid_forward_ref,
      [](float* d, const float* g, const float* x, const float*, std::size_t n) { hard_sigmoid_backward(d, g, x, n); },
      [](float* d, const float* g, const float* x, const float*, std::size_t n) {
        hard_sigmoid_backward_ref(d, g, x, n);
      },
      kExactRel, kExactAbs);
}

TEST(KernelActivation, HardSigmoidByHand) {
  const float x[] = {-3.0f, -2.5f, 0.0f, 1.0f, 2.5f, 4.0f};
  float y[6], d[6] = {0, 0, 0, 0, 0, 0};
  const float g[] = {1, 1, 1, 1, 1, 1};
  hard_sigmoid_forward_ref(y, x, 6);
  hard_sigmoid_backward_ref(d, g, x, 6);
  const float want_y[] = {0.0f, 0.0f, 0.5f, 0.7f, 1.0f, 1.0f}, want_d[] = {0.0f, 0.2f, 0.2f, 0.2f, 0.2f, 0.0f};
  EXPECT_TRUE(expect_near_all(y, want_y, 6, 1e-6, 1e-7));
  EXPECT_TRUE(expect_near_all(d, want_d, 6, 1e-6, 1e-7));
}

TEST(KernelActivation, Relu6MatchesRef) {
  // [-8, 8] crosses both kinks (0 and 6).
  check_activation(
      relu6_forward, relu6_forward_ref,
      [](float* d, const float* g, const float* x, const float*, std::size_t n) { relu6_backward(d, g, x, n); },
      [](float* d, const float* g, const float* x, const float*, std::size_t n) { relu6_backward_ref(d, g, x, n); },
      kExactRel, kExactAbs, -8.0f, 8.0f);
}

TEST(KernelActivation, SoftsignMatchesRef) {
  check_activation(
      softsign_forward, softsign_forward_ref,
      [](float* d, const float* g, const float* x, const float*, std::size_t n) { softsign_backward(d, g, x, n); },
      [](float* d, const float* g, const float* x, const float*, std::size_t n) { softsign_backward_ref(d, g, x, n); },
      kExactRel, kExactAbs, -50.0f, 50.0f);
}

// TF.js 4.22's definitions at a few points, worked out by hand (double precision in comments).
TEST(KernelActivation, MoreActivationsByHand) {
  const float x[] = {-2.0f, 0.0f, 1.0f, 7.0f};
  float y[4];
  relu6_forward_ref(y, x, 4);
  EXPECT_EQ(y[0], 0.0f);
  EXPECT_EQ(y[2], 1.0f);
  EXPECT_EQ(y[3], 6.0f);
  softsign_forward_ref(y, x, 4);
  EXPECT_FLOAT_EQ(y[0], -2.0f / 3.0f);
  EXPECT_FLOAT_EQ(y[3], 7.0f / 8.0f);
  softplus_forward(y, x, 4);
  EXPECT_FLOAT_EQ(y[1], 0.69314718f);  // log 2
  EXPECT_FLOAT_EQ(y[3], 7.000911466f);
  selu_forward(y, x, 4);
  EXPECT_FLOAT_EQ(y[0], -1.5201665f);  // 1.0507·1.6733·(e^-2 − 1)
  EXPECT_FLOAT_EQ(y[2], 1.0507009873554805f);
  swish_forward(y, x, 4);
  EXPECT_FLOAT_EQ(y[2], 0.7310585786f);  // σ(1)
  gelu_forward(y, x, 4);
  EXPECT_NEAR(y[0], -0.04550026f, 1e-6f);  // −2·Φ(−2), through a cancellation in 1 + erf
  EXPECT_FLOAT_EQ(y[2], 0.84134475f);      // Φ(1)
  mish_forward(y, x, 4);
  EXPECT_FLOAT_EQ(y[2], 0.86509839f);  // tanh(log(1 + e))
  exponential_forward(y, x, 4);
  EXPECT_FLOAT_EQ(y[2], 2.7182817f);
  // No overflow at the ends: softplus(±100), mish(−100), swish(−100).
  const float big[] = {100.0f, -100.0f};
  softplus_forward(y, big, 2);
  EXPECT_FLOAT_EQ(y[0], 100.0f);
  EXPECT_GE(y[1], 0.0f);
  EXPECT_LT(y[1], 1e-40f);
  mish_forward(y, big, 2);
  EXPECT_FLOAT_EQ(y[0], 100.0f);
  EXPECT_TRUE(std::isfinite(y[1]));
  swish_forward(y, big, 2);
  EXPECT_TRUE(std::isfinite(y[1]));
}

TEST(KernelActivation, TanhMatchesRef) {
  check_activation(
      tanh_forward, tanh_forward_ref,
      [](float* d, const float* g, const float*, const float* y, std::size_t n) { tanh_backward(d, g, y, n); },
      [](float* d, const float* g, const float*, const float* y, std::size_t n) { tanh_backward_ref(d, g, y, n); },
      kTransRel, kTransAbs);
}

TEST(KernelActivation, SoftmaxMatchesRefAndAliases) {
  for (int rows = 1; rows <= 3; ++rows)
    for (int cols = 1; cols <= static_cast<int>(kMaxLen); ++cols) {
      SCOPED_TRACE("rows = " + std::to_string(rows) + ", cols = " + std::to_string(cols));
      const std::size_t sz = static_cast<std::size_t>(rows * cols);
      auto in = random_vector(sz, 30, -8.0f, 8.0f);
      std::vector<float> out(sz, kNaN), out_ref(sz, kNaN);
      softmax_forward_ref(out_ref.data(), in.data(), rows, cols);
      softmax_forward(out.data(), in.data(), rows, cols);
      EXPECT_TRUE(expect_near_all(out, out_ref, kTransRel, kTransAbs));
      auto inplace = in;
      softmax_forward(inplace.data(), inplace.data(), rows, cols);
      EXPECT_TRUE(expect_near_all(inplace, out_ref, kTransRel, kTransAbs)) << "in place";

      const auto d_out = random_vector(sz, 31);
      auto d_in = random_vector(sz, 32), d_in_ref = d_in;
      softmax_backward_ref(d_in_ref.data(), d_out.data(), out_ref.data(), rows, cols);
      softmax_backward(d_in.data(), d_out.data(), out_ref.data(), rows, cols);
      EXPECT_TRUE(expect_near_all(d_in, d_in_ref, kTransRel, kTransAbs)) << "backward";
    }
}

TEST(KernelActivation, RefsByHand) {
  const float in[] = {1, 2, 3};
  float out[3];
  softmax_forward_ref(out, in, 1, 3);
  // e^i / (e + e^2 + e^3)
  EXPECT_NEAR(out[0], 0.0900305732, 1e-7);
  EXPECT_NEAR(out[1], 0.2447284711, 1e-7);
  EXPECT_NEAR(out[2], 0.6652409558, 1e-7);
  // Softmax is shift-invariant: the max-subtraction must not change the answer.
  const float shifted[] = {1001, 1002, 1003};
  float out_shifted[3];
  softmax_forward(out_shifted, shifted, 1, 3);
  EXPECT_TRUE(expect_near_all(out_shifted, out, 3, 1e-6, 1e-7));

  const float x[] = {-2, 0, 0.5f};
  float y[3];
  sigmoid_forward_ref(y, x, 3);
  EXPECT_NEAR(y[0], 0.1192029220, 1e-7);
  EXPECT_EQ(y[1], 0.5f);
  EXPECT_NEAR(y[2], 0.6224593312, 1e-7);
  elu_forward_ref(y, x, 1.0f, 3);
  EXPECT_NEAR(y[0], -0.8646647168, 1e-7);
  EXPECT_EQ(y[2], 0.5f);
  float d_in[3] = {1, 1, 1};
  const float d_out[] = {2, 2, 2};
  leaky_relu_backward_ref(d_in, d_out, x, 0.1f, 3);  // x = 0 takes the alpha branch
  EXPECT_FLOAT_EQ(d_in[0], 1.2f);
  EXPECT_FLOAT_EQ(d_in[1], 1.2f);
  EXPECT_FLOAT_EQ(d_in[2], 3.0f);
}

TEST(KernelActivation, SigmoidAndSoftmaxStayFiniteAtExtremes) {
  const float extremes[] = {-100.0f, 100.0f, -1e4f, 1e4f, -88.8f, 88.8f, -1e30f, 1e30f};
  std::vector<float> in(kMaxLen);
  for (std::size_t i = 0; i < in.size(); ++i) in[i] = extremes[i % 8];
  std::vector<float> out(in.size()), out_ref(in.size());
  sigmoid_forward(out.data(), in.data(), in.size());
  sigmoid_forward_ref(out_ref.data(), in.data(), in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    SCOPED_TRACE("x = " + std::to_string(in[i]));
    for (float y : {out[i], out_ref[i]}) {
      ASSERT_TRUE(std::isfinite(y));
      EXPECT_GE(y, 0.0f);
      EXPECT_LE(y, 1.0f);
      EXPECT_NEAR(y, in[i] > 0 ? 1.0f : 0.0f, 1e-30);
    }
  }
  // A row of huge logits, and a row where one dominates by 200.
  const int cols = static_cast<int>(kMaxLen);
  std::vector<float> logits(2 * static_cast<std::size_t>(cols), 100.0f);
  for (int c = 0; c < cols; ++c) logits[static_cast<std::size_t>(cols + c)] = c == 1 ? 100.0f : -100.0f;
  std::vector<float> p(logits.size()), p_ref(logits.size());
  softmax_forward(p.data(), logits.data(), 2, cols);
  softmax_forward_ref(p_ref.data(), logits.data(), 2, cols);
  for (const auto* v : {&p, &p_ref}) {
    ASSERT_TRUE(vec_all_finite_ref(v->data(), v->size()));
    for (int c = 0; c < cols; ++c) EXPECT_NEAR((*v)[static_cast<std::size_t>(c)], 1.0 / cols, 1e-6);
    for (int c = 0; c < cols; ++c) EXPECT_NEAR((*v)[static_cast<std::size_t>(cols + c)], c == 1 ? 1.0 : 0.0, 1e-30);
  }
}

// ------------------------------------------------------------------- gemm

// Operands stored with leading dimension ld >= cols; the padding holds NaN, so a kernel that
// reads past a row poisons C and fails. C's padding holds a sentinel that must survive.
struct GemmCase {
  bool ta, tb;
  int m, n, k, pad;
  float alpha, beta;
};

constexpr float kSentinel = 12345.0f;

std::vector<float> padded_matrix(int rows, int cols, int ld, std::uint64_t seed) {
  Rng rng(seed);
  std::vector<float> v(static_cast<std::size_t>(rows) * static_cast<std::size_t>(ld) + 1, kNaN);
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < cols; ++c) v[static_cast<std::size_t>(r * ld + c)] = rng.uniform(-1.0f, 1.0f);
  return v;
}

::testing::AssertionResult check_gemm(const GemmCase& g, std::uint64_t seed) {
  const int a_rows = g.ta ? g.k : g.m, a_cols = g.ta ? g.m : g.k;
  const int b_rows = g.tb ? g.n : g.k, b_cols = g.tb ? g.k : g.n;
  const int lda = a_cols + g.pad, ldb = b_cols + g.pad, ldc = g.n + g.pad;
  const auto a = padded_matrix(a_rows, a_cols, lda, seed);
  const auto b = padded_matrix(b_rows, b_cols, ldb, seed + 1);
  std::vector<float> c0 = padded_matrix(g.m, g.n, ldc, seed + 2);
  for (int i = 0; i < g.m; ++i) {
    for (int j = g.n; j < ldc; ++j) c0[static_cast<std::size_t>(i * ldc + j)] = kSentinel;
    // beta == 0 must ignore C entirely, NaN included.
    if (g.beta == 0.0f)
      for (int j = 0; j < g.n; ++j) c0[static_cast<std::size_t>(i * ldc + j)] = kNaN;
  }
  auto c = c0, c_ref = c0;
  gemm_ref(g.ta, g.tb, g.m, g.n, g.k, g.alpha, a.data(), lda, b.data(), ldb, g.beta, c_ref.data(), ldc);
  gemm(g.ta, g.tb, g.m, g.n, g.k, g.alpha, a.data(), lda, b.data(), ldb, g.beta, c.data(), ldc);

  const double eps = std::numeric_limits<float>::epsilon();
  for (int i = 0; i < g.m; ++i) {
    for (int j = 0; j < ldc; ++j) {
      const std::size_t at = static_cast<std::size_t>(i * ldc + j);
      if (j >= g.n) {
        if (c[at] != kSentinel) return ::testing::AssertionFailure() << "wrote C padding at (" << i << ", " << j << ")";
        continue;
      }
      // Both sides round k products and sums in different orders: bound by (2k + 4)·eps
      // times the magnitude |alpha|·Σ|a||b| + |beta·c|.
      double mag = 0;
      for (int p = 0; p < g.k; ++p) {
        const float av = g.ta ? a[static_cast<std::size_t>(p * lda + i)] : a[static_cast<std::size_t>(i * lda + p)];
        const float bv = g.tb ? b[static_cast<std::size_t>(j * ldb + p)] : b[static_cast<std::size_t>(p * ldb + j)];
        mag += std::fabs(static_cast<double>(av) * bv);
      }
      mag = std::fabs(g.alpha) * mag + (g.beta == 0.0f ? 0.0 : std::fabs(g.beta * c0[at]));
      const double tol = (2.0 * g.k + 4.0) * eps * mag + 1e-30;
      if (!std::isfinite(c[at]) || !std::isfinite(c_ref[at]) || std::fabs(c[at] - c_ref[at]) > tol) {
        return ::testing::AssertionFailure() << "C(" << i << ", " << j << "): gemm " << c[at] << " vs gemm_ref "
                                             << c_ref[at] << " (tol " << tol << ")";
      }
    }
  }
  return ::testing::AssertionSuccess();
}

std::string describe(const GemmCase& g) {
  return std::string("trans_a=") + (g.ta ? "1" : "0") + " trans_b=" + (g.tb ? "1" : "0") + " m=" + std::to_string(g.m) +
         " n=" + std::to_string(g.n) + " k=" + std::to_string(g.k) + " pad=" + std::to_string(g.pad) +
         " alpha=" + std::to_string(g.alpha) + " beta=" + std::to_string(g.beta);
}

TEST(KernelGemm, RefByHand) {
  // [[1,2,3],[4,5,6]] · [[7,8],[9,10],[11,12]] = [[58,64],[139,154]]
  const float a[] = {1, 2, 3, 4, 5, 6};
  const float at[] = {1, 4, 2, 5, 3, 6};  // a stored transposed, [3, 2]
  const float b[] = {7, 8, 9, 10, 11, 12};
  const float bt[] = {7, 9, 11, 8, 10, 12};  // b stored transposed, [2, 3]
  const float expected[] = {58, 64, 139, 154};
  for (int ta = 0; ta < 2; ++ta)
    for (int tb = 0; tb < 2; ++tb) {
      SCOPED_TRACE("trans_a = " + std::to_string(ta) + ", trans_b = " + std::to_string(tb));
      for (auto* fn : {gemm_ref, gemm}) {
        float c[4] = {kNaN, kNaN, kNaN, kNaN};
        fn(ta, tb, 2, 2, 3, 1.0f, ta ? at : a, ta ? 2 : 3, tb ? bt : b, tb ? 3 : 2, 0.0f, c, 2);
        EXPECT_TRUE(expect_near_all(c, expected, 4, 0, 0));
        // alpha = 0.5, beta = 2 on top of that: 0.5·AB + 2·AB = 2.5·AB
        fn(ta, tb, 2, 2, 3, 0.5f, ta ? at : a, ta ? 2 : 3, tb ? bt : b, tb ? 3 : 2, 2.0f, c, 2);
        const float scaled[] = {145, 160, 347.5f, 385};
        EXPECT_TRUE(expect_near_all(c, scaled, 4, 0, 0));
      }
    }
}

TEST(KernelGemm, MatchesRefOnEverySmallShape) {
  // Every m, n, k in 1..3W+1 (all microkernel tails), all four transposes, beta 0 and 1.
  const int max = static_cast<int>(kMaxLen);
  std::uint64_t seed = 100;
  for (int m = 1; m <= max; ++m)
    for (int n = 1; n <= max; ++n)
      for (int k = 1; k <= max; ++k)
        for (int t = 0; t < 4; ++t)
          for (float beta : {0.0f, 1.0f}) {
            const GemmCase g{(t & 1) != 0, (t & 2) != 0, m, n, k, (m + n + k) % 2 ? 3 : 0, 1.0f, beta};
            const auto r = check_gemm(g, ++seed);
            ASSERT_TRUE(r) << describe(g);
          }
}

TEST(KernelGemm, MatchesRefAcrossCacheBlocks) {
  // Shapes that cross the depth block (k > 256), the row block (m > 96) and the column
  // block (n > 64 panels), with general alpha and beta.
  const int shapes[][3] = {{130, 50, 300}, {5, 1000, 7}, {97, 13, 513}, {64, 128, 784}, {33, 65, 257}};
  std::uint64_t seed = 900;
  for (const auto& s : shapes)
    for (int t = 0; t < 4; ++t)
      for (float beta : {0.0f, 1.0f, 0.5f}) {
        const GemmCase g{(t & 1) != 0, (t & 2) != 0, s[0], s[1], s[2], 5, -0.75f, beta};
        ASSERT_TRUE(check_gemm(g, ++seed)) << describe(g);
      }
}

TEST(KernelGemm, MatchesRefOnNarrowConvShapes) {
  // The narrow-C path (n <= 32, A read in place): the conv layers' products (filters 8, 16, 32;
  // patches 9, 25, 200) and their kernel gradients (A transposed, depth crossing blocks),
  // row counts that leave every edge tile, and n just past the path's limit.
  const int shapes[][3] = {{157, 8, 25}, {98, 16, 200}, {203, 32, 9}, {25, 8, 1569}, {200, 16, 391},
                           {9, 32, 700}, {61, 24, 40},  {30, 33, 17}, {7, 31, 300}};
  std::uint64_t seed = 1900;
  for (const auto& s : shapes)
    for (int t = 0; t < 4; ++t)
      for (float beta : {0.0f, 1.0f}) {
        const GemmCase g{(t & 1) != 0, (t & 2) != 0, s[0], s[1], s[2], (s[0] % 2) * 3, 1.0f, beta};
        ASSERT_TRUE(check_gemm(g, ++seed)) << describe(g);
      }
}

TEST(KernelGemm, BiasIsGemmThenAddRowBiasBitForBit) {
  // gemm_bias adds the row bias as it stores each tile (on the last depth block): the very bits
  // of gemm followed by add_row_bias, on the narrow path (conv shapes, edge tiles, depth blocks
  // crossed) and the packed one (n > 32, column and row blocks crossed), every transpose, beta
  // 0 / 1 / 0.5, and C's padding untouched. Its reference is gemm_ref + add_row_bias_ref.
  const int shapes[][3] = {{157, 8, 25}, {98, 16, 200}, {203, 32, 9}, {61, 24, 40},  {30, 33, 17},
                           {7, 31, 300}, {97, 13, 513}, {5, 1000, 7}, {33, 65, 257}, {3, 5, 0}};
  std::uint64_t seed = 2600;
  for (const auto& s : shapes)
    for (int t = 0; t < 4; ++t)
      for (float beta : {0.0f, 1.0f, 0.5f}) {
        const GemmCase g{(t & 1) != 0, (t & 2) != 0, s[0], s[1], s[2], (s[0] % 2) * 3, t == 3 ? -0.75f : 1.0f, beta};
        SCOPED_TRACE(describe(g));
        const int a_rows = g.ta ? g.k : g.m, a_cols = g.ta ? g.m : g.k;
        const int b_rows = g.tb ? g.n : g.k, b_cols = g.tb ? g.k : g.n;
        const int lda = std::max(a_cols, 1) + g.pad, ldb = std::max(b_cols, 1) + g.pad, ldc = g.n + g.pad;
        const auto a = padded_matrix(a_rows, a_cols, lda, ++seed);
        const auto b = padded_matrix(b_rows, b_cols, ldb, ++seed);
        const auto bias = padded_matrix(1, g.n, g.n, ++seed);
        std::vector<float> c0 = padded_matrix(g.m, g.n, ldc, ++seed);
        for (int i = 0; i < g.m; ++i)
          for (int j = g.n; j < ldc; ++j) c0[static_cast<std::size_t>(i * ldc + j)] = kSentinel;
        auto fused = c0, unfused = c0, fused_ref = c0, unfused_ref = c0;
        gemm_bias(g.ta, g.tb, g.m, g.n, g.k, g.alpha, a.data(), lda, b.data(), ldb, g.beta, fused.data(), ldc,
                  bias.data());
        gemm(g.ta, g.tb, g.m, g.n, g.k, g.alpha, a.data(), lda, b.data(), ldb, g.beta, unfused.data(), ldc);
        gemm_bias_ref(g.ta, g.tb, g.m, g.n, g.k, g.alpha, a.data(), lda, b.data(), ldb, g.beta, fused_ref.data(), ldc,
                      bias.data());
        gemm_ref(g.ta, g.tb, g.m, g.n, g.k, g.alpha, a.data(), lda, b.data(), ldb, g.beta, unfused_ref.data(), ldc);
        for (int i = 0; i < g.m; ++i) {
          add_row_bias(unfused.data() + static_cast<std::ptrdiff_t>(i) * ldc, bias.data(), 1, g.n);
          add_row_bias_ref(unfused_ref.data() + static_cast<std::ptrdiff_t>(i) * ldc, bias.data(), 1, g.n);
        }
        ASSERT_EQ(0, std::memcmp(fused.data(), unfused.data(), fused.size() * sizeof(float)));
        ASSERT_EQ(0, std::memcmp(fused_ref.data(), unfused_ref.data(), fused.size() * sizeof(float)));
        // And the vector version against the reference, within gemm's own bound (check_gemm).
        for (int i = 0; i < g.m; ++i)
          for (int j = 0; j < g.n; ++j) {
            const std::size_t at = static_cast<std::size_t>(i * ldc + j);
            ASSERT_NEAR(fused[at], fused_ref[at], (2.0 * g.k + 8.0) * 1.2e-7 * (g.k + 2.0)) << i << ", " << j;
          }
      }
}

TEST(KernelGemm, EmptyShapes) {
  std::vector<float> c = {1, 2, 3, 4}, c_ref = c;
  const float a[] = {kNaN}, b[] = {kNaN};
  // m or n == 0: C is not touched, and neither operand is read (a and b hold one float, far
  // less than lda and ldb claim; AddressSanitizer reports any read past it), in every
  // transpose. gemm_ref once walked A for n == 0 (scalar builds, where gemm is gemm_ref).
  for (auto* fn : {gemm_ref, gemm}) {
    for (int t = 0; t < 4; ++t) {
      const bool ta = (t & 1) != 0, tb = (t & 2) != 0;
      SCOPED_TRACE("trans_a = " + std::to_string(ta) + ", trans_b = " + std::to_string(tb));
      fn(ta, tb, 0, 2, 3, 1.0f, a, 3, b, 3, 0.0f, c.data(), 2);
      fn(ta, tb, 2, 0, 3, 1.0f, a, 3, b, 3, 0.0f, c.data(), 2);
      fn(ta, tb, 0, 0, 3, 1.0f, a, 3, b, 3, 1.0f, c.data(), 2);
      EXPECT_TRUE(expect_near_all(c, c_ref, 0, 0));
    }
  }
  // k == 0: the product is empty, C = beta·C.
  for (auto* fn : {gemm_ref, gemm}) {
    auto c2 = c;
    fn(false, false, 2, 2, 0, 1.0f, a, 1, b, 2, 0.5f, c2.data(), 2);
    EXPECT_TRUE(expect_near_all(c2, std::vector<float>{0.5f, 1, 1.5f, 2}, 0, 0));
    std::vector<float> c3 = {kNaN, kNaN, kNaN, kNaN};
    fn(false, false, 2, 2, 0, 1.0f, a, 1, b, 2, 0.0f, c3.data(), 2);
    EXPECT_TRUE(expect_near_all(c3, std::vector<float>{0, 0, 0, 0}, 0, 0));
  }
}

}  // namespace
}  // namespace nnplay
