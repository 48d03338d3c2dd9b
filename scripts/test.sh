#!/usr/bin/env bash
# Builds, then runs every check: the TypeScript type check of the whole tree, the C++
# formatting check, the native GoogleTest suite under AddressSanitizer + UBSan (SIMD kernels
# and scalar references) and its threaded tests under ThreadSanitizer, Node tests of the library
# on the built wasm, and browser tests in headless Chromium. Exits non-zero on any failure, the cheapest checks first.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/bootstrap.sh

echo "[test] types: tsc --noEmit over web/, tests/, bench/ (tsconfig.json)"
npx tsc --noEmit -p tsconfig.json

echo "[test] C++ formatting: scripts/format.sh --check (.clang-format)"
bash scripts/format.sh --check

bash scripts/build.sh

# The native suite runs only sanitized: Debug keeps the engine's NNPLAY_ASSERTs on, -O1 keeps
# ASan affordable, -g1 (line tables only, a third cheaper to compile than -g) is all a report's
# stack trace needs, and the CMake option makes every UBSan finding abort. Twice: with the xsimd
# kernels (what ships) and with NNPLAY_SIMD=OFF, where gemm and the vector kernels are their
# scalar references, the code every kernel test compares against. A plain Release run would
# add no test these two do not run (see docs/BUILDING.md, "Sanitizers").
export ASAN_OPTIONS="halt_on_error=1:detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
native_sanitized() {  # $1 = build dir, $2 = NNPLAY_SIMD ON/OFF
  echo "[test] engine, native, ASan + UBSan, NNPLAY_SIMD=$2 ($1)"
  if [ ! -f "$1/build.ninja" ]; then
    cmake -S . -B "$1" -G Ninja -DCMAKE_BUILD_TYPE=Debug "-DCMAKE_CXX_FLAGS_DEBUG=-O1 -g1" \
      -DNNPLAY_SANITIZE=ON -DNNPLAY_SIMD="$2" >/dev/null
  fi
  local start=$SECONDS
  cmake --build "$1" --target engine_tests
  local built=$SECONDS
  # One process rather than ctest's one per test: ASan's start-up and shadow memory per process
  # would cost more than the tests. A sanitizer report exits non-zero and fails the run.
  "$1/engine_tests" --gtest_brief=1
  echo "[test] engine, NNPLAY_SIMD=$2: built in $((built - start)) s, ran in $((SECONDS - built)) s"
}
native_sanitized build/native-asan ON
native_sanitized build/native-asan-scalar OFF

# ThreadSanitizer (a build of its own: it cannot share one with ASan) over the tests that run the
# engine's pool: the pool itself, the layers that split their work over it (conv2d's chunks, the
# pooling layers' images; conv1d is a conv2d) and the training tests, with the pool at 3 threads
# (NNPLAY_TEST_THREADS, tests/engine/thread_count_env.cpp; natively the engine runs 1 until told).
# Filtered: the whole suite under TSan costs ten times the CPU and runs nothing else on the pool.
# A test suite of a layer that starts calling parallel_for belongs in this list.
# setarch -R: gcc 12's TSan cannot map its shadow memory under the 32-bit mmap randomisation of
# newer kernels; without address randomisation it always can.
tsan_threaded_tests='ParallelFor.*:Conv*:MaxPool2d.*:Im2col.*:Trainer.*:TrainingSession.*:AutoencoderLayers.*:PlaygroundTraining.*:Sequential.*:PerStepClasses.*'
echo "[test] engine, native, TSan, 3 threads: the pool and the tests that use it (build/native-tsan)"
if [ ! -f build/native-tsan/build.ninja ]; then
  cmake -S . -B build/native-tsan -G Ninja -DCMAKE_BUILD_TYPE=Debug "-DCMAKE_CXX_FLAGS_DEBUG=-O1 -g1" \
    -DNNPLAY_TSAN=ON >/dev/null
fi
start=$SECONDS
cmake --build build/native-tsan --target engine_tests
built=$SECONDS
no_aslr=()
if setarch "$(uname -m)" -R true 2>/dev/null; then no_aslr=(setarch "$(uname -m)" -R); fi
NNPLAY_TEST_THREADS=3 TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1${TSAN_OPTIONS:+:$TSAN_OPTIONS}" \
  "${no_aslr[@]}" build/native-tsan/engine_tests --gtest_brief=1 "--gtest_filter=$tsan_threaded_tests"
echo "[test] engine, TSan: built in $((built - start)) s, ran in $((SECONDS - built)) s"

echo "[test] library on the built wasm (Node)"
npx vitest run --config tests/js/vitest.config.ts

echo "[test] playground in headless Chromium"
npx vitest run --config tests/e2e/vitest.config.ts
echo "[test] all suites passed"
