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
//
// The Emscripten glue (nnplay.mjs) is not imported here either, for the same reason as the wasm:
// the page and the fit worker are separate bundles, and a static import put a copy of it into
// each. As a file of its own, named by engine-url.ts and sent to the fit worker, both realms
// import() it from one URL and an app downloads it once (see engineGlueUrls).
import { threads as engineThreads } from '../../build/wasm/engine-tables.json';
import { GLUE_FILE } from './engine-files';
import type { NnplayModule, NnplayModuleFactory } from './engine-module';

let modulePromise: Promise<NnplayModule> | null = null;
let moduleUrl: string | null = null;
let requestedThreads: number | null = null;

/** How long the threaded engine may take to start its workers before the load gives up on it
 * and loads the single-threaded one, unless nn.setThreadsCount says otherwise. */
export const DEFAULT_THREAD_START_TIMEOUT_MS = 30_000;
let threadStartTimeoutMs = DEFAULT_THREAD_START_TIMEOUT_MS;

/**
 * The largest pool the engine accepts: engine/core/parallel.h kMaxThreads, as the engine's tables
 * report it (engineTables().threads, embedded at build time), so setThreadsCount can check a
 * count before the engine loads without a copy of the number here.
 */
export const MAX_THREADS: number = engineThreads.max;

/**
 * The thread count the next load asks for (nn.setThreadsCount), and how long it waits for the
 * threaded engine to start. Throws for a count that is not an integer in 1..MAX_THREADS or a
 * timeout setTimeout cannot wait; a call after the engine has loaded changes nothing and says so.
 */
export function setRequestedThreads(n: number, startTimeoutMs: number = DEFAULT_THREAD_START_TIMEOUT_MS): void {
  if (!Number.isInteger(n) || n < 1 || n > MAX_THREADS) {
    throw new Error(`nnplay: setThreadsCount(): the count must be an integer from 1 to ${MAX_THREADS}, got ${String(n)}`);
  }
  // setTimeout fires at once for a delay above 2^31 - 1 ms.
  if (typeof startTimeoutMs !== 'number' || !(startTimeoutMs > 0 && startTimeoutMs <= 2 ** 31 - 1)) {
    throw new Error(`nnplay: setThreadsCount(): startTimeoutMs must be a number of milliseconds above 0 and at most 2147483647, got ${String(startTimeoutMs)}`);
  }
  if (modulePromise) {
    throw new Error('nnplay: setThreadsCount() must be called before the engine loads (before nn.ready() or the first model)');
  }
  requestedThreads = n;
  threadStartTimeoutMs = startTimeoutMs;
}

/** The start timeout a load uses (setRequestedThreads's, else the default); the fit worker gets the page's. */
export function requestedThreadStartTimeout(): number {
  return threadStartTimeoutMs;
}

/** The count a load asks for: nn.setThreadsCount's, else min(hardwareConcurrency, 4). */
export function requestedThreadCount(): number {
  if (requestedThreads !== null) return requestedThreads;
  const cores = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 1;
  return Math.max(1, Math.min(4, Math.floor(cores)));
}

/**
 * Whether this realm can run the threaded engine: a cross-origin isolated page or worker (COOP
 * same-origin + COEP require-corp), where SharedArrayBuffer exists. Node never: Emscripten 3.1.6's
 * threaded ES-module output has no working Node path (its pthread workers are CommonJS
 * scripts that use require, which a "type": "module" package cannot run as .js), so Node keeps the
 * single-threaded engine.
 */
export function threadsAvailable(): boolean {
  if (isNode()) return false;
  const g = globalThis as { crossOriginIsolated?: boolean; SharedArrayBuffer?: unknown };
  return g.crossOriginIsolated === true && typeof g.SharedArrayBuffer === 'function';
}

/** The threaded engine's three files, by absolute URL (nnplay-threads.mjs, .worker.js, .wasm). */
export interface ThreadedEngineFiles {
  glue: string;
  worker: string;
  wasm: string;
}

// The threaded engine that goes with a plain engine, by the plain wasm's absolute URL.
// engine-url.ts registers the package's own: its `new URL('...', import.meta.url)` expressions
// are what lets an app's bundler emit the three files (renamed, with content hashes) and tell
// us where they went. The fit worker registers the page's (fit-worker-protocol.ts, 'init').
const threadedEngines = new Map<string, ThreadedEngineFiles>();

