// Where this bundle's engine wasm is, and nn.ready(), which loads it from there by default.
//
// Why a module of its own: it holds the library's only `new URL('...nnplay.wasm', import.meta.url)`.
// Vite copies the wasm for every bundle that contains that expression, and the library's fit
// worker (fit-worker.ts) is a separate bundle. So the worker must never import this module
// (directly or through another): it loads the engine from the URL the page sends in the
// protocol's 'init' message, and the package ships the wasm once.
//
// The threaded engine's three files are named here the same way, each by a static string, so
// that an app's bundler emits them too (renamed, with content hashes) and the library learns
// their real URLs; nothing fetches them unless the page is cross-origin isolated
// (wasm-loader.ts loadEngine). The pthread worker script stays a file in the app even though it
// is under Vite's 4 KB inlining limit: web/lib/vite.config.ts writes its URL with `?no-inline`.
import { readyFrom, setDefaultEngineUrl } from './memory';
import { setEngineGlueUrl, setExtraPartUrl, setThreadedEngineFiles } from './wasm-loader';

// `?no-inline`: Vite's library mode would otherwise inline the wasm as base64 into the JS.
export const defaultWasmUrl = new URL('../../build/wasm/nnplay.wasm?no-inline', import.meta.url);

// What a load started on first use reads (memory.ts engineLoaded): the package's own wasm.
setDefaultEngineUrl(defaultWasmUrl);

// Its Emscripten glue, a file of its own like the wasm (not bundled into this module), so that
// the page and the fit worker import() one copy from one URL (wasm-loader.ts engineGlueUrls).
setEngineGlueUrl(defaultWasmUrl, new URL('../../build/wasm/nnplay.mjs?no-inline', import.meta.url));

// The engine's second module (layer families a dense model never runs, and the data-set
// generators and readers; memory.ts needExtraPart), fetched only when a model or data set first
// needs it.
setExtraPartUrl(defaultWasmUrl, new URL('../../build/wasm/nnplay-extra.wasm?no-inline', import.meta.url));

// The threaded engine that goes with it (build/wasm-threads; see docs/BUILDING.md "Threads").
setThreadedEngineFiles(defaultWasmUrl, {
  glue: new URL('../../build/wasm-threads/nnplay-threads.mjs?no-inline', import.meta.url).href,
  worker: new URL('../../build/wasm-threads/nnplay-threads.worker.js?no-inline', import.meta.url).href,
  wasm: new URL('../../build/wasm-threads/nnplay-threads.wasm?no-inline', import.meta.url).href,
});

/**
 * Loads and instantiates the wasm engine, both its modules (once per page, worker or process;
 * without ready() a page fetches nnplay-extra.wasm only for a model or data set that needs it).
 * Optional: the library starts loading the engine when the first layer or model is made, and every
 * asynchronous call (fit, loadLayersModel, ...) waits for it; await ready() to load it earlier,
 * or from elsewhere. `wasmUrl` defaults to the nnplay.wasm shipped next to nnplay.js; pass one to
 * serve the file from elsewhere (a string is resolved against the page's URL; in Node it may be
 * a file path). The first call's URL wins; the library's fit worker loads from the same URL.
 */
export function ready(wasmUrl: URL | string = defaultWasmUrl): Promise<void> {
  return readyFrom(wasmUrl);
}
