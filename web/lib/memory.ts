// The engine module of this realm, and the counts behind nn.memory().
//
// Why counts live in JS: every Embind object the library creates goes through own() and
// release() here, so a test can see a forgotten .delete() as a non-zero liveWasmObjects,
// long before it would show as heap growth.
import type { EmbindObject, NnplayModule } from './engine-module';
import { engineWasmUrl, isNode, loadEngine, loadEngineSync, loadExtraPart } from './wasm-loader';

export const counters = {
  tensors: 0,
  /** Distinct values arrays of live tensors (reshape and clone share one), and the tensors' bytes. */
  dataBuffers: 0,
  bytes: 0,
  models: 0,
  wasmObjects: 0,
};

let engineModule: NnplayModule | null = null;
let readyPromise: Promise<void> | null = null;
// Whether readyPromise is the library's own load (started on first use, from the package's
// URL) rather than one a caller asked for with a URL of its own.
let readyIsAutomatic = false;
// The package's engine URL, given by engine-url.ts (which the fit worker never imports): what a
// load started on first use reads. Null in the fit worker, whose page sends the URL.
let defaultUrl: URL | string | null = null;

// The engine's second module (nnplay-extra.wasm: the code typical dense programs never call,
// among it the conv, pooling, recurrent, embedding, batch-normalization and autoencoder layers,
// the layer table's "part" column, and the data-set generators and readers behind nn.datasets;
// scripts/profile-engine.mjs draws the line). A page loads it only once it needs it: when a model
// or layer of such a type is first made (needExtraPart, in the background), when a data set is
// first made (engineWithExtraPart, extraPartLoaded), or by nn.ready(), which loads the whole
// engine. A synchronous call that needs it once the first part is there loads it on the spot
// (Node reads the file; a page or worker makes a synchronous request), and so does any other code
// of the second part that runs first (its placeholders call the loader's hook, wasm-loader.ts).
// Before the first part is there, the engine counts as still loading: async calls wait for it and
// synchronous ones say so.
let extraNeeded = false;
let extraPromise: Promise<void> | null = null;

function extraSatisfied(mod: NnplayModule): boolean {
  return !extraNeeded || mod.nnplayExtraPart !== 'missing';
}

/** Loads the second module into the loaded engine, once (a failed load is retried by the next call). */
function ensureExtraPart(mod: NnplayModule): Promise<void> {
  if (extraSatisfied(mod)) return Promise.resolve();
  extraPromise ??= loadExtraPart(mod, engineWasmUrl() ?? defaultUrl ?? '').catch((err: unknown) => {
    extraPromise = null;
    throw new Error(`nnplay: could not load the engine's second part (nnplay-extra.wasm): ${err instanceof Error ? err.message : String(err)}`);
  });
  return extraPromise;
}

/**
 * A model or layer of a type in the engine's second module exists: load that module now (after
 * the first, if that is still loading), so it is there by the first await.
 */
export function needExtraPart(): void {
  if (extraNeeded) return;
  extraNeeded = true;
  if (engineModule && isNode()) engineNow(); // loads it synchronously (or leaves the error to the next call)
  else if (engineModule) ensureExtraPart(engineModule).catch(() => undefined);
  else startLoadingEngine();
}

/**
 * The engine with its second part, for a synchronous call that runs code of that part (the data
 * sets: nn.datasets.points(), sine(), ...). As engine(): what is missing of the second part loads
 * on the spot; on a page where the first part has not loaded yet this starts the load and throws
 * the "still loading: await nn.ready()" Error.
 */
export function engineWithExtraPart(): NnplayModule {
  // With the first part here, engine() loads the second on the spot: no background load as well.
  if (engineModule) extraNeeded = true;
  else needExtraPart();
  return engine();
}

/**
 * Resolves once the engine and its second part have loaded (started from the package's URL if
 * nothing has started the engine): what an asynchronous call that runs code of that part awaits
 * (nn.datasets.mnist(), text(), ...), so it needs no nn.ready() first.
 */
export function extraPartLoaded(): Promise<void> {
  needExtraPart();
  return engineLoaded();
}

/** engine-url.ts names the package's wasm here (see defaultUrl). */
export function setDefaultEngineUrl(url: URL | string): void {
  defaultUrl = url;
}

/**
 * Loads and instantiates the wasm engine from `wasmUrl` (once per realm; later calls share the
 * first load). Public callers use nn.ready() (engine-url.ts), which supplies the package's own
 * URL; the fit worker passes the URL the page sent it. A call with a URL while the library's own
 * first-use load is in flight waits for it and, should it fail, loads from the given URL.
 */
export function readyFrom(wasmUrl: URL | string, automatic = false, whole = !automatic): Promise<void> {
  if (readyPromise && readyIsAutomatic && !automatic && !engineModule) {
    const first = readyPromise;
    readyIsAutomatic = false;
    readyPromise = first.catch(() => {
      readyPromise = null;
      return readyFrom(wasmUrl, false, whole);
    });
    return readyPromise;
  }
  if (whole) extraNeeded = true; // nn.ready(): the whole engine
  if (!readyPromise) {
    readyIsAutomatic = automatic;
    const started = loadEngine(wasmUrl).then(
      (mod) => {
        engineModule ??= mod; // a synchronous load (Node) may have come first: keep that one
        return ensureExtraPart(engineModule);
      },
      (err: unknown) => {
        if (readyPromise === started) readyPromise = null;
        throw err instanceof Error ? err : new Error(String(err));
      },
    );
    readyPromise = started;
  }
  // The first part may have loaded before the second was asked for.
  return readyPromise.then(() => (engineModule ? ensureExtraPart(engineModule) : undefined));
}