/** Names the threaded engine's files for the plain engine at `wasmUrl` (see threadedEngineFiles). */
export function setThreadedEngineFiles(wasmUrl: URL | string, files: ThreadedEngineFiles): void {
  const url = absolute(wasmUrl);
  if (url instanceof URL) threadedEngines.set(url.href, { ...files });
}

/**
 * Where the threaded engine is for the plain engine at `wasmUrl`: the files registered for that
 * URL (the package's own, wherever a bundler put them), else the three unrenamed names beside
 * it (a copy of dist/lib served elsewhere and named by nn.ready(url)). Null for a Node file path.
 */
export function threadedEngineFiles(wasmUrl: URL | string): ThreadedEngineFiles | null {
  const url = absolute(wasmUrl);
  if (!(url instanceof URL)) return null;
  const registered = threadedEngines.get(url.href);
  if (registered) return { ...registered };
  const beside = (name: string) => new URL(name, url).href;
  return { glue: beside('nnplay-threads.mjs'), worker: beside('nnplay-threads.worker.js'), wasm: beside('nnplay-threads.wasm') };
}

/**
 * The threaded engine from its three files, or null when they cannot be fetched (a copy of the
 * package without them): then the caller loads the single-threaded engine. Emscripten 3.1.6
 * starts each pthread as a classic Worker from locateFile('nnplay-threads.worker.js'), which then
 * import()s the glue from the URL the main thread posts it (Module.mainScriptUrlOrBlob, sent as
 * 'urlOrBlob'); both are given here by their real, possibly hashed, URLs, so no file is looked
 * up by its build-time name. The pthread workers are started before the module resolves
 * (nnplayThreadWorkers, the link's PTHREAD_POOL_SIZE), so the engine's pool can start its
 * threads inside any synchronous call.
 */
async function loadThreadedEngine(files: ThreadedEngineFiles, threads: number): Promise<NnplayModule | null> {
  const { glue, worker } = files;
  let factory: (m: Record<string, unknown>) => Promise<NnplayModule>;
  let bytes: ArrayBuffer | Uint8Array;
  try {
    factory = ((await import(/* @vite-ignore */ /* webpackIgnore: true */ glue)) as { default: typeof factory }).default;
    bytes = await readWasmBytes(new URL(files.wasm));
    // Emscripten 3.1.6 rethrows a worker's load error inside its onerror handler, where nothing
    // rejects the module's promise: a thread script that cannot load would hang the load. So
    // it is fetched first (the workers then get it from the cache).
    if (!(await fetch(worker)).ok) return null;
  } catch {
    return null;
  }
  let memory: WebAssembly.Memory | null = null;
  const started = factory({
    mainScriptUrlOrBlob: glue,
    // The glue asks for its worker script (and names its wasm, unused: instantiateWasm below).
    locateFile: (name: string) => (name.endsWith('.worker.js') ? worker : name.endsWith('.wasm') ? files.wasm : new URL(name, glue).href),
    nnplayThreadWorkers: Math.max(1, threads - 1),
    instantiateWasm(imports: WebAssembly.Imports, receive: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void) {
      // The shared memory the glue made and imports (under a minified module and field name).
      for (const space of Object.values(imports)) {
        for (const value of Object.values(space)) if (value instanceof WebAssembly.Memory) memory = value;
      }
      void WebAssembly.compile(bytes as BufferSource).then(async (compiled) => receive(await WebAssembly.instantiate(compiled, imports), compiled));
      return {};
    },
  });
  // The backstop for a worker that fetches but still cannot start (a CSP's worker-src, say).
  let timer: ReturnType<typeof setTimeout> | undefined;
  const waitMs = threadStartTimeoutMs;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`its thread workers did not start within ${waitMs / 1000} s`)), waitMs);
  });
  const mod = await Promise.race([started, timeout]).finally(() => clearTimeout(timer));
  if (memory) refreshHeapViews(mod, memory);
  if (mod.setThreadCount(threads) < 0) throw new Error(`nnplay: ${mod.lastThreadError()}`);
  return mod;
}

