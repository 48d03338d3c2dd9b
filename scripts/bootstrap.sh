#!/usr/bin/env bash
# Installs what nnplay's build needs, and nothing when it is already there.
#
# What it is: the one place that knows the toolchain. `npm start`, `npm test`,
# `npm run build` and `.ci/run` all call it first. On Debian as root it installs
# missing pieces from Debian's archive and the npm registry; elsewhere it uses
# what is on PATH (an activated emsdk, a system Chromium) and names the exact
# command for anything still missing, instead of failing obscurely later.
#
# Why xsimd comes from trixie: bookworm's libxsimd-dev (8.1) has no WebAssembly
# backend; 13.2 from trixie does. We unpack the .deb into .deps/ and never touch
# the machine's apt sources.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
deps="$root/.deps"
mkdir -p "$deps"

say() { printf '[bootstrap] %s\n' "$*" >&2; }
missing=()

is_debian_root() { [ -f /etc/debian_version ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; }

apt_updated=0
apt_install() {
  if [ $apt_updated = 0 ]; then
    say "apt-get update"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    apt_updated=1
  fi
  say "apt-get install -y $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# --- Native toolchain: compiler, cmake, ninja, GoogleTest, Google Benchmark ---
need_pkgs=()
command -v g++ >/dev/null || need_pkgs+=(g++)
command -v cmake >/dev/null || need_pkgs+=(cmake)
command -v ninja >/dev/null || need_pkgs+=(ninja-build)
[ -f /usr/include/gtest/gtest.h ] || need_pkgs+=(libgtest-dev)
[ -f /usr/include/benchmark/benchmark.h ] || need_pkgs+=(libbenchmark-dev)
# The engine's JSON library (engine/core/json.h), header-only.
[ -f /usr/include/rapidjson/document.h ] || need_pkgs+=(rapidjson-dev)
# clang-format: npm test checks the C++ formatting (scripts/format.sh --check).
command -v clang-format >/dev/null || command -v clang-format-14 >/dev/null || need_pkgs+=(clang-format)
# Fashion-MNIST (IDX, gzipped), converted by scripts/build-data.mjs into the library's assets.
[ -f /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz ] || [ -n "${NNPLAY_FASHION_MNIST_DIR:-}" ] ||
  need_pkgs+=(dataset-fashion-mnist)
# The character-level text set: fortunes-min's BSD-licensed fortune files (scripts/build-data.mjs).
[ -f /usr/share/games/fortunes/riddles ] || [ -n "${NNPLAY_FORTUNES_DIR:-}" ] || need_pkgs+=(fortunes-min)

# PyTorch (Debian's 1.13, with numpy): tests/js/code-export.test.ts runs the code nn.exportCode()
# writes for PyTorch. Found as /usr/bin/python3 even when another python3 comes first on PATH.
/usr/bin/python3 -c 'import torch, numpy' 2>/dev/null || python3 -c 'import torch, numpy' 2>/dev/null || need_pkgs+=(python3-torch python3-numpy)

# --- Emscripten: Debian's 3.1.6, or whatever emcc is already on PATH ---
command -v emcc >/dev/null || need_pkgs+=(emscripten)
# --- Chromium for browser tests (skipped by `npm start`, which does not need it) ---
if [ "${NNPLAY_NO_BROWSER:-0}" != 1 ]; then
  command -v chromium >/dev/null || [ -n "${CHROMIUM_PATH:-}" ] || need_pkgs+=(chromium)
fi

if [ ${#need_pkgs[@]} -gt 0 ]; then
  if is_debian_root; then
    apt_install "${need_pkgs[@]}"
  else
    for p in "${need_pkgs[@]}"; do missing+=("$p  (install: sudo apt-get install -y $p; for emscripten you may instead activate emsdk: source ./emsdk_env.sh)"); done
  fi
fi

# --- xsimd >= 11.2 headers, unpacked under .deps/xsimd ---
xsimd_include="$deps/xsimd/usr/include"
if [ ! -f "$xsimd_include/xsimd/xsimd.hpp" ]; then
  if [ -n "${XSIMD_INCLUDE:-}" ] && [ -f "$XSIMD_INCLUDE/xsimd/xsimd.hpp" ]; then
    mkdir -p "$deps/xsimd/usr"; ln -sfn "$XSIMD_INCLUDE" "$xsimd_include"
  elif is_debian_root; then
    say "fetching libxsimd-dev from Debian trixie (bookworm's 8.1 lacks WebAssembly)"
    tmp=$(mktemp -d)
    uri=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
    [ -n "$uri" ] || uri=$(awk '/^deb / {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
    [ -n "$uri" ] || { say "cannot find a Debian archive URI in apt sources"; exit 1; }
    echo "deb [trusted=yes] $uri trixie main" > "$tmp/sources.list"
    mkdir -p "$tmp/lists/partial" "$tmp/archives/partial"
    opts=(-o "Dir::Etc::SourceList=$tmp/sources.list" -o Dir::Etc::SourceParts=/dev/null
          -o "Dir::State::Lists=$tmp/lists" -o "Dir::Cache::Archives=$tmp/archives")
    apt-get "${opts[@]}" update -qq >/dev/null
    (cd "$tmp" && apt-get "${opts[@]}" download libxsimd-dev >/dev/null)
    rm -rf "$deps/xsimd"; dpkg -x "$tmp"/libxsimd-dev_*.deb "$deps/xsimd"
    rm -rf "$tmp"
  else
    missing+=("xsimd >= 11.2 headers (download libxsimd-dev 13.x from Debian trixie, or clone xsimd, then: export XSIMD_INCLUDE=/path/to/include)")
  fi
fi

# --- npm dependencies, exactly as the lockfile says ---
if [ -f "$root/package-lock.json" ]; then
  stamp="$root/node_modules/.nnplay-lock-stamp"
  if [ ! -f "$stamp" ] || ! cmp -s "$root/package-lock.json" "$stamp"; then
    say "npm ci"
    (cd "$root" && npm ci --no-audit --no-fund --loglevel=error)
    cp "$root/package-lock.json" "$stamp"
  fi
fi

if [ ${#missing[@]} -gt 0 ]; then
  say "missing, and this machine is not Debian-as-root so I will not install them:"
  for m in "${missing[@]}"; do say "  - $m"; done
  exit 1
fi
