#!/usr/bin/env bash
# Builds everything: the engine to wasm (SIMD), the image data sets (build/data), the library
# (dist/lib) and the page (dist/app).
# Incremental: ninja and vite only redo what changed.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/bootstrap.sh
# Debian's Emscripten JS optimizer needs Debian's acorn (see docs/BUILDING.md).
export NODE_PATH="/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}"

build_wasm() {  # $1 = build dir, $2 = SIMD ON/OFF, $3 = threads ON/OFF, then targets (default: all)
  if [ ! -f "$1/build.ninja" ]; then
    emcmake cmake -S . -B "$1" -G Ninja -DCMAKE_BUILD_TYPE=Release -DNNPLAY_SIMD="$2" -DNNPLAY_WASM_THREADS="$3" >/dev/null
  fi
  local dir=$1
  shift 3
  cmake --build "$dir" ${1:+--target "$@"}
}
echo "[build] engine -> wasm (SIMD)"
build_wasm build/wasm ON OFF
# The threaded engine (-pthread; loaded only where threads can run, docs/BUILDING.md "Threads"):
# every object again with -pthread, in a directory of its own. NNPLAY_NO_THREADS_BUILD=1 skips it
# (the library then ships the single-threaded engine only).
if [ "${NNPLAY_NO_THREADS_BUILD:-0}" != 1 ]; then
  echo "[build] engine -> wasm with threads (build/wasm-threads)"
  build_wasm build/wasm-threads ON ON nnplay_wasm
fi
echo "[build] engine tables -> build/wasm/engine-tables.json (embedded in the library)"
node scripts/engine-tables-json.mjs

echo "[build] image data sets -> build/data (skipped when up to date)"
node scripts/build-data.mjs

echo "[build] library -> dist/lib"
npx vite build -c web/lib/vite.config.ts --logLevel warn
# The engine split again by what typical programs call (the split CMake made goes by source file):
# the library's workloads run on an instrumented engine, and what they never call moves to
# nnplay-extra.wasm (build/wasm and dist/lib). Skipped when nothing it reads changed.
echo "[build] engine split by the library's workloads (scripts/profile-engine.mjs)"
node scripts/profile-engine.mjs
echo "[build] <nn-playground> element -> dist/playground (uses dist/lib's wasm and data)"
npx vite build -c web/app/element.vite.config.ts --logLevel warn
echo "[build] playground -> dist/app"
npx vite build -c web/app/vite.config.ts --logLevel warn
