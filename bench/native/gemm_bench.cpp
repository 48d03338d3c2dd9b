// GEMM micro-benchmark (Google Benchmark): gemm (xsimd) vs gemm_ref (scalar loops) on the
// shapes training uses, reported as GFLOP/s (2·m·n·k flops per call).
//
// Shapes:
//   256x256x256            square reference point
//   64x784 · 784x128       dense forward, MNIST-sized: batch 64, 784 inputs, 128 units
//   (64x784)^T · 64x128    dense backward d_W = in^T · d_out (trans_a), [784, 128]
//   64x128 · (784x128)^T   dense backward d_in = d_out · W^T (trans_b), [64, 784]
// Not a test: numbers only. Run the -msse4.2 -mno-avx build for the twin of wasm SIMD.
#include <benchmark/benchmark.h>

#include <vector>

#include "core/rng.h"
#include "kernels/gemm.h"

namespace {

using GemmFn = void (*)(bool, bool, int, int, int, float, const float*, int, const float*, int, float, float*, int);

void run_gemm(benchmark::State& state, GemmFn fn, bool trans_a, bool trans_b, int m, int n, int k) {
  nnplay::Rng rng(1);
  std::vector<float> a(static_cast<std::size_t>(m) * k), b(static_cast<std::size_t>(k) * n),
      c(static_cast<std::size_t>(m) * n);
  for (float& x : a) x = rng.uniform(-1.0f, 1.0f);
  for (float& x : b) x = rng.uniform(-1.0f, 1.0f);
  const int lda = trans_a ? m : k, ldb = trans_b ? k : n;
  for (auto _ : state) {
    fn(trans_a, trans_b, m, n, k, 1.0f, a.data(), lda, b.data(), ldb, 0.0f, c.data(), n);
    benchmark::DoNotOptimize(c.data());
    benchmark::ClobberMemory();
  }
  state.counters["GFLOP/s"] = benchmark::Counter(2.0 * m * n * k * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
}

#define NNPLAY_GEMM_BENCH(name, ta, tb, m, n, k)                                                   \
  void BM_gemm_##name(benchmark::State& s) { run_gemm(s, nnplay::gemm, ta, tb, m, n, k); }         \
  void BM_gemm_ref_##name(benchmark::State& s) { run_gemm(s, nnplay::gemm_ref, ta, tb, m, n, k); } \
  BENCHMARK(BM_gemm_##name)->Unit(benchmark::kMicrosecond);                                        \
  BENCHMARK(BM_gemm_ref_##name)->Unit(benchmark::kMicrosecond)

NNPLAY_GEMM_BENCH(256x256x256, false, false, 256, 256, 256);
NNPLAY_GEMM_BENCH(dense_fwd_64x784x128, false, false, 64, 128, 784);
NNPLAY_GEMM_BENCH(dense_dW_784x64x128_transA, true, false, 784, 128, 64);
NNPLAY_GEMM_BENCH(dense_dIn_64x128x784_transB, false, true, 64, 784, 128);

}  // namespace

BENCHMARK_MAIN();
