// Loads the engine's wasm module once per JS realm (page, worker or Node process), from a URL
// the caller gives.
//
// Why the URL is a parameter and not written here: Vite copies the wasm into every bundle whose
// code contains `new URL('...nnplay.wasm', import.meta.url)`. The library's fit worker is a
// bundle of its own and imports this loader, so the expression lives in engine-url.ts, which the
// worker never imports; the worker is told the page's URL instead (fit-worker-protocol.ts,
// 'init'). That keeps one .wasm in the package.
//
// Why we pass the bytes ourselves: Emscripten 3.1.6's ES6 output is built for web/worker
// only (its Node path uses __dirname/require, which ES modules lack), and its own fetch of a
// file path fails in Node. So: in Node we read the file; in browsers and workers we fetch.
import createNnplayModule from '../../build/wasm/nnplay.mjs';
import type { NnplayModule, NnplayModuleFactory } from './engine-module';

let modulePromise: Promise<NnplayModule> | null = null;
let moduleUrl: string | null = null;

export function isNode(): boolean {
  return typeof process !== 'undefined' && !!(process as { versions?: { node?: string } }).versions?.node;
}

/**
 * An absolute URL for `wasmUrl`, so it means the same file when sent to a worker (whose base
 * URL is its script's, not the page's). A string that is no URL at all stays as it is: in
 * Node that is a file path.
 */
function absolute(wasmUrl: URL | string): URL | string {
  if (wasmUrl instanceof URL) return wasmUrl;
  const base = (globalThis as { location?: { href?: string } }).location?.href;
  try {
    return new URL(wasmUrl, base);
  } catch {
    return wasmUrl;
  }
}

type FsPromises = typeof import('node:fs/promises');

/**
 * Node's fs/promises, hidden from the bundlers of browser apps (browsers never take this path).
 * Node >= 20.16 / 22.3 hands it over without any import. Older Node imports it by a name computed
 * at run time: a constant would be folded by our own minifier into import('node:fs/promises'),
 * which an app's bundler then tries to resolve for the browser (Vite < 8 warns, webpack fails).
 */
export async function nodeFs(): Promise<FsPromises> {
  const proc = process as { getBuiltinModule?: (id: string) => unknown };
  if (typeof proc.getBuiltinModule === 'function') return proc.getBuiltinModule('node:fs/promises') as FsPromises;
  const name = 'node:fs/promises'.slice(0, proc.getBuiltinModule === undefined ? undefined : 0); // run-time: not foldable
  return (await import(/* @vite-ignore */ /* webpackIgnore: true */ name)) as FsPromises;
}

async function readWasmBytes(wasmUrl: URL | string): Promise<ArrayBuffer | Uint8Array> {
  let bytes: ArrayBuffer | Uint8Array;
  if (isNode() && (typeof wasmUrl === 'string' || wasmUrl.protocol === 'file:')) {
    bytes = await (await nodeFs()).readFile(wasmUrl);
  } else {
    const response = await fetch(wasmUrl);
    if (!response.ok) throw new Error(`nnplay: could not load the engine (${String(wasmUrl)}): HTTP ${response.status}`);
    bytes = await response.arrayBuffer();
  }
  // A dev server answers a missing file with its index.html (status 200): say so here rather
  // than let the engine abort on "expected magic word 00 61 73 6d".
  const head = bytes instanceof Uint8Array ? bytes.subarray(0, 4) : new Uint8Array(bytes, 0, Math.min(4, bytes.byteLength));
  if (head.length < 4 || head[0] !== 0x00 || head[1] !== 0x61 || head[2] !== 0x73 || head[3] !== 0x6d) {
    throw new Error(
      `nnplay: ${String(wasmUrl)} is not a .wasm file (a dev server may have sent its HTML page for a missing ` +
        `file). Serve dist/lib/nnplay.wasm from the package there, or pass its URL to nn.ready(wasmUrl). ` +
        `With Vite before 8, add optimizeDeps: { exclude: ['nnplay'] } to vite.config (docs/API.md, Loading).`,
    );
  }
  return bytes;
}

/**
 * The engine module, loaded from `wasmUrl` and instantiated on first call. Later calls return
 * the same module whatever URL they pass (one engine per realm); after a failed load the next
 * call tries again with its own URL.
 */
export function loadEngine(wasmUrl: URL | string): Promise<NnplayModule> {
  if (!modulePromise) {
    const url = absolute(wasmUrl);
    moduleUrl = String(url);
    modulePromise = readWasmBytes(url).then((wasmBinary) =>
      (createNnplayModule as unknown as NnplayModuleFactory)({ wasmBinary }),
    );
    modulePromise.catch(() => {
      modulePromise = null; // let a later call retry
      moduleUrl = null;
    });
  }
  return modulePromise;
}

/**
 * Node only: the engine loaded and instantiated synchronously (the file read with readFileSync,
 * the module compiled with `new WebAssembly.Module`), for a synchronous call that needs the
 * engine before an asynchronous load has finished. Returns null where that is impossible: in
 * browsers (a page cannot read a file synchronously) and in Node without getBuiltinModule.
 * Emscripten's glue runs to completion inside the factory call when instantiateWasm hands it the
 * instance at once, so the object passed in is the ready module when the call returns.
 */
export function loadEngineSync(wasmUrl: URL | string): NnplayModule | null {
  if (!isNode()) return null;
  const proc = process as { getBuiltinModule?: (id: string) => unknown };
  if (typeof proc.getBuiltinModule !== 'function') return null;
  const fs = proc.getBuiltinModule('node:fs') as typeof import('node:fs');
  const url = absolute(wasmUrl);
  if (typeof url !== 'string' && url.protocol !== 'file:') return null;
  const bytes = fs.readFileSync(url);
  const mod: Record<string, unknown> = {
    instantiateWasm(imports: WebAssembly.Imports, receive: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void) {
      const compiled = new WebAssembly.Module(bytes);
      const instance = new WebAssembly.Instance(compiled, imports);
      receive(instance, compiled);
      return instance.exports;
    },
  };
  void (createNnplayModule as unknown as (m: Record<string, unknown>) => Promise<unknown>)(mod);
  if (!mod.calledRun) return null;
  // Later asynchronous loads in this realm return this same module.
  modulePromise ??= Promise.resolve(mod as unknown as NnplayModule);
  moduleUrl ??= String(url);
  return mod as unknown as NnplayModule;
}

/** The absolute URL (or Node file path) this realm's engine is loaded or loading from, if any. */
export function engineWasmUrl(): string | null {
  return moduleUrl;
}
