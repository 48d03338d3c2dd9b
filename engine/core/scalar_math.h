#pragma once

// Double-precision natural log and exp for the engine's scalar paths: the losses summed in
// double, the seeded normal sampler and the learning-rate schedules.
//
// Why not std::log and std::exp: in the wasm build they are musl's table-driven versions, whose
// 6 KB of tables (random-looking doubles that gzip cannot shrink) sit in the first module's data
// section, which the engine's split cannot move: 6.2 KB of the download of every app (measured
// 2026-12-06, README "Download size"). These reduce the argument by a power of two and hand the
// rest to libm's log1p and expm1, which need no tables; they are within 1-2 ulp of std::log and
// std::exp (tests/engine/scalar_math_test.cpp). scripts/split-engine.mjs fails the build when
// musl's log or exp is linked again. Float code keeps std::exp/std::log on floats (expf has a
// small table).

namespace nnplay {

// ln x for x > 0; -inf at 0 and +inf at +inf; NaN for x < 0 or NaN, as std::log.
double log_of(double x);

// e^x; +inf past the largest finite result and 0 below the smallest subnormal one, as std::exp.
double exp_of(double x);

}  // namespace nnplay
