#!/usr/bin/env bash
# scripts/bench-baseline.sh REF: builds the library (dist/lib) and engine (build/wasm) of an
# earlier commit of this repository, for `npm run bench -- --baseline REF` (bench/run.mjs calls
# this). Prints the build's directory, build/bench-baseline/<short sha>, on stdout.
#
# Built once per commit: a finished build leaves a .built stamp, and later runs reuse it. The
# source comes from this repository's own history (git archive, no network); node_modules and
# .deps are this checkout's, symlinked, so nothing is downloaded. The commit builds with its own
# scripts/build.sh (its own CMakeLists, vite config and bootstrap), so what is measured is what
# that commit shipped. Its bootstrap would `npm ci` (through the symlink, into this checkout's
# node_modules) if its package-lock.json differed from ours, so such a commit is refused.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
ref=${1:?usage: scripts/bench-baseline.sh REF (a commit, tag or branch of this repository)}
say() { printf '[bench-baseline] %s\n' "$*" >&2; }

sha=$(git -C "$root" rev-parse --verify --quiet --short "$ref^{commit}") ||
  { say "'$ref' is not a commit of this repository"; exit 2; }
dir="$root/build/bench-baseline/$sha"
if [ -f "$dir/.built" ]; then
  say "$sha: cached in ${dir#"$root"/}"
  echo "$dir"
  exit 0
fi

if ! git -C "$root" show "$sha:package-lock.json" | cmp -s - "$root/package-lock.json"; then
  say "$sha: its package-lock.json differs from this checkout's, so its build would reinstall"
  say "node_modules; build it by hand in a clone of its own instead"
  exit 2
fi

say "$sha: building into ${dir#"$root"/} (once; later runs reuse it)"
rm -rf "$dir"
mkdir -p "$dir"
git -C "$root" archive "$sha" | tar -x -C "$dir"
ln -s "$root/node_modules" "$dir/node_modules"
ln -s "$root/.deps" "$dir/.deps"
# The commit's build prints its progress; stdout is reserved for the directory.
(cd "$dir" && bash scripts/build.sh) >&2
for f in dist/lib/nnplay.js build/wasm/nnplay.mjs build/wasm/nnplay.wasm; do
  [ -f "$dir/$f" ] || { say "$sha: its build did not produce $f"; exit 1; }
done
git -C "$root" log -1 --format='%H %s' "$sha" > "$dir/.built"
echo "$dir"
