#!/usr/bin/env bash
# `npm run bench [-- --quick ...]`: the side-by-side benchmark of issue 3 (not part of npm test).
#
# Builds what it measures, then runs bench/run.mjs, which prints the table and writes
# bench/results/latest.json. Builds, all incremental (ninja only redoes what changed):
#   build/wasm, dist/lib          scripts/build.sh (the engine and library users get)
#   build/bench-wasm-scalar       the same engine to wasm with NNPLAY_SIMD=OFF (scalar twin)
#   build/bench-sse               native engine_bench, -msse4.2 -mno-avx (128-bit twin of wasm SIMD)
#   build/bench-native            native engine_bench with the default flags
#   build/bench-baseline/<sha>    with --baseline REF: that commit's build/wasm and dist/lib, built
#                                 once by scripts/bench-baseline.sh (bench/run.mjs calls it)
# Options after `--` go to bench/run.mjs (--quick, --reps N, --only mlp,playground,predict,calls,gemm,cnn,kerascnn,convnetjs,fashion,textcnn,
# --baseline [REF], --no-browser, --no-node, --no-native, --out FILE); --skip-build skips this
# script's builds (not a baseline's first build).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

skip_build=0
args=()
for a in "$@"; do
  if [ "$a" = --skip-build ]; then skip_build=1; else args+=("$a"); fi
done

if [ $skip_build = 0 ]; then
  bash scripts/build.sh
  export NODE_PATH="/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}"  # Debian emcc needs acorn
  jobs=(-j2)
  echo "[bench] engine -> wasm, scalar twin (build/bench-wasm-scalar)"
  if [ ! -f build/bench-wasm-scalar/build.ninja ]; then
    emcmake cmake -S . -B build/bench-wasm-scalar -G Ninja -DCMAKE_BUILD_TYPE=Release -DNNPLAY_SIMD=OFF >/dev/null
  fi
  cmake --build build/bench-wasm-scalar "${jobs[@]}" --target nnplay_wasm

  echo "[bench] native GEMM benchmarks (build/bench-sse, build/bench-native)"
  if [ ! -f build/bench-sse/build.ninja ]; then
    cmake -S . -B build/bench-sse -G Ninja -DCMAKE_BUILD_TYPE=Release "-DNNPLAY_ARCH_FLAGS=-msse4.2;-mno-avx" >/dev/null
  fi
  if [ ! -f build/bench-native/build.ninja ]; then
    cmake -S . -B build/bench-native -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
  fi
  for d in build/bench-sse build/bench-native; do
    if grep -q '^build engine_bench' "$d/build.ninja" 2>/dev/null || cmake --build "$d" --target help 2>/dev/null | grep -q engine_bench; then
      cmake --build "$d" "${jobs[@]}" --target engine_bench
    else
      echo "[bench] $d: no engine_bench target (bench/native/*.cpp or libbenchmark-dev missing): native GEMM figures will be skipped"
    fi
  done
fi

exec node bench/run.mjs "${args[@]}"
