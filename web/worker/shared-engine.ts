// One fetch and one compile of the engine per page, however many workers it starts.
//
// Every playground (an app, a <nn-playground> element, an iframe page) trains in a worker of its
// own, and each worker needs the engine. Fetching and compiling nnplay.wasm (275 KB) per worker
// would repeat the same work N times; instead the page compiles it once (compiledEngine) and
// posts the WebAssembly.Module, which workers of the same page receive without a copy, as the
// first message to each worker (`{ type: 'engine', module }`). A worker that gets `module: null`
// (the page could not compile, e.g. a CSP without wasm-unsafe-eval on the page) fetches the
// wasm itself, from the URL the page names (the page's bundle decides where the wasm is).
import { defaultWasmUrl } from '../lib/engine-url';

let compiled: Promise<WebAssembly.Module | null> | null = null;

/** The engine compiled once for this page (null when the page cannot compile it). */
export function compiledEngine(): Promise<WebAssembly.Module | null> {
  compiled ??= (async () => {
    try {
      const response = await fetch(defaultWasmUrl);
      if (!response.ok) return null;
      return typeof WebAssembly.compileStreaming === 'function' && response.headers.get('content-type')?.startsWith('application/wasm')
        ? await WebAssembly.compileStreaming(response)
        : await WebAssembly.compile(await response.arrayBuffer());
    } catch {
      return null; // the worker then loads the engine itself and reports what fails
    }
  })();
  return compiled;
}

/** The first message a page sends each worker. */
export interface EngineMessage {
  type: 'engine';
  module: WebAssembly.Module | null;
  /** The wasm's absolute URL: where the worker fetches it when module is null. */
  url: string;
}

/** Starts `worker` with the page's compiled engine; messages sent meanwhile queue behind it. */
export class EngineGate {
  private queue: { message: unknown; transfer: Transferable[] }[] | null = [];

  constructor(private readonly worker: Worker) {
    void compiledEngine().then((module) => {
      this.worker.postMessage({ type: 'engine', module, url: new URL(defaultWasmUrl, location.href).href } satisfies EngineMessage);
      for (const q of this.queue ?? []) this.worker.postMessage(q.message, q.transfer);
      this.queue = null;
    });
  }

  post(message: unknown, transfer: Transferable[] = []): void {
    if (this.queue) this.queue.push({ message, transfer });
    else this.worker.postMessage(message, transfer);
  }
}
