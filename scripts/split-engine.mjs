#!/usr/bin/env node
// Splits the linked engine (nnplay.wasm, linked with --profiling-funcs so its functions have
// names) into two modules with Binaryen's wasm-split:
//   nnplay.wasm        the primary: everything a model of dense, dropout, activation, flatten,
//                      reshape, add and concatenate layers runs, plus placeholders;
//   nnplay-extra.wasm  the secondary: the code defined in the engine's extra-part sources (the
//                      layer families listed in CMakeLists.txt NNPLAY_EXTRA_PART_REGEX).
// The secondary imports the primary's memory, table, globals, exception tag and functions; when
// it is instantiated its element segments replace the placeholders in the shared table, so the
// primary's calls reach the real code. web/lib/wasm-loader.ts loads it when a model first has
// a layer of the extra part (the engine's tables say which: layers[].part).
//
// This is the first split, made when CMake links. scripts/profile-engine.mjs, run by
// scripts/build.sh after the library build, splits the linked module again by what the
// library's workloads call and replaces both outputs; this one keeps build/wasm whole and
// consistent until then (and for a build of the engine alone).
//
// Which functions move: the ones defined out of line (strong or internal symbols) in the extra
// part's object files, of at least MIN_MOVED_BYTES. Inline functions and template instances
// (weak symbols) stay: Binaryen merges functions with equal bodies and keeps one name, so a
// header's `return output_size();` of a pooling layer is also the dropout layer's, and moving it
// would make dense models wait for the secondary (measured: keeping them costs 2 KB gzipped).
// A function the primary calls goes through a placeholder until the secondary is loaded, so a
// mistake here can only make a model need the secondary, never run wrong code; the placeholder
// map written beside the outputs names each slot.
//
// Usage: node scripts/split-engine.mjs --wasm in.wasm --primary out.wasm --secondary out2.wasm
//          --objects a.o,b.o,... (every object linked) --extra-regex 'RE' (the extra part's objects)
// Needs Binaryen's wasm-split, wasm-opt and LLVM's llvm-nm (all come with Emscripten);
// Binaryen's directory comes from --binaryen-bin, llvm-nm's path from --llvm-nm (default: PATH).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { functionNames, functionSizes, splitModule } from './wasm-functions.mjs';

function parseArgs(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '');
    if (argv[i + 1] === undefined) throw new Error(`split-engine: ${argv[i]} needs a value`);
    out[key] = argv[i + 1];
  }
  for (const need of ['wasm', 'primary', 'secondary', 'objects', 'extra-regex']) {
    if (!out[need]) throw new Error(`split-engine: missing --${need}`);
  }
  return out;
}

const args = parseArgs(process.argv.slice(2));
const run = (file, argv) => execFileSync(file, argv, { encoding: 'utf8', maxBuffer: 1 << 28 });

// Defined symbols of some objects, demangled as wasm-ld writes them into the name section:
// Map name -> set of nm kinds ('T', 't', 'W', ...).
function definedSymbols(objects) {
  const byName = new Map();
  for (const obj of objects) {
    const text = run(args['llvm-nm'] ?? 'llvm-nm', ['--defined-only', '--demangle', obj]);
    for (const line of text.split('\n')) {
      const m = /^(?:[0-9a-f]+|\s*-+)?\s+([A-Za-z])\s+(.+)$/.exec(line);
      if (!m) continue;
      const kinds = byName.get(m[2]) ?? new Set();
      kinds.add(m[1]);
      byName.set(m[2], kinds);
    }
  }
  return byName;
}

const objects = args.objects.split(',').filter(Boolean);
const isExtra = new RegExp(args['extra-regex']);
const extraObjects = objects.filter((o) => isExtra.test(o.replaceAll('\\', '/')));
const coreObjects = objects.filter((o) => !extraObjects.includes(o));
if (extraObjects.length === 0) throw new Error(`split-engine: no object matches --extra-regex ${args['extra-regex']}`);
const extra = definedSymbols(extraObjects);
const core = definedSymbols(coreObjects);
const moves = new Set();
for (const [name, kinds] of extra) {
  if ((kinds.has('T') || kinds.has('t')) && !core.has(name)) moves.add(name);
}

// Functions this small stay in the primary: Binaryen merges functions with equal bodies (a
// `return 0;` in a conv layer and in a dense one are one function, named after either), and a
// merged function named after an extra-part original may serve core code too. Below this size
// that is common and moving them saves nothing (29 functions, under 1 KB raw, when measured).
const MIN_MOVED_BYTES = 64;
const linked = readFileSync(args.wasm);
const sizes = functionSizes(linked);
// The module as linked, with its names, kept beside the outputs for reading (and for a rerun of
// this script, since the primary usually replaces the input). Never shipped.
const keptLinked = args.secondary.replace(/[^/\\]*$/, 'nnplay-linked.wasm');
if (keptLinked !== args.wasm) writeFileSync(keptLinked, linked);

const split = [];
const functions = functionNames(args.wasm, args['binaryen-bin']);
// musl's double log and exp carry 6 KB of tables into the first module's data section, which no
// split can move: the engine uses log_of and exp_of instead (engine/core/scalar_math.h).
const tableDriven = functions.filter((f) => f.name === 'log' || f.name === 'exp').map((f) => f.name);
if (tableDriven.length > 0) {
  throw new Error(`split-engine: the engine links libm's ${tableDriven.join(' and ')} (a std::log or std::exp of a double, or a call that promotes to one): use log_of / exp_of from engine/core/scalar_math.h, whose tables are not in the download`);
}
for (const { index, escaped, name } of functions) {
  if (moves.has(name) && (sizes.get(index) ?? 0) >= MIN_MOVED_BYTES) split.push(escaped);
}
if (split.length === 0) throw new Error('split-engine: no function of the extra part found in the module (was it linked with --profiling-funcs?)');

const tmp = mkdtempSync(join(tmpdir(), 'nnplay-split-'));
try {
  const list = join(tmp, 'split-funcs.txt');
  writeFileSync(list, split.join('\n') + '\n');
  splitModule({
    wasm: args.wasm, list: ['--split-funcs', list], primary: args.primary, secondary: args.secondary,
    placeholders: args.secondary.replace(/\.wasm$/, '.placeholders.txt'), binaryenBin: args['binaryen-bin'], tmp,
  });
  // Where Binaryen's tools are, for scripts/profile-engine.mjs, which splits the linked module
  // again by what programs call (after the library build).
  writeFileSync(args.secondary.replace(/[^/\\]*$/, 'nnplay-split.json'), `${JSON.stringify({ binaryenBin: args['binaryen-bin'] ?? null })}\n`);
  const size = (f) => readFileSync(f).length;
  console.log(`split-engine: ${extraObjects.length} objects, ${split.length} of ${functions.length} functions to ${args.secondary} (${size(args.secondary)} bytes); primary ${size(args.primary)} bytes`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
