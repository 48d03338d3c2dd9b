// The systems a job can run on, and how each realm (browser worker or Node worker thread)
// loads them. One list, so the driver, the page worker and the Node worker agree on names.
//
//   nnplay       the library (dist/lib), in-process (a worker trains in-process)
//   tfjs-wasm    TensorFlow.js 4.22, wasm backend (single thread: the page is not
//                cross-origin isolated, so no SharedArrayBuffer; SIMD if the browser has it)
//   tfjs-cpu     TensorFlow.js 4.22, cpu backend (plain JS)
//   wasm-simd    the raw engine module build/wasm/nnplay.mjs (-msimd128), for GEMM only
//   wasm-scalar  the raw engine module build/bench-wasm-scalar/nnplay.mjs (NNPLAY_SIMD=OFF)
//
// With --baseline REF, an earlier commit's build (scripts/bench-baseline.sh, in
// build/bench-baseline/<sha>/) runs beside the current one as twins named <system>@<sha>:
//   nnplay@<sha>     that commit's dist/lib
//   wasm-simd@<sha>  that commit's build/wasm/nnplay.mjs (GEMM)

export const BROWSER_SYSTEMS = ['nnplay', 'tfjs-wasm', 'tfjs-cpu'];
export const NODE_SYSTEMS = ['nnplay', 'tfjs-cpu'];
export const GEMM_SYSTEMS = ['wasm-simd', 'wasm-scalar'];

/** Relative paths (from the repository root) of each raw engine build. */
export const ENGINE_BUILDS = {
  'wasm-simd': 'build/wasm',
  'wasm-scalar': 'build/bench-wasm-scalar',
};

/** The systems that have a baseline twin, and where baselines are built. */
const BASELINE_TWINS = ['nnplay', 'wasm-simd'];
export const BASELINE_ROOT = 'build/bench-baseline';

/** 'nnplay@3c69c05' -> { system: 'nnplay', sha: '3c69c05' }; no sha for the current build. */
export function parseSystem(name) {
  const at = name.indexOf('@');
  return at < 0 ? { system: name, sha: null } : { system: name.slice(0, at), sha: name.slice(at + 1) };
}

/** `systems` with each twin-able system followed by its baseline twin (interleaved, as run). */
export function withBaseline(systems, sha) {
  return sha ? systems.flatMap((s) => (BASELINE_TWINS.includes(s) ? [s, `${s}@${sha}`] : [s])) : systems;
}

/** nnplay's library, current or baseline (the workloads give nnplay, not TF.js, a seed). */
export const isNnplay = (name) => parseSystem(name).system === 'nnplay';

/** Relative path (from the repository root) of the directory holding a system's build. */
function buildRoot(sha) {
  return sha ? `${BASELINE_ROOT}/${sha}/` : '';
}
export function libDir(name) {
  return `${buildRoot(parseSystem(name).sha)}dist/lib`;
}
/** The raw engine build of a GEMM system, or null when `name` is not one. */
export function engineDir(name) {
  const { system, sha } = parseSystem(name);
  return system in ENGINE_BUILDS ? `${buildRoot(sha)}${ENGINE_BUILDS[system]}` : null;
}
