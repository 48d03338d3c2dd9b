// Types for the Emscripten-generated ES module (see engine-module.ts for the API it returns).
declare module '*/build/wasm/nnplay.mjs' {
  const createNnplayModule: unknown;
  export default createNnplayModule;
}

// The engine's tables as JSON, written at build time by scripts/engine-tables-json.mjs.
declare module '*/build/wasm/engine-tables.json' {
  const tables: unknown;
  export default tables;
  /** The engine's thread pool bound (core/parallel.h kMaxThreads); wasm-loader.ts imports it alone. */
  export const threads: { max: number };
}
