// Writes build/wasm/engine-tables.json: the engine's tables (engineTables(): layer types with
// keys and defaults, activations, initializers, losses, metrics, optimizers) as the built wasm
// reports them. The library embeds this file (web/lib/engine-tables.ts), so names, keys and
// defaults are known synchronously, before the engine has loaded (TF.js programs build layers
// and compile before any await). Generated from the wasm on every build, so it cannot drift
// from the engine; tests/js/lazy-engine.test.ts checks it against the loaded engine as well.
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const dir = `${root}build/wasm`;
const out = `${dir}/engine-tables.json`;
const wasm = `${dir}/nnplay.wasm`;
const glue = `${dir}/nnplay.mjs`;
if (!existsSync(wasm) || !existsSync(glue)) throw new Error(`engine-tables-json: build the wasm first (${wasm})`);

const { default: createModule } = await import(pathToFileURL(glue).href);
const mod = await createModule({ wasmBinary: readFileSync(wasm) });
const text = JSON.stringify(JSON.parse(mod.engineTables()));
const old = existsSync(out) ? readFileSync(out, 'utf8') : '';
if (old !== text) writeFileSync(out, text); // unchanged: keep the mtime (Vite rebuilds less)
