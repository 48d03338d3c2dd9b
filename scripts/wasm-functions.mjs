// What scripts/split-engine.mjs and scripts/profile-engine.mjs share: what they read off a linked
// engine (each function's name, as Binaryen spells it and readable, and the size of its body), and
// the split itself (splitModule).
import { execFileSync } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Binaryen's names of a module's functions, imports included, in index order:
 * [{index, escaped, name}] where `escaped` is Binaryen's spelling (\hh for characters outside
 * its id set: what wasm-split's function lists take) and `name` the readable one.
 */
export function functionNames(wasmPath, binaryenBin) {
  const wasmOpt = binaryenBin ? join(binaryenBin, 'wasm-opt') : 'wasm-opt';
  const text = execFileSync(wasmOpt, [wasmPath, '--all-features', '--print-function-map', '-o', '/dev/null'], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const out = [];
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const escaped = line.slice(colon + 1);
    out.push({ index: Number(line.slice(0, colon)), escaped, name: escaped.replace(/\\([0-9a-f]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16))) });
  }
  return out;
}

// Each defined function's body size in bytes, by function index (imports come first).
export function functionSizes(bytes) {
  let p = 8;
  const leb = () => {
    let r = 0;
    let shift = 0;
    let b;
    do {
      b = bytes[p++];
      r += (b & 0x7f) * 2 ** shift;
      shift += 7;
    } while (b & 0x80);
    return r;
  };
  const skipName = () => {
    const length = leb();
    p += length;
  };
  const skipLimits = () => {
    const flags = bytes[p++];
    leb();
    if (flags & 1) leb();
  };
  let imported = 0;
  const sizes = new Map();
  while (p < bytes.length) {
    const id = bytes[p++];
    const length = leb();
    const end = p + length;
    if (id === 2) {
      for (let n = leb(); n > 0; n--) {
        skipName();
        skipName();
        const kind = bytes[p++];
        if (kind === 0) (leb(), imported++); // function: its type index
        else if (kind === 1) (p++, skipLimits()); // table: element type, limits
        else if (kind === 2) skipLimits(); // memory
        else if (kind === 3) p += 2; // global: value type, mutability
        else if (kind === 4) (p++, leb()); // tag: attribute, type index
      }
    } else if (id === 10) {
      for (let n = leb(), i = 0; i < n; i++) {
        const size = leb();
        sizes.set(imported + i, size);
        p += size;
      }
    }
    p = end;
  }
  return sizes;
}

/**
 * Splits `wasm` with wasm-split into `primary` and `secondary` (names stripped), and writes the
 * placeholder map to `placeholders`. `list` is wasm-split's list option with its file:
 * ['--split-funcs', file] (these move) or ['--keep-funcs', file] (these stay). The namespaces are
 * what bindings/engine_parts.pre.js instantiates: the secondary imports the primary's exports
 * from "primary"; the primary imports its placeholders from "placeholder".
 */
export function splitModule({ wasm, list: [option, file], primary, secondary, placeholders, binaryenBin, tmp }) {
  const tool = (name) => (binaryenBin ? join(binaryenBin, name) : name);
  const run = (name, argv) => execFileSync(tool(name), argv, { encoding: 'utf8', maxBuffer: 1 << 28 });
  const named = [join(tmp, 'primary.wasm'), join(tmp, 'secondary.wasm')];
  run('wasm-split', [
    wasm, '--all-features', `${option}=@${file}`, '-o1', named[0], '-o2', named[1],
    '--import-namespace=primary', '--placeholder-namespace=placeholder', '--export-prefix=%', '--placeholdermap',
  ]);
  // Which function each placeholder stands for (the "table slot N" of the placeholders' error):
  // for reading, never shipped.
  copyFileSync(`${named[0]}.placeholders`, placeholders);
  // The names were only for the split: the shipped modules carry none.
  for (const [from, to] of [[named[0], primary], [named[1], secondary]]) {
    run('wasm-opt', [from, '--all-features', '--strip-debug', '--strip-producers', '-o', to]);
  }
}
