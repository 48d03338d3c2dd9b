// Small helpers shared by the engine tests: seeded random vectors, a tolerance compare, the
// message of a thrown Error (and EXPECT_ERROR_CONTAINS on it), and a finite-difference
// gradient with its comparison.
//
// What it is not: a framework. A few fillers and comparators, so every test file reads the
// same way (expect_near_all(actual, expected, rel, abs) -> a message naming the first index
// that differs).
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "core/check.h"
#include "core/rng.h"

namespace nnplay::test {

// n floats uniform in [lo, hi), the same for the same seed on every platform.
inline std::vector<float> random_vector(std::size_t n, std::uint64_t seed, float lo = -1.0f, float hi = 1.0f) {
  Rng rng(seed);
  std::vector<float> v(n);
  for (float& x : v) x = rng.uniform(lo, hi);
  return v;
}

inline void fill_uniform(float* x, std::size_t n, Rng& rng, float lo = -1.0f, float hi = 1.0f) {
  for (std::size_t i = 0; i < n; ++i) x[i] = rng.uniform(lo, hi);
}

// |actual − expected| <= abs_tol + rel_tol·|expected|. NaN matches only NaN and an infinity
// only the same infinity, so a kernel that produces a NaN where the reference does not fails.
inline bool near(double actual, double expected, double rel_tol, double abs_tol) {
  if (std::isnan(expected) || std::isnan(actual)) return std::isnan(expected) && std::isnan(actual);
  if (std::isinf(expected) || std::isinf(actual)) return actual == expected;
  return std::fabs(actual - expected) <= abs_tol + rel_tol * std::fabs(expected);
}

inline ::testing::AssertionResult expect_near_all(const float* actual, const float* expected, std::size_t n,
                                                  double rel_tol, double abs_tol) {
  for (std::size_t i = 0; i < n; ++i) {
    if (!near(actual[i], expected[i], rel_tol, abs_tol)) {
      std::ostringstream os;
      os.precision(9);
      os << "index " << i << " of " << n << ": got " << actual[i] << ", expected " << expected[i] << " (rel_tol "
         << rel_tol << ", abs_tol " << abs_tol << ")";
      return ::testing::AssertionFailure() << os.str();
    }
  }
  return ::testing::AssertionSuccess();
}

inline ::testing::AssertionResult expect_near_all(const std::vector<float>& actual, const std::vector<float>& expected,
                                                  double rel_tol, double abs_tol) {
  if (actual.size() != expected.size())
    return ::testing::AssertionFailure() << "size " << actual.size() << " != expected size " << expected.size();
  return expect_near_all(actual.data(), expected.data(), actual.size(), rel_tol, abs_tol);
}

// The message of the Error that `f` throws ("" when it does not throw).
template <class F>
std::string error_of(F f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

// Central difference of f with respect to each x[i], in double, over the step actually stored
// ((float)(x+h) − (float)(x−h)).
inline std::vector<double> numeric_gradient(float* x, std::size_t n, double h, const std::function<double()>& f) {
  std::vector<double> g(n);
  for (std::size_t i = 0; i < n; ++i) {
    const float old = x[i];
    const float xp = static_cast<float>(old + h);
    const float xm = static_cast<float>(old - h);
    x[i] = xp;
    const double fp = f();
    x[i] = xm;
    const double fm = f();
    x[i] = old;
    g[i] = (fp - fm) / (static_cast<double>(xp) - static_cast<double>(xm));
  }
  return g;
}

// A layer's output reduced to a scalar by a fixed projection, L = Σ r·out, so its backward
// runs with the arbitrary d_out = r.
inline double project(const float* out, const std::vector<float>& r) {
  double s = 0.0;
  for (std::size_t i = 0; i < r.size(); ++i) s += static_cast<double>(r[i]) * out[i];
  return s;
}

// |analytic − numeric| <= atol + rtol·|numeric| at every index.
inline ::testing::AssertionResult gradients_match(const float* analytic, const std::vector<double>& numeric,
                                                  double rtol, double atol) {
  for (std::size_t i = 0; i < numeric.size(); ++i) {
    const double a = analytic[i], nm = numeric[i];
    if (!(std::fabs(a - nm) <= atol + rtol * std::fabs(nm)))
      return ::testing::AssertionFailure() << "index " << i << ": analytic " << a << " vs numeric " << nm << " (rtol "
                                           << rtol << ", atol " << atol << ")";
  }
  return ::testing::AssertionSuccess();
}

}  // namespace nnplay::test

// `expr` throws an Error whose message contains every one of the strings that follow.
#define EXPECT_ERROR_CONTAINS(expr, ...)                                                               \
  do {                                                                                                 \
    std::string msg_ = ::nnplay::test::error_of([&] { (void)(expr); });                                \
    ASSERT_FALSE(msg_.empty()) << #expr << " did not throw";                                           \
    for (const char* part_ : {__VA_ARGS__})                                                            \
      EXPECT_NE(msg_.find(part_), std::string::npos) << "message: " << msg_ << "\nmissing: " << part_; \
  } while (0)
