// The file names the package gives its engine's files in dist/lib, where they differ from the
// build's (build/wasm/*): read by the loader (a copy of dist/lib served elsewhere is looked up
// by these names) and by the builds that emit or point at the files (web/lib/vite.config.ts,
// web/app/element.vite.config.ts).

/**
 * The single-threaded engine's Emscripten glue (build/wasm/nnplay.mjs). A .js, not .mjs: a static
 * server that does not know .mjs answers it as application/octet-stream, which a browser
 * refuses to run as a module script, and without its glue no engine loads. The package is
 * "type": "module", so Node reads the .js as the ES module it is.
 */
export const GLUE_FILE = 'nnplay-glue.js';
