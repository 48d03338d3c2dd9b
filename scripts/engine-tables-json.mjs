// Writes build/wasm/engine-tables.json: the engine's tables (engineTables(): layer types with
// keys and defaults, activations, initializers, losses, metrics, optimizers) as the built engine
// reports them, through build/wasm/nnplay-tables.mjs (bindings/tables_bindings.cpp: a build-only
// module linked from the same engine library; the shipped nnplay.wasm has no engineTables()). The library embeds this file (web/lib/engine-tables.ts), so names, keys and
// defaults are known synchronously, before the engine has loaded (TF.js programs build layers
// and compile before any await). Generated from the wasm on every build, so it cannot drift
// from the engine; tests/js/lazy-engine.test.ts checks it against the loaded engine as well.
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const dir = `${root}build/wasm`;
const out = `${dir}/engine-tables.json`;
const glue = `${dir}/nnplay-tables.mjs`;
const wasm = `${dir}/nnplay-tables.wasm`;
if (!existsSync(wasm) || !existsSync(glue)) throw new Error(`engine-tables-json: build the wasm first (${wasm}: cmake --build build/wasm)`);

const { default: createModule } = await import(pathToFileURL(glue).href);
const mod = await createModule({ wasmBinary: readFileSync(wasm) });
const text = JSON.stringify(JSON.parse(mod.engineTables()));
const old = existsSync(out) ? readFileSync(out, 'utf8') : '';
if (old !== text) writeFileSync(out, text); // unchanged: keep the mtime (Vite rebuilds less)
