// The engine module of this realm, and the counts behind nn.memory().
//
// Why counts live in JS: every Embind object the library creates goes through own() and
// release() here, so a test can see a forgotten .delete() as a non-zero liveWasmObjects,
// long before it would show as heap growth.
import type { EmbindObject, NnplayModule } from './engine-module';
import { loadEngine } from './wasm-loader';

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

/**
 * Loads and instantiates the wasm engine from `wasmUrl` (once per realm; later calls share the
 * first load). Public callers use nn.ready() (engine-url.ts), which supplies the package's own
 * URL; the fit worker passes the URL the page sent it.
 */
export function readyFrom(wasmUrl: URL | string): Promise<void> {
  if (!readyPromise) {
    readyPromise = loadEngine(wasmUrl).then(
      (mod) => {
        engineModule = mod;
      },
      (err: unknown) => {
        readyPromise = null;
        throw err instanceof Error ? err : new Error(String(err));
      },
    );
  }
  return readyPromise;
}

/** The loaded engine; throws a clear Error when nn.ready() has not finished. */
export function engine(): NnplayModule {
  if (!engineModule) {
    throw new Error('nnplay: the engine is not loaded yet: call `await nn.ready()` before using models');
  }
  return engineModule;
}

export function isReady(): boolean {
  return engineModule !== null;
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
