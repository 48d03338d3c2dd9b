// Training-step micro-benchmark (Google Benchmark): the W2 net of bench/workloads.mjs (the
// TensorFlow Playground's 2-8-8-1 tanh/tanh/sigmoid, SGD 0.03, squared error, batch 10, 500
// points) trained through TrainingSession::train_epoch, as every library path does. On a net this
// small the step is mostly bookkeeping around tiny GEMMs, so this is where per-step overhead
// (allocations, lookups, extra passes) shows. Reported per step (50 steps per epoch).
// For repeatable counts on a loaded machine, run it under valgrind --tool=callgrind with
// --benchmark_min_time small and compare instructions, not seconds.
#include <benchmark/benchmark.h>

#include <algorithm>

#include "core/rng.h"
#include "nn/graph.h"
#include "train/session.h"

namespace {

void playground_epoch(benchmark::State& state) {
  using namespace nnplay;
  TrainingSession session(parse_graph_spec(
      R"({"inputShape":[2],"seed":3,"layers":[{"type":"dense","units":8,"activation":"tanh"},)"
      R"({"type":"dense","units":8,"activation":"tanh"},{"type":"dense","units":1,"activation":"sigmoid"}]})"));
  session.compile(parse_compile_spec(R"({"optimizer":{"name":"sgd","learningRate":0.03},"loss":"meanSquaredError"})"));
  const int n = 500;
  const int id = session.reserve_dataset(n, 2, 1);
  float* x = session.dataset_x(id);
  float* y = session.dataset_y(id);
  Rng rng(1);
  for (int i = 0; i < n; ++i) {
    x[2 * i] = rng.uniform(-5.0f, 5.0f);
    x[2 * i + 1] = rng.uniform(-5.0f, 5.0f);
    y[i] = x[2 * i] * x[2 * i] + x[2 * i + 1] * x[2 * i + 1] < 9.0f ? 1.0f : 0.0f;
  }
  session.seal_dataset(id);
  for (auto _ : state) benchmark::DoNotOptimize(session.train_epoch(id, 10, true));
  state.SetItemsProcessed(state.iterations() * (n / 10));  // items = steps
}
BENCHMARK(playground_epoch)->Unit(benchmark::kMicrosecond);

}  // namespace
