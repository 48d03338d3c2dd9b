#!/usr/bin/env node
// Splits the engine by what typical programs call: the functions that
// scripts/engine-profile-workloads.mjs reaches stay in nnplay.wasm, every other one moves to
// nnplay-extra.wasm. scripts/build.sh runs this after the library build, because the workloads
// are programs written against the library (dist/lib).
//
// Why: the split by source file (scripts/split-engine.mjs, run when CMake links) leaves in the
// first module all the code of the core sources, most of which a dense program never runs: other
// optimizers' and losses' paths, the error messages' code, Embind methods the library calls only
// for some models. Measured on the README's XOR app, the first module went from 158.5 KB to
// 139.0 KB gzipped (README, "Download size").
//
// What makes that safe: a function of the second module that runs before that module is there
// goes through its placeholder, which loads the second module synchronously and then calls the
// function (bindings/engine_parts.pre.js, web/lib/wasm-loader.ts). So a program the workloads did
// not foresee still runs correctly; it only fetches the second module once, on the spot.
//
// Steps: instrument build/wasm/nnplay-linked.wasm (kept by split-engine.mjs) with wasm-split
// --instrument; run the workloads on a copy of dist/lib whose nnplay.wasm is the instrumented
// one (in one piece: no second module); read the profile it writes; split the linked module,
// keeping what was called (and the smallest functions, see KEEP_BELOW_BYTES); strip the names; write build/wasm/nnplay.wasm and nnplay-extra.wasm and the copies in
// dist/lib. Skipped when none of its inputs changed (build/wasm/nnplay-profile.stamp).
//
// Usage: node scripts/profile-engine.mjs [--force]
//        node scripts/profile-engine.mjs --run LIBDIR PROFILE   (internal: one workload run)
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { functionNames, functionSizes, splitModule } from './wasm-functions.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const wasmDir = join(root, 'build', 'wasm');
const libDir = join(root, 'dist', 'lib');
const workloads = join(root, 'scripts', 'engine-profile-workloads.mjs');

if (process.argv[2] === '--run') {
  // One run of the workloads on the instrumented engine, in this process: the instrumented module
  // counts its calls in globals, and __write_profile copies them into its memory.
  const [, , , lib, out] = process.argv;
  const instances = [];
  const Instance = WebAssembly.Instance;
  WebAssembly.Instance = function (module, imports) {
    const instance = new Instance(module, imports);
    instances.push(instance);
    return instance;
  };
  WebAssembly.Instance.prototype = Instance.prototype;
  process.argv = [process.argv[0], workloads, lib];
  await import(workloads);
  const exports = instances.map((i) => i.exports).find((e) => typeof e.__write_profile === 'function');
  if (!exports) throw new Error('profile-engine: the workloads never instantiated the instrumented engine synchronously');
  const memory = Object.values(exports).find((v) => v instanceof WebAssembly.Memory);
  // The profile goes into fresh pages past the heap, so that it overwrites nothing.
  const size = 1 << 20;
  const at = memory.grow(size / 65536) * 65536;
  const written = exports.__write_profile(at, size);
  writeFileSync(out, new Uint8Array(memory.buffer, at, written));
  process.exit(0);
}

// Functions this small stay in the first module even when the workloads never called them: they
// are mostly the generic helpers whose use depends on the data (libc++'s digit writers for
// numbers of a given length, a string's growth), which a program the workloads did not foresee
// would otherwise fetch the second module for. Together they are about 5 KB before compression.
const KEEP_BELOW_BYTES = 64;

const { binaryenBin } = JSON.parse(readFileSync(join(wasmDir, 'nnplay-split.json'), 'utf8'));
const tool = (name) => (binaryenBin ? join(binaryenBin, name) : name);
const run = (file, argv, opts = {}) => execFileSync(file, argv, { encoding: 'utf8', maxBuffer: 1 << 28, ...opts });
const linked = join(wasmDir, 'nnplay-linked.wasm');

// Inputs: the linked engine, the library's JS (it decides which engine calls a program makes),
// the workloads and this script.
const hash = createHash('sha256');
for (const file of [linked, workloads, fileURLToPath(import.meta.url), join(root, 'scripts', 'wasm-functions.mjs')]) hash.update(readFileSync(file));
for (const file of readdirSync(libDir).filter((f) => f.endsWith('.js')).sort()) hash.update(file).update(readFileSync(join(libDir, file)));
const stamp = hash.digest('hex');
const stampFile = join(wasmDir, 'nnplay-profile.stamp');
const outputs = [join(wasmDir, 'nnplay.wasm'), join(wasmDir, 'nnplay-extra.wasm'), join(libDir, 'nnplay.wasm'), join(libDir, 'nnplay-extra.wasm')];
if (!process.argv.includes('--force') && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp && outputs.every(existsSync)) {
  console.log('profile-engine: up to date');
  process.exit(0);
}

const tmp = mkdtempSync(join(tmpdir(), 'nnplay-profile-'));
try {
  const lib = join(tmp, 'lib');
  // The library without its data sets (the workloads make none).
  cpSync(libDir, lib, { recursive: true, filter: (src) => !src.endsWith('.gz') });
  run(tool('wasm-split'), [linked, '--all-features', '--instrument', '-o', join(lib, 'nnplay.wasm')]);
  rmSync(join(lib, 'nnplay-extra.wasm'), { force: true });
  const profile = join(tmp, 'profile.bin');
  run(process.execPath, [fileURLToPath(import.meta.url), '--run', lib, profile], { stdio: ['ignore', 'ignore', 'inherit'] });
  // The profile: an 8-byte hash of the module, then one 4-byte timestamp per defined function,
  // in index order after the imports (0: never called).
  const bytes = readFileSync(profile);
  const names = functionNames(linked, binaryenBin);
  const sizes = functionSizes(readFileSync(linked));
  const defined = (bytes.length - 8) / 4;
  const imported = names.length - defined;
  if (!Number.isInteger(defined) || imported < 0) throw new Error(`profile-engine: a profile of ${bytes.length} bytes does not fit a module of ${names.length} functions`);
  const keep = [];
  let called = 0;
  for (let i = 0; i < defined; i++) {
    const { index, escaped } = names[imported + i];
    const wasCalled = bytes.readUInt32LE(8 + 4 * i) !== 0;
    if (wasCalled) called++;
    if (wasCalled || (sizes.get(index) ?? 0) < KEEP_BELOW_BYTES) keep.push(escaped);
  }
  const keepList = join(tmp, 'keep-funcs.txt');
  writeFileSync(keepList, `${keep.join('\n')}\n`);
  splitModule({
    wasm: linked, list: ['--keep-funcs', keepList], primary: outputs[0], secondary: outputs[1],
    placeholders: join(wasmDir, 'nnplay-extra.placeholders.txt'), binaryenBin, tmp,
  });
  copyFileSync(outputs[0], outputs[2]);
  copyFileSync(outputs[1], outputs[3]);
  writeFileSync(stampFile, stamp);
  const size = (f) => readFileSync(f).length;
  console.log(`profile-engine: the workloads called ${called} of ${defined} functions, ${keep.length} stay; nnplay.wasm ${size(outputs[0])} bytes, nnplay-extra.wasm ${size(outputs[1])} bytes`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