/**
 * The threaded engine's memory is a SharedArrayBuffer that any thread may grow; the glue renews
 * Module.HEAPF32 / HEAPU8 only when the growth happens on the thread that runs the glue. The
 * library reads these views after every engine call, so they become getters that renew the view
 * whenever the memory's buffer has changed.
 */
function refreshHeapViews(mod: NnplayModule, memory: WebAssembly.Memory): void {
  const views: Array<[string, new (buffer: ArrayBufferLike) => ArrayBufferView]> = [
    ['HEAPF32', Float32Array],
    ['HEAPU8', Uint8Array],
  ];
  for (const [name, View] of views) {
    let view: ArrayBufferView | null = null;
    Object.defineProperty(mod, name, {
      configurable: true,
      get() {
        if (!view || view.buffer !== memory.buffer) view = new View(memory.buffer);
        return view;
      },
      set() {}, // the glue's own assignments: the getter already follows the memory
    });
  }
}

// The engine's second module (nnplay-extra.wasm) that goes with a plain engine, by the plain
// wasm's absolute URL: registered as the threaded files are (engine-url.ts for the package's own,
// so a bundler emits and renames it; the fit worker for the page's), else the name beside it.
const extraParts = new Map<string, string>();

/** Names the second module for the plain engine at `wasmUrl` (see extraPartUrl). */
export function setExtraPartUrl(wasmUrl: URL | string, extraUrl: URL | string): void {
  const url = absolute(wasmUrl);
  if (url instanceof URL) extraParts.set(url.href, String(absolute(extraUrl)));
}

/** Where the second module is for the plain engine at `wasmUrl`: an absolute URL (its href), or
 *  in Node beside a file path. */
export function extraPartUrl(wasmUrl: URL | string): string {
  const url = absolute(wasmUrl);
  if (!(url instanceof URL)) return url.replace(/[^/\\]*$/, 'nnplay-extra.wasm');
  return extraParts.get(url.href) ?? new URL('nnplay-extra.wasm', url).href;
}

/** extraPartUrl as the readers take it: a URL object where it is one (file: URLs in Node). */
function extraPartLocation(wasmUrl: URL | string): URL | string {
  const where = extraPartUrl(wasmUrl);
  return absolute(wasmUrl) instanceof URL ? new URL(where) : where;
}

/**
 * Instantiates the engine's second module into `mod` (loaded from `wasmUrl`), fetched from
 * extraPartUrl(wasmUrl). Resolves at once for an engine in one piece or one that has it.
 */
export async function loadExtraPart(mod: NnplayModule, wasmUrl: URL | string): Promise<void> {
  if (mod.nnplayExtraPart !== 'missing' || !mod.nnplayLoadExtra) return;
  const bytes = await readWasmBytes(extraPartLocation(wasmUrl));
  await mod.nnplayLoadExtra(bytes as BufferSource);
}

/**
 * Gives `mod` (loaded from `wasmUrl`) the hook its placeholders call when a function of the second
 * module runs before that module is there (bindings/engine_parts.pre.js): the second module
 * loaded synchronously, in Node from its file, in a page or worker by a synchronous request. The
 * split (scripts/profile-engine.mjs) keeps what typical programs call in the first module, so this
 * is rare: a call the split did not foresee waits for the second module once, and runs.
 */
function loadExtraOnDemand(mod: Record<string, unknown>, wasmUrl: URL | string): void {
  mod.nnplayLoadExtraNow = () => {
    const engine = mod as unknown as NnplayModule;
    if (engine.nnplayExtraPart !== 'missing' || !engine.nnplayLoadExtra) return;
    engine.nnplayLoadExtra(readWasmBytesSync(extraPartLocation(wasmUrl)), true);
  };
}

/** readWasmBytes, synchronously: readFileSync in Node, else a synchronous XMLHttpRequest. */
function readWasmBytesSync(wasmUrl: URL | string): Uint8Array {
  const fs = nodeFsSync();
  let bytes: Uint8Array;
  if (fs && (typeof wasmUrl === 'string' || wasmUrl.protocol === 'file:')) {
    bytes = fs.readFileSync(wasmUrl);
  } else {
    if (typeof XMLHttpRequest !== 'function') throw new Error(`nnplay: cannot load ${String(wasmUrl)} synchronously here: await nn.ready() first`);
    const request = new XMLHttpRequest();
    request.open('GET', String(wasmUrl), false);
    // A page's synchronous request cannot ask for an ArrayBuffer; this charset gives the bytes
    // one per character (the low 8 bits).
    request.overrideMimeType('text/plain; charset=x-user-defined');
    request.send();
    if (request.status !== 200) throw new Error(`nnplay: could not load ${String(wasmUrl)}: HTTP ${request.status}`);
    const text = request.responseText;
    bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i) & 0xff;
  }
  checkWasmMagic(bytes, wasmUrl);
  return bytes;
}

