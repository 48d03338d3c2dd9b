// Loss kernel tests: binaryCrossentropy's sum (kernels/loss_kernels.h), the xsimd version
// against its double reference on every length 1..3·W+1 and across its float blocks, a case
// worked out by hand, and NaN propagation (the trainer's divergence check relies on it).
#include "kernels/loss_kernels.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstddef>
#include <limits>
#include <string>
#include <vector>

#include "test_util.h"

#ifndef NNPLAY_NO_SIMD
#include <xsimd/xsimd.hpp>
constexpr std::size_t kW = xsimd::batch<float>::size;
#else
constexpr std::size_t kW = 4;  // scalar build: the SIMD names are the refs; sweep as if W = 4
#endif

namespace nnplay {
namespace {

using test::random_vector;

const float kLo = 1e-7f, kHi = 1.0f - 1e-7f;

// Clipped, exact-0/1 and fractional values (an autoencoder's targets are pixel intensities).
TEST(KernelLoss, BinaryCrossentropySumMatchesRef) {
  std::vector<std::size_t> lengths;
  for (std::size_t n = 1; n <= 3 * kW + 1; ++n) lengths.push_back(n);
  for (std::size_t n : {64 * kW - 1, 64 * kW, 64 * kW + 1, 3 * 64 * kW + 5, std::size_t{64 * 784}})
    lengths.push_back(n);
  for (std::size_t n : lengths) {
    SCOPED_TRACE("n = " + std::to_string(n));
    std::vector<float> pred = random_vector(n, 300 + n, -0.05f, 1.05f), y = random_vector(n, 400 + n, 0.0f, 1.0f);
    for (std::size_t i = 0; i < n; i += 5) y[i] = i % 2 ? 1.0f : 0.0f;
    for (std::size_t i = 0; i < n; i += 7) pred[i] = i % 3 == 0 ? 0.0f : (i % 3 == 1 ? 1.0f : 1e-3f);
    const double ref = binary_crossentropy_sum_ref(pred.data(), y.data(), n, kLo, kHi);
    EXPECT_NEAR(binary_crossentropy_sum(pred.data(), y.data(), n, kLo, kHi), ref, 2e-6 * std::fabs(ref) + 1e-6);
  }
}

TEST(KernelLoss, BinaryCrossentropySumByHandAndNaN) {
  // −(log 0.9 + log(1 − 0.2) + 2·0.5·log 0.5); p = 0 against y = 1 is clipped: −log(1e-7).
  std::vector<float> pred = {0.9f, 0.2f, 0.5f, 0.0f}, y = {1.0f, 0.0f, 0.5f, 1.0f};
  const double want = -(std::log(0.9) + std::log(0.8) + std::log(0.5)) - std::log(1e-7);
  EXPECT_NEAR(binary_crossentropy_sum_ref(pred.data(), y.data(), 4, kLo, kHi), want, 1e-5);
  EXPECT_NEAR(binary_crossentropy_sum(pred.data(), y.data(), 4, kLo, kHi), want, 1e-5);
  std::vector<float> halves(8 * kW + 3, 0.5f), targets(8 * kW + 3, 0.5f);
  const double n = static_cast<double>(halves.size());
  EXPECT_NEAR(binary_crossentropy_sum(halves.data(), targets.data(), halves.size(), kLo, kHi), n * std::log(2.0),
              1e-6 * n);
  for (std::size_t at : {std::size_t{0}, kW + 1, halves.size() - 1}) {
    halves[at] = std::numeric_limits<float>::quiet_NaN();
    EXPECT_TRUE(std::isnan(binary_crossentropy_sum(halves.data(), targets.data(), halves.size(), kLo, kHi)))
        << "NaN at " << at;
    halves[at] = 0.5f;
  }
}

}  // namespace
}  // namespace nnplay
