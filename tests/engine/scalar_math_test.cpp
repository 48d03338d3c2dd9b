// log_of and exp_of (core/scalar_math.h) against the C library's log and exp (glibc's, correctly
// rounded in practice) over the whole double range: the losses, the normal sampler and the
// schedules rely on them being as good as std::log and std::exp.
#include "core/scalar_math.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

namespace nnplay {
namespace {

// Distance in units in the last place between two finite doubles of the same sign.
std::uint64_t ulps(double a, double b) {
  std::int64_t ia = 0, ib = 0;
  std::memcpy(&ia, &a, sizeof a);
  std::memcpy(&ib, &b, sizeof b);
  return ia > ib ? static_cast<std::uint64_t>(ia - ib) : static_cast<std::uint64_t>(ib - ia);
}

// A fixed sequence of doubles in [0, 1) (a 64-bit LCG's top 53 bits).
struct Sweep {
  std::uint64_t state = 0x9e3779b97f4a7c15ULL;
  double next() {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<double>(state >> 11) * 0x1p-53;
  }
};

constexpr std::uint64_t kMaxUlps = 2;

TEST(ScalarMath, LogWithinTwoUlpOverTheWholeRange) {
  Sweep s;
  std::uint64_t worst = 0;
  for (int i = 0; i < 200000; ++i) {
    // Every binade, subnormals included: 2^(-1074 .. 1024).
    const double x = std::ldexp(1.0 + s.next(), static_cast<int>(s.next() * 2098.0) - 1075);
    if (x == 0.0 || std::isinf(x)) continue;
    const std::uint64_t d = ulps(log_of(x), std::log(x));
    if (d > worst) worst = d;
    ASSERT_LE(d, kMaxUlps) << "log_of(" << x << ") = " << log_of(x) << ", std::log gives " << std::log(x);
  }
  // Near 1, where ln x is tiny and a careless reduction loses every digit.
  for (int k = 1; k <= 60; ++k) {
    for (const double x : {1.0 + std::ldexp(1.0, -k), 1.0 - std::ldexp(1.0, -k)}) {
      ASSERT_LE(ulps(log_of(x), std::log(x)), kMaxUlps) << "log_of(1 +- 2^-" << k << ")";
    }
  }
  EXPECT_LE(worst, kMaxUlps);
}

TEST(ScalarMath, ExpWithinTwoUlpOverTheWholeRange) {
  Sweep s;
  for (int i = 0; i < 200000; ++i) {
    const double x = -745.0 + s.next() * (709.78 + 745.0);
    const double want = std::exp(x);
    if (want == 0.0) continue;
    ASSERT_LE(ulps(exp_of(x), want), kMaxUlps) << "exp_of(" << x << ") = " << exp_of(x) << ", std::exp gives " << want;
  }
  // Small arguments, where e^x is 1 + x + ...
  for (int k = 1; k <= 60; ++k) {
    for (const double x : {std::ldexp(1.0, -k), -std::ldexp(1.0, -k)}) {
      ASSERT_LE(ulps(exp_of(x), std::exp(x)), kMaxUlps) << "exp_of(+-2^-" << k << ")";
    }
  }
}

TEST(ScalarMath, SpecialValuesAsTheCLibrary) {
  const double inf = std::numeric_limits<double>::infinity();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(log_of(1.0), 0.0);
  EXPECT_EQ(log_of(0.0), -inf);
  EXPECT_EQ(log_of(inf), inf);
  EXPECT_TRUE(std::isnan(log_of(-1.0)));
  EXPECT_TRUE(std::isnan(log_of(-inf)));
  EXPECT_TRUE(std::isnan(log_of(nan)));
  EXPECT_EQ(log_of(std::numeric_limits<double>::denorm_min()), std::log(std::numeric_limits<double>::denorm_min()));
  EXPECT_EQ(log_of(std::numeric_limits<double>::max()), std::log(std::numeric_limits<double>::max()));

  EXPECT_EQ(exp_of(0.0), 1.0);
  EXPECT_EQ(exp_of(inf), inf);
  EXPECT_EQ(exp_of(-inf), 0.0);
  EXPECT_TRUE(std::isnan(exp_of(nan)));
  EXPECT_EQ(exp_of(1000.0), inf);
  EXPECT_EQ(exp_of(-1000.0), 0.0);
  // The edges of the finite range: the largest argument with a finite e^x, the first past it,
  // and the subnormal results down to the smallest.
  EXPECT_TRUE(std::isfinite(exp_of(709.782712893383)));
  EXPECT_EQ(exp_of(709.7828), inf);
  for (const double x : {-708.5, -720.0, -740.0, -744.4, -745.13}) {
    EXPECT_LE(ulps(exp_of(x), std::exp(x)), kMaxUlps) << "exp_of(" << x << ")";
  }
  EXPECT_EQ(exp_of(-745.2), 0.0);
}

}  // namespace
}  // namespace nnplay