function nodeFsSync(): typeof import('node:fs') | null {
  if (!isNode()) return null;
  const proc = process as { getBuiltinModule?: (id: string) => unknown };
  return typeof proc.getBuiltinModule === 'function' ? (proc.getBuiltinModule('node:fs') as typeof import('node:fs')) : null;
}

async function loadSingleThreaded(url: URL | string): Promise<NnplayModule> {
  // The glue and the wasm are fetched side by side, not one after the other.
  const [createModule, wasmBinary] = await Promise.all([loadEngineGlue(url), readWasmBytes(url)]);
  const init: Record<string, unknown> = { wasmBinary };
  loadExtraOnDemand(init, url);
  return (createModule as NnplayModuleFactory)(init);
}

// The single-threaded engine's glue that goes with a wasm, by the wasm's absolute URL, as for the
// threaded files: engine-url.ts registers the package's own (its `new URL('...nnplay.mjs',
// import.meta.url)` is what makes an app's bundler emit the glue and say where it went); the fit
// worker registers the page's ('init'). The first one registered is the package's own, the
// glue of last resort for a wasm served elsewhere without its glue beside it.
const engineGlues = new Map<string, string>();
let packageGlue: string | null = null;
// This realm's glue once imported (one per realm, like the engine), and the URL it came from.
let glueFactory: unknown = null;
let glueUrl: string | null = null;
let gluePromise: Promise<unknown> | null = null;

/** Names the glue (build/wasm/nnplay.mjs) of the single-threaded engine at `wasmUrl` (see engineGlueUrls). */
export function setEngineGlueUrl(wasmUrl: URL | string, glue: URL | string): void {
  const url = absolute(wasmUrl);
  const glueHref = String(absolute(glue));
  engineGlues.set(String(url), glueHref);
  packageGlue ??= glueHref;
}

/**
 * Where the glue for the engine at `wasmUrl` may be, in the order they are tried: the one
 * registered for that URL (the package's own, wherever a bundler put it); for any other URL
 * dist/lib's unrenamed GLUE_FILE beside the wasm (a copy of dist/lib served elsewhere and named by
 * nn.ready(url): the glue of the same build as that wasm), then the package's own (only
 * nnplay.wasm copied there). A Node file path has no "beside" to import: the package's own.
 */
export function engineGlueUrls(wasmUrl: URL | string): string[] {
  const url = absolute(wasmUrl);
  const registered = engineGlues.get(String(url));
  const urls = registered ? [registered] : [];
  if (!registered && url instanceof URL) urls.push(new URL(GLUE_FILE, url).href);
  if (packageGlue && !urls.includes(packageGlue)) urls.push(packageGlue);
  return urls;
}

/** The URL this realm's glue was imported from (what the page tells its fit worker), if any. */
export function loadedEngineGlueUrl(): string | null {
  return glueUrl;
}

function glueOf(namespace: unknown, url: string): unknown {
  const factory = (namespace as { default?: unknown } | null)?.default;
  if (typeof factory !== 'function') throw new Error(`${url} is not the engine's glue (no default export)`);
  return factory;
}

