// tf.setBackend / tf.getBackend / tf.backend, answered truthfully: nnplay has one backend, its
// C++ engine compiled to WebAssembly SIMD ('nnplay-wasm'), and never switches. setBackend()
// loads it and says whether the program can have what it asked for:
//   'nnplay-wasm', 'wasm', 'cpu'  → true: the engine is WebAssembly and runs on the CPU, with
//                                   float32 results as TF.js's cpu and wasm backends compute them;
//   'webgl', 'webgpu', 'tensorflow' → false, as TF.js resolves false when a backend cannot
//                                   start: there is no GPU or native backend here, so a program's
//                                   usual fallback (`if (!await tf.setBackend('webgl')) ...`) runs;
//   any other name                → an Error listing these, as TF.js throws for an unknown name.
// getBackend() is 'nnplay-wasm' either way.
import { describe } from './describe';
import { engine, engineLoaded, isReady } from './memory';
import { requestedThreadCount, setRequestedThreads, threadsAvailable } from './wasm-loader';

export const BACKEND_NAME = 'nnplay-wasm';
const served = ['nnplay-wasm', 'wasm', 'cpu'];
const unavailable = ['webgl', 'webgpu', 'tensorflow'];

/** Resolves true when nnplay's engine serves `name` (see above), false for a GPU / native backend. */
export async function setBackend(name: string): Promise<boolean> {
  if (typeof name !== 'string' || (!served.includes(name) && !unavailable.includes(name))) {
    throw new Error(
      `nnplay: setBackend(): backend ${describe(name)} is not known; nnplay runs on its own engine ('${BACKEND_NAME}'), ` +
        `which setBackend answers true for ${served.map((s) => `'${s}'`).join(', ')} and false for ${unavailable.map((s) => `'${s}'`).join(', ')}`,
    );
  }
  if (!isReady()) await engineLoaded();
  return served.includes(name);
}

/** 'nnplay-wasm': the one backend (it does not change with setBackend). */
export function getBackend(): string {
  return BACKEND_NAME;
}

/** What TF.js's tf.backend() is asked for most: the backend's name (and whether SIMD is on, once the engine is loaded). */
export function backend(): { name: string; simd: boolean | null; threads: boolean | null; threadsCount: number | null } {
  if (!isReady()) return { name: BACKEND_NAME, simd: null, threads: null, threadsCount: null };
  const mod = engine();
  return { name: BACKEND_NAME, simd: mod.simdEnabled(), threads: mod.threadsSupported(), threadsCount: mod.threadCount() };
}

/**
 * TF.js-wasm's setThreadsCount: how many threads the engine runs, the calling one included
 * (1..16). Call it before the engine loads (before nn.ready() or the first model); 1 keeps the
 * single-threaded engine. Threads need a cross-origin isolated page or worker (COOP same-origin
 * and COEP require-corp); elsewhere, and in Node, the engine runs one thread whatever is asked.
 * Default: min(navigator.hardwareConcurrency, 4). A model trains to the same bits with any count.
 * `startTimeoutMs` (nnplay's own, default 30 000): how long a load waits for the threaded
 * engine's workers to start before it loads the single-threaded engine instead; the page's fit
 * worker waits as long.
 */
export function setThreadsCount(n: number, options?: { startTimeoutMs?: number }): void {
  if (options !== undefined) {
    if (typeof options !== 'object' || options === null || Array.isArray(options)) {
      throw new Error(`nnplay: setThreadsCount(): options must be an object like {startTimeoutMs: 5000}, got ${describe(options)}`);
    }
    for (const key of Object.keys(options)) {
      if (key !== 'startTimeoutMs') throw new Error(`nnplay: setThreadsCount(): unknown option '${key}'; allowed: startTimeoutMs`);
    }
  }
  setRequestedThreads(n, options?.startTimeoutMs);
}

/** The engine's thread count: once loaded, the count it runs; before, the count a load would use. */
export function getThreadsCount(): number {
  if (isReady()) return engine().threadCount();
  return threadsAvailable() ? requestedThreadCount() : 1;
}
