// The main-thread side of the fit protocol: decides where fit() runs, starts the library's
// module worker on demand and turns its replies into promises.
//
// Where fit runs (setFitWorker):
//   'auto'  (default) a worker on a page's main thread; in-process in Node and in workers.
//   'never' always in-process.
//   { create } always in a worker made by `create` (apps with their own worker setup; tests).
import { describe } from './describe';
import { defaultWasmUrl } from './engine-url';
import type { FitWorkerLike, FromFitWorker, ToFitWorker } from './fit-worker-protocol';
import { SessionError } from './training-session';
import { engineGlueUrls, engineWasmUrl, extraPartUrl, loadedEngineGlueUrl, requestedThreadCount, requestedThreadStartTimeout, threadedEngineFiles } from './wasm-loader';

export type FitWorkerOption = 'auto' | 'never' | { create: () => FitWorkerLike };

let option: FitWorkerOption = 'auto';
let client: FitWorkerClient | null = null;

/** Chooses where fit() trains; see the module comment. Affects fits started afterwards. */
export function setFitWorker(next: FitWorkerOption): void {
  const ok =
    next === 'auto' ||
    next === 'never' ||
    (typeof next === 'object' && next !== null && typeof (next as { create?: unknown }).create === 'function');
  if (!ok) {
    throw new Error(`nnplay: setFitWorker(): expected 'auto', 'never' or {create: () => Worker}, got ${describe(next)}`);
  }
  option = next;
}

function onPageMainThread(): boolean {
  const g = globalThis as { window?: unknown; WorkerGlobalScope?: unknown; Worker?: unknown };
  return g.window !== undefined && g.WorkerGlobalScope === undefined && typeof g.Worker === 'function';
}

export function fitUsesWorker(): boolean {
  if (option === 'never') return false;
  if (option === 'auto') return onPageMainThread();
  return true;
}

function createDefaultWorker(): FitWorkerLike {
  // Written exactly so: Vite recognises `new Worker(new URL(..., import.meta.url))` and
  // bundles the worker with its own copy of the engine loader (not of the wasm: see 'init').
  return new Worker(new URL('./fit-worker.ts', import.meta.url), { type: 'module' });
}

type Pending = { resolve: (msg: FromFitWorker) => void; reject: (err: Error) => void };

export class FitWorkerClient {
  #worker: FitWorkerLike;
  #pending = new Map<number, Pending>();
  #nextReq = 1;
  /** Models that have a replica in the worker. */
  readonly models = new Set<number>();
  #broken: Error | null = null;

  /** `wasmUrl`: absolute URL the worker loads the engine from (sent first, as 'init'). */
  constructor(worker: FitWorkerLike, wasmUrl: string) {
    this.#worker = worker;
    worker.addEventListener('message', (event) => {
      const msg = (event as MessageEvent).data as FromFitWorker;
      const p = this.#pending.get(msg.req);
      if (!p) return;
      this.#pending.delete(msg.req);
      if (msg.type === 'error') {
        if (!msg.kind) p.reject(new Error(msg.message));
        else {
          const err = new SessionError(msg.kind, msg.message, msg.field, msg.index);
          if (msg.tensor !== undefined) err.tensor = msg.tensor;
          if (msg.part) err.part = msg.part;
          if (msg.weights) err.weights = msg.weights;
          p.reject(err);
        }
      }
      else p.resolve(msg);
      this.#shutDownIfIdle();
    });
    const fail = (what: string) => (event: Event) => {
      const detail = (event as ErrorEvent).message;
      this.#broken = new Error(`nnplay: the fit worker ${what}${detail ? `: ${detail}` : ''}`);
      for (const p of this.#pending.values()) p.reject(this.#broken);
      this.#pending.clear();
    };
    worker.addEventListener('error', fail('failed (could its script or the engine not be loaded?)'));
    worker.addEventListener('messageerror', fail('sent a message that could not be read'));
    // Sent before any request, so the worker starts loading the engine while the page
    // prepares the first fit.
    worker.postMessage({
      type: 'init',
      wasmUrl,
      // The glue the page imported (the browser's cache then serves the worker's import), else
      // the first the page would try (a page on the threaded engine imported none).
      glue: loadedEngineGlueUrl() ?? engineGlueUrls(wasmUrl)[0],
      threads: requestedThreadCount(),
      threadStartTimeoutMs: requestedThreadStartTimeout(),
      threadedEngine: threadedEngineFiles(wasmUrl),
      extraPart: extraPartUrl(wasmUrl),
    } satisfies ToFitWorker);
  }

  /** Sends a request and resolves with its reply (rejects with the worker's error message). */
  request(msg: ToFitWorker & { req: number }, transfer: Transferable[] = []): Promise<FromFitWorker> {
    if (this.#broken) return Promise.reject(this.#broken);
    return new Promise((resolve, reject) => {
      this.#pending.set(msg.req, { resolve, reject });
      this.#worker.postMessage(msg, transfer);
    });
  }

  nextReq(): number {
    return this.#nextReq++;
  }

  /** Frees a model's replica; shuts the worker down when no replica is left. */
  forget(modelId: number): void {
    if (!this.models.delete(modelId)) return;
    this.#worker.postMessage({ type: 'dispose', modelId } satisfies ToFitWorker);
    this.#shutDownIfIdle();
  }

  #shutDownIfIdle(): void {
    if (this.models.size === 0 && this.#pending.size === 0) {
      this.#worker.terminate();
      if (client === this) client = null;
    }
  }

  get broken(): boolean {
    return this.#broken !== null;
  }
}

/** The worker client for this realm, started on first use. */
export function fitWorkerClient(): FitWorkerClient {
  if (client && client.broken) client = null;
  if (!client) {
    const create = typeof option === 'object' ? option.create : createDefaultWorker;
    // The URL this page's engine came from (the page has loaded it: fit needs nn.ready()),
    // so the worker fetches the same file, likely from the HTTP cache.
    client = new FitWorkerClient(create(), engineWasmUrl() ?? defaultWasmUrl.href);
  }
  return client;
}

/** The current client if one is running (dispose uses it without starting one). */
export function currentFitWorkerClient(): FitWorkerClient | null {
  return client;
}