/** The glue's module factory for the engine at `wasmUrl`, imported on first use (once per realm). */
function loadEngineGlue(wasmUrl: URL | string): Promise<unknown> {
  if (glueFactory) return Promise.resolve(glueFactory);
  gluePromise ??= (async () => {
    const failures: string[] = [];
    for (const url of engineGlueUrls(wasmUrl)) {
      try {
        const factory = glueOf(await import(/* @vite-ignore */ /* webpackIgnore: true */ url), url);
        glueFactory ??= factory;
        glueUrl ??= url;
        return glueFactory;
      } catch (e) {
        failures.push(`${url}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    gluePromise = null; // a later load may try again
    throw new Error(
      `nnplay: could not load the engine's JavaScript glue (${GLUE_FILE}, shipped beside nnplay.wasm in dist/lib): ` +
        (failures.length ? failures.join('; ') : 'no URL for it is known in this realm (a worker must be sent it, as the fit worker is)'),
    );
  })();
  return gluePromise;
}

/**
 * Node only: the glue for `wasmUrl` loaded synchronously (require() of an ES module, which Node
 * does from 20.19 and 22.12), for loadEngineSync. Null where that fails (an older Node): the
 * synchronous load then gives way to the asynchronous one.
 */
function requireEngineGlue(wasmUrl: URL | string): unknown {
  if (glueFactory) return glueFactory;
  const proc = process as { getBuiltinModule?: (id: string) => unknown };
  if (typeof proc.getBuiltinModule !== 'function') return null;
  const { createRequire } = proc.getBuiltinModule('node:module') as typeof import('node:module');
  const { fileURLToPath } = proc.getBuiltinModule('node:url') as typeof import('node:url');
  for (const url of engineGlueUrls(wasmUrl)) {
    if (!url.startsWith('file:')) continue;
    try {
      glueFactory = glueOf(createRequire(url)(fileURLToPath(url)), url);
      glueUrl = url;
      return glueFactory;
    } catch {
      // the next candidate, else null
    }
  }
  return null;
}

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
  checkWasmMagic(bytes, wasmUrl);
  return bytes;
}

function checkWasmMagic(bytes: ArrayBuffer | Uint8Array, wasmUrl: URL | string): void {
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
    const threads = requestedThreadCount();
    const threaded = threads > 1 && threadsAvailable() ? threadedEngineFiles(url) : null;
    modulePromise =
      threaded && url instanceof URL
        ? loadThreadedEngine(threaded, threads).then(
            (mod) => mod ?? loadSingleThreaded(url),
            (e: unknown) => {
              // Threads are a speed-up, never a requirement: an engine whose workers could not
              // start (a blocked worker script, a CSP) falls back to the single-threaded one.
              console.warn(`nnplay: the threaded engine did not start, running on one thread: ${e instanceof Error ? e.message : String(e)}`);
              return loadSingleThreaded(url);
            },
          )
        : loadSingleThreaded(url);
    modulePromise.catch(() => {
      modulePromise = null; // let a later call retry
      moduleUrl = null;
    });
  }
  return modulePromise;
}

/**
 * The engine instantiated from a module compiled elsewhere (a page compiles nnplay.wasm once and
 * posts the WebAssembly.Module to each of its workers, so N workers cost one fetch and one
 * compile). Like loadEngine, once per realm: later calls return the same engine.
 */
export function loadEngineFromModule(compiled: WebAssembly.Module, wasmUrl: URL | string): Promise<NnplayModule> {
  if (!modulePromise) {
    moduleUrl = String(absolute(wasmUrl));
    modulePromise = loadEngineGlue(wasmUrl).then((createModule) => {
      const init: Record<string, unknown> = {
        instantiateWasm(imports: WebAssembly.Imports, receive: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void) {
          void WebAssembly.instantiate(compiled, imports).then((instance) => receive(instance, compiled));
          return {}; // Emscripten: the exports arrive asynchronously through receive()
        },
      };
      loadExtraOnDemand(init, wasmUrl);
      return (createModule as (m: Record<string, unknown>) => Promise<NnplayModule>)(init);
    });
    modulePromise.catch(() => {
      modulePromise = null;
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
  const fs = nodeFsSync();
  if (!fs) return null;
  const url = absolute(wasmUrl);
  if (typeof url !== 'string' && url.protocol !== 'file:') return null;
  const createModule = requireEngineGlue(url);
  if (!createModule) return null;
  const bytes = fs.readFileSync(url);
  const mod: Record<string, unknown> = {
    instantiateWasm(imports: WebAssembly.Imports, receive: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void) {
      const compiled = new WebAssembly.Module(bytes);
      const instance = new WebAssembly.Instance(compiled, imports);
      receive(instance, compiled);
      return instance.exports;
    },
  };
  loadExtraOnDemand(mod, url);
  void (createModule as (m: Record<string, unknown>) => Promise<unknown>)(mod);
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
