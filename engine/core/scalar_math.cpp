#include "core/scalar_math.h"

#include <cmath>
#include <limits>

namespace nnplay {

namespace {

// ln 2 split in two: kLn2Hi keeps 21 significant bits, so k * kLn2Hi is exact for every
// exponent k a double has; kLn2Lo is the rest (ln 2 - kLn2Hi, rounded). Computed with Python's
// decimal at 60 digits.
constexpr double kLn2Hi = 0.6931467056274414;
constexpr double kLn2Lo = 4.7493250390316726e-07;
constexpr double kInvLn2 = 1.4426950408889634;
constexpr double kSqrtHalf = 0.70710678118654752440;

}  // namespace

double log_of(double x) {
  if (!(x > 0.0)) return x == 0.0 ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::quiet_NaN();
  if (x == std::numeric_limits<double>::infinity()) return x;
  // x = m * 2^e with m in [sqrt(1/2), sqrt(2)): then m - 1 is exact (Sterbenz) and small enough
  // for log1p, and ln x = e ln 2 + log1p(m - 1).
  int e = 0;
  double m = std::frexp(x, &e);  // m in [1/2, 1)
  if (m < kSqrtHalf) {
    m *= 2.0;
    --e;
  }
  const double k = e;
  return k * kLn2Hi + (std::log1p(m - 1.0) + k * kLn2Lo);
}

double exp_of(double x) {
  if (x != x) return x;
  // Past these, e^x is not a finite double (709.78...) or rounds to 0 (-745.13...).
  if (x > 710.0) return std::numeric_limits<double>::infinity();
  if (x < -746.0) return 0.0;
  // x = k ln 2 + r with |r| <= ln 2 / 2: e^x = 2^k (1 + expm1(r)). x - k * kLn2Hi is exact
  // (Sterbenz again), so r carries only kLn2Lo's rounding.
  const double k = std::nearbyint(x * kInvLn2);
  const double r = (x - k * kLn2Hi) - k * kLn2Lo;
  return std::scalbn(1.0 + std::expm1(r), static_cast<int>(k));
}

}  // namespace nnplay