/**
 * Starts loading the engine from the package's URL if nothing has started it yet, and resolves
 * when it is loaded: what every asynchronous entry point (fit, loadLayersModel, ...) awaits, so
 * TF.js programs that never call ready() work. A failed load rejects here and is retried by the
 * next call.
 */
export function engineLoaded(): Promise<void> {
  if (engineModule) return ensureExtraPart(engineModule);
  if (readyPromise) return readyPromise.then(() => (engineModule ? ensureExtraPart(engineModule) : undefined));
  if (!defaultUrl) return Promise.reject(new Error('nnplay: the engine is not loaded: call `await nn.ready(wasmUrl)` first'));
  return readyFrom(defaultUrl, true);
}

/** Starts the first-use load (see engineLoaded) without waiting for it; a failure is reported
 *  by the next call that needs the engine. */
export function startLoadingEngine(): void {
  // Node loads synchronously when a call first needs the engine (engine()): starting an
  // asynchronous load as well would instantiate it twice.
  if (isNode() || !defaultUrl) return;
  if (engineModule && extraSatisfied(engineModule)) return;
  engineLoaded().catch(() => undefined);
}

/**
 * The loaded engine. In Node a synchronous call that comes before the load has finished loads
 * the engine synchronously; elsewhere (a page cannot import the engine's glue synchronously) it
 * throws a clear Error saying to await nn.ready() or any asynchronous call first. A second part
 * that is needed and missing loads on the spot once the first is there.
 */
export function engine(): NnplayModule {
  if (!engineModule && defaultUrl) {
    const url = engineWasmUrl() ?? defaultUrl;
    try {
      engineModule = loadEngineSync(url);
    } catch (err) {
      throw new Error(`nnplay: could not load the engine (${String(url)}): ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  if (engineModule && !extraSatisfied(engineModule)) {
    // The first part is here and this call needs the second now: load it on the spot (Node reads
    // its file; a page or worker makes a synchronous request, once).
    try {
      engineModule.nnplayLoadExtraNow?.();
    } catch (err) {
      const url = engineWasmUrl() ?? defaultUrl ?? '';
      throw new Error(`nnplay: could not load the engine's second part (nnplay-extra.wasm) beside ${String(url)}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  if (!engineModule || !extraSatisfied(engineModule)) {
    startLoadingEngine();
    throw new Error(
      'nnplay: the engine is still loading: this call needs it now, so `await nn.ready()` (or any asynchronous ' +
        'nnplay call, such as `await model.fit(...)`) before it. Building layers, models and compile() need no engine.' +
        (engineModule ? ' (Its second part, nnplay-extra.wasm, with conv, pooling and recurrent layers and the data sets, is loading.)' : ''),
    );
  }
  return engineModule;
}

/**
 * The engine if it can be had now (loaded, or in Node loaded synchronously on the spot), else
 * null with the asynchronous load started: for calls that can defer their engine work.
 */
export function engineNow(): NnplayModule | null {
  // A page whose first part is here lets the second load in the background: this call can wait,
  // so it makes no synchronous request.
  if (engineModule && !extraSatisfied(engineModule) && !isNode()) {
    startLoadingEngine();
    return null;
  }
  if ((!engineModule || !extraSatisfied(engineModule)) && (defaultUrl || isNode())) {
    try {
      return engine();
    } catch {
      return null;
    }
  }
  if (!engineModule) startLoadingEngine();
  return engineModule;
}

/** Whether synchronous calls can use the engine now: loaded, with its second part if needed. */
export function isReady(): boolean {
  return engineModule !== null && extraSatisfied(engineModule);
}

/** Registers a freshly created Embind object; pair with release(). */
export function own<T extends EmbindObject>(obj: T): T {
  counters.wasmObjects++;
  return obj;
}

/** Deletes an Embind object created through own(). Safe on null and on deleted objects. */
export function release(obj: EmbindObject | null | undefined): void {
  if (!obj || obj.isDeleted()) return;
  obj.delete();
  counters.wasmObjects--;
}

export interface MemoryInfo {
  /** Tensors (variables included) created and not yet disposed, counted as TF.js counts them. */
  numTensors: number;
  /** Distinct value buffers of those tensors (reshape and clone share their input's), as TF.js. */
  numDataBuffers: number;
  /** Bytes of those tensors (4 per float32 / int32 value, 1 per bool; a shared buffer counts per tensor, as TF.js). */
  numBytes: number;
  /** Models created by nn.sequential() and not yet disposed. */
  numModels: number;
  /** Size of the wasm linear memory in bytes (0 before nn.ready()). It grows, never shrinks. */
  wasmHeapBytes: number;
  /** Embind objects (models, datasets) created by the library in this realm and not freed. */
  liveWasmObjects: number;
}

export function memory(): MemoryInfo {
  return {
    numTensors: counters.tensors,
    numDataBuffers: counters.dataBuffers,
    numBytes: counters.bytes,
    numModels: counters.models,
    wasmHeapBytes: engineModule ? engineModule.HEAPU8.byteLength : 0,
    liveWasmObjects: counters.wasmObjects,
  };
}

/** Turns a facade result ('' = ok) into an Error. */
export function check(result: string, context: string): void {
  if (result !== '') throw new Error(`nnplay: ${context}: ${result}`);
}
