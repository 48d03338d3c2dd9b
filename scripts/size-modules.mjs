// `node scripts/size-modules.mjs`: where the JS bytes of `npm run size`'s app come from, per
// source module (web/lib/*.ts, the Emscripten glue, ...).
//
// How: the library is built again with source maps (into build/size-modules/lib, the same
// config as dist/lib), then scripts/size.mjs's app is built against that copy with source maps
// too. Each byte of the app's start JS is traced app map -> library bundle -> library map ->
// source file; the fit worker is copied into the app as it is, so its own map names its sources.
// A module's "raw" is its minified bytes in the file; "gzip alone" is those bytes gzipped by
// themselves (more than its share of the file's gzip, which compresses across modules), so the
// column ranks modules rather than summing to the file's figure.
//
// Output: one table per file group (start, worker), largest first; `--json FILE` writes them,
// `--dump DIR` writes each module's bytes to a file. The library build's own closing steps (the
// declarations, the threaded engine's copy) still write to dist/lib, the same files again.
import { mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { APP } from './size.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const work = join(root, 'build', 'size-modules');

// Source-map "mappings": per generated line, segments [column, source, line, column, (name)] in
// base-64 VLQ, each field relative to the previous segment's (column: within the line).
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
function decodeMappings(mappings) {
  const lines = [];
  let source = 0;
  let origLine = 0;
  let origCol = 0;
  for (const lineText of mappings.split(';')) {
    const segments = [];
    let col = 0;
    for (const seg of lineText.split(',')) {
      if (!seg) continue;
      const fields = [];
      let value = 0;
      let shift = 0;
      for (const ch of seg) {
        const digit = B64.indexOf(ch);
        value += (digit & 31) << shift;
        if (digit & 32) shift += 5;
        else {
          fields.push(value & 1 ? -(value >>> 1) : value >>> 1);
          value = 0;
          shift = 0;
        }
      }
      col += fields[0];
      if (fields.length >= 4) {
        source += fields[1];
        origLine += fields[2];
        origCol += fields[3];
        segments.push({ col, source, line: origLine, origCol });
      } else segments.push({ col, source: -1 });
    }
    lines.push(segments);
  }
  return lines;
}

function readMap(jsPath) {
  const map = JSON.parse(readFileSync(`${jsPath}.map`, 'utf8'));
  const base = dirname(jsPath);
  return { lines: decodeMappings(map.mappings), sources: map.sources.map((s) => join(base, map.sourceRoot ?? '', s)) };
}

/** The segment of `lines` that covers (line, col): the last one on that line starting at or before col. */
function segmentAt(lines, line, col) {
  const segs = lines[line];
  if (!segs) return null;
  let lo = 0;
  let hi = segs.length - 1;
  let found = null;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (segs[mid].col <= col) {
      found = segs[mid];
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/**
 * Attributes each byte of `jsPath` to a source file through its map; `through(source, line, col)`
 * may map a source position once more (the app's map points into the library bundle). Returns
 * Map(source -> text) and the file's total bytes.
 */
function attribute(jsPath, through = null) {
  const text = readFileSync(jsPath, 'utf8');
  const { lines, sources } = readMap(jsPath);
  const parts = new Map();
  const add = (name, s) => parts.set(name, (parts.get(name) ?? '') + s);
  const textLines = text.split('\n');
  textLines.forEach((lineText, i) => {
    const segs = lines[i] ?? [];
    if (segs.length === 0 || segs[0].col > 0) add('(unmapped)', lineText.slice(0, segs[0]?.col ?? lineText.length));
    segs.forEach((seg, k) => {
      const piece = lineText.slice(seg.col, k + 1 < segs.length ? segs[k + 1].col : lineText.length);
      let name = seg.source >= 0 ? sources[seg.source] : '(unmapped)';
      if (through && seg.source >= 0) name = through(name, seg.line, seg.origCol) ?? name;
      add(shortName(name), piece);
    });
    if (i + 1 < textLines.length) add('(unmapped)', '\n');
  });
  return { parts, bytes: Buffer.byteLength(text) };
}

// A source as the repository names it (web/lib/model.ts, build/wasm/nnplay.mjs); a map's
// relative paths may climb above the build directory, so the name is cut at the known roots.
function shortName(path) {
  if (path.startsWith('(')) return path;
  const m = /(?:^|\/)((?:web|build\/wasm)\/.*)$/.exec(path);
  return m ? m[1] : relative(root, path);
}

const gz = (s) => gzipSync(Buffer.from(s), { level: 9 }).length;

function table(title, files, parts) {
  const rows = [...parts].map(([source, text]) => ({ source, raw: Buffer.byteLength(text), gzipAlone: gz(text) })).sort((a, b) => b.raw - a.raw);
  const total = files.reduce((s, f) => s + f.bytes, 0);
  const gzip = files.reduce((s, f) => s + gz(readFileSync(f.path)), 0);
  console.log(`\n${title}: ${files.map((f) => relative(work, f.path)).join(', ')}: ${(total / 1024).toFixed(1)} KB raw, ${(gzip / 1024).toFixed(1)} KB gzip -9`);
  console.log(`${'source'.padEnd(44)} ${'raw KB'.padStart(7)} ${'share'.padStart(6)} ${'gzip alone'.padStart(10)}`);
  for (const r of rows) console.log(`${r.source.padEnd(44)} ${(r.raw / 1024).toFixed(1).padStart(7)} ${((100 * r.raw) / total).toFixed(1).padStart(5)}% ${(r.gzipAlone / 1024).toFixed(1).padStart(10)}`);
  return { files: files.map((f) => relative(work, f.path)), raw: total, gzip, modules: rows };
}

const { build } = await import('vite');
rmSync(work, { recursive: true, force: true });
const libDir = join(work, 'lib');
// The library as dist/lib is built (web/lib/vite.config.ts), with maps, somewhere else.
await build({ configFile: join(root, 'web/lib/vite.config.ts'), logLevel: 'silent', build: { outDir: libDir, emptyOutDir: true, sourcemap: true } });

// The app, built as scripts/size.mjs builds it, against that copy of the package.
const appDir = join(work, 'app');
mkdirSync(join(appDir, 'node_modules', 'nnplay'), { recursive: true });
writeFileSync(join(appDir, 'node_modules', 'nnplay', 'package.json'), JSON.stringify({ name: 'nnplay', type: 'module', sideEffects: JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).sideEffects, exports: { '.': './lib/nnplay.js' } }));
symlinkSync(libDir, join(appDir, 'node_modules', 'nnplay', 'lib'), 'dir');
writeFileSync(join(appDir, 'package.json'), JSON.stringify({ name: 'nnplay-size-app', private: true, type: 'module' }));
writeFileSync(join(appDir, 'index.html'), '<!doctype html><html><head><meta charset="utf-8"><title>size</title></head><body><pre id="out"></pre><script type="module" src="/main.js"></script></body></html>\n');
writeFileSync(join(appDir, 'main.js'), APP);
const outDir = join(appDir, 'dist');
await build({ root: appDir, configFile: false, logLevel: 'silent', build: { outDir, manifest: true, sourcemap: true } });

const manifest = JSON.parse(readFileSync(join(outDir, '.vite', 'manifest.json'), 'utf8'));
const byKey = new Map(Object.entries(manifest));
const start = new Set();
const todo = Object.keys(manifest).filter((k) => manifest[k].isEntry);
while (todo.length) {
  const c = byKey.get(todo.pop());
  if (!c || start.has(c.file)) continue;
  start.add(c.file);
  todo.push(...(c.imports ?? []));
}

// The library's chunks, by path relative to the app's root as the app's map names them.
const libMaps = new Map();
const through = (path, line, col) => {
  if (!path.startsWith(libDir) || !path.endsWith('.js')) return null;
  if (!libMaps.has(path)) {
    try {
      libMaps.set(path, readMap(path));
    } catch {
      libMaps.set(path, null);
    }
  }
  const m = libMaps.get(path);
  const seg = m && segmentAt(m.lines, line, col);
  return seg && seg.source >= 0 ? m.sources[seg.source] : UNMAPPED_IN_LIBRARY;
};
// Vite's JSON plugin writes no source map, so the library's unmapped bytes are the embedded
// engine tables (build/wasm/engine-tables.json, engine-tables.ts), plus a few keywords.
const UNMAPPED_IN_LIBRARY = 'build/wasm/engine-tables.json (no map)';
const merge = (into, parts) => {
  for (const [k, v] of parts) into.set(k, (into.get(k) ?? '') + v);
};

const startParts = new Map();
const startFiles = [];
for (const file of start) {
  const path = join(outDir, file);
  const { parts, bytes } = attribute(path, through);
  merge(startParts, parts);
  startFiles.push({ path, bytes });
}
const report = { start: table('start JS', startFiles, startParts) };

// The fit worker: the app copies the library's file unchanged, so the library's map is its own.
const workerFile = readdirSync(join(libDir, 'assets')).find((f) => /^fit-worker-[^.]*\.js$/.test(f));
const workerPath = join(libDir, 'assets', workerFile);
const worker = attribute(workerPath);
report.worker = table('fit worker', [{ path: workerPath, bytes: worker.bytes }], worker.parts);

// `--dump DIR`: each module's bytes in a file of its own, to read what a module brings.
const dumpAt = process.argv.indexOf('--dump');
if (dumpAt > 0) {
  const dir = process.argv[dumpAt + 1];
  for (const [group, parts] of [['start', startParts], ['worker', worker.parts]]) {
    mkdirSync(join(dir, group), { recursive: true });
    for (const [name, text] of parts) writeFileSync(join(dir, group, name.replace(/[^\w.-]+/g, '_')), text);
  }
}
const at = process.argv.indexOf('--json');
if (at > 0) writeFileSync(process.argv[at + 1], `${JSON.stringify(report, null, 2)}\n`);
