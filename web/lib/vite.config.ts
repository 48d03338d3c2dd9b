// Library build: web/lib/index.ts -> dist/lib/nnplay.js (ES module) plus, as separate files,
// the engine's .wasm and its glue, the fit worker (with its own engine loader), and dist/lib/*.d.ts.
//
// Why not Vite's defaults: library mode inlines every asset as base64, which would put the
// wasm into the JS. engine-url.ts asks for the wasm with `?no-inline`, so it stays a file next
// to nnplay.js, fetched (browser) or read (Node). The fit worker's bundle does not import
// engine-url.ts (the page sends it the URL), so it brings no second copy; checkOneWasm fails
// the build if one comes back. The glue is a file too, never bundled (minifyGlue, checkOneGlue).
// Types: Vite does not emit declarations, so after bundling we run tsc on web/lib/tsconfig.json
// (and give the .d.ts files' relative imports a .js: see addJsExtensions).
// No source maps: an app's bundler re-bundles nnplay.js and copies the fit worker under a new
// name, so the maps would not be used and the worker's would dangle; they doubled the package.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, minify, type Plugin } from 'vite';
import { GLUE_FILE } from './engine-files';

const here = fileURLToPath(new URL('.', import.meta.url));

const root = fileURLToPath(new URL('../../', import.meta.url));

// The engine's glue (build/wasm/nnplay.mjs) is emitted as a file of its own: engine-url.ts names
// it with `new URL(...)`, so the page and the fit worker import() one copy. In dist/lib it is
// GLUE_FILE, a .js (engine-files.ts says why; tests/js/package.test.ts serves an app from a
// server that knows no .mjs).
const isGlueSource = (file: string) => /(^|\/)build\/wasm\/nnplay\.mjs$/.test(file);

// The threaded engine's glue is such a file too (engine-url.ts; it keeps its name).
const isThreadedGlueSource = (file: string) => /(^|\/)build\/wasm-threads\/nnplay-threads\.mjs$/.test(file);

// Vite copies such a file as it is, and Emscripten only strips the glue's whitespace; minified
// like the bundled JS the glue is 24 KB instead of 47 KB (8.2 KB instead of 11.5 KB with gzip -9),
// the threaded one 41 KB instead of 76 KB (13.8 KB instead of 18.9 KB). An app's bundler hashes
// the content it gets, the minified text.
export function minifyGlue(): Plugin {
  return {
    name: 'nnplay-minify-glue',
    apply: 'build',
    async generateBundle(_options, bundle) {
      for (const file of Object.values(bundle)) {
        if (file.type !== 'asset' || !file.originalFileNames.some((f) => isGlueSource(f) || isThreadedGlueSource(f))) continue;
        const code = typeof file.source === 'string' ? file.source : new TextDecoder().decode(file.source);
        const out = await minify(file.fileName, code, { module: true, compress: { target: 'es2022' } });
        if (out.errors.length) throw new Error(`nnplay: minifying ${file.fileName}: ${out.errors.map((e) => e.message).join('; ')}`);
        file.source = out.code;
      }
    },
  };
}

// tsc writes the declarations' relative imports as the sources spell them ('./layers'), which
// TypeScript projects with moduleResolution node16/nodenext (the usual Node setup) cannot
// resolve in an ES-module package: every nnplay type would silently become `any`. So each
// relative specifier gets the .js of the file it names (./layers -> ./layers.js, whose types
// are ./layers.d.ts); a specifier naming no emitted .d.ts fails the build.
function addJsExtensions(dir: string): void {
  // Subfolders too (web/lib/ops/*.ts import '../tensor').
  for (const sub of readdirSync(dir, { withFileTypes: true })) if (sub.isDirectory() && sub.name !== 'assets') addJsExtensions(`${dir}/${sub.name}`);
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.d.ts'))) {
    const path = `${dir}/${file}`;
    const text = readFileSync(path, 'utf8').replace(
      /(\bfrom\s+|\bimport\()(["'])(\.\.?\/[^"']+)\2/g,
      (whole, before: string, quote: string, spec: string) => {
        if (spec.endsWith('.js')) return whole;
        if (!existsSync(`${dir}/${spec}.d.ts`)) {
          throw new Error(`nnplay library build: ${file} imports ${spec}, which has no .d.ts in dist/lib`);
        }
        return `${before}${quote}${spec}.js${quote}`;
      },
    );
    writeFileSync(path, text);
  }
}

// The package must hold the engine once (nnplay.wasm, beside its second part nnplay-extra.wasm
// and the threaded engine): another .wasm means some module the fit
// worker imports names the wasm with `new URL(...)` again (see engine-url.ts).
function checkOneWasm(): Plugin {
  return {
    name: 'nnplay-one-wasm',
    apply: 'build',
    closeBundle() {
      const wasm = readdirSync(`${root}dist/lib`, { recursive: true, encoding: 'utf8' }).filter(
        (f) => f.endsWith('.wasm') && !f.endsWith('nnplay-threads.wasm') && !f.endsWith('nnplay-extra.wasm'),
      );
      if (wasm.length !== 1) {
        throw new Error(`nnplay library build: expected one .wasm in dist/lib, found ${wasm.length}: ${wasm.join(', ')}`);
      }
    },
  };
}

// The glue must be in the package once too: dist/lib/nnplay-glue.js, and in no other JS file (a
// module of the page or the fit worker importing build/wasm/nnplay.mjs again would bundle a copy
// into it, which every app would download besides the file). The string is one of its messages.
function checkOneGlue(): Plugin {
  return {
    name: 'nnplay-one-glue',
    apply: 'build',
    closeBundle() {
      const files = readdirSync(`${root}dist/lib`, { recursive: true, encoding: 'utf8' });
      const glue = files.filter((f) => /\.m?js$/.test(f) && !f.startsWith('nnplay-threads') && readFileSync(`${root}dist/lib/${f}`, 'utf8').includes('no native wasm support detected'));
      if (glue.length !== 1 || glue[0] !== GLUE_FILE) {
        throw new Error(`nnplay library build: expected the engine's glue in dist/lib/${GLUE_FILE} alone, found it in: ${glue.join(', ') || 'no file'} (import it by URL: engine-url.ts)`);
      }
    },
  };
}

// nn.layers and nn.train are module namespaces (layer-factories.ts, train.ts): each is an entry
// of its own (dist/lib/layer-factories.js, train.js), and index.ts's `export * as layers from
// './layer-factories.js'` stays that statement in nnplay.js (the specifier is external here).
// Bundled in, it would become an object holding every factory, which an app's bundler keeps
// whole; as a namespace of another file, the app keeps only the factories it names.
const namespaceEntries = { 'layer-factories': `${here}layer-factories.ts`, train: `${here}train.ts` };
const namespaceImport = /^\.\/(layer-factories|train)\.js$/;

// The modules that are chunks of their own, loaded by import() on first use.
const lazyModule = /\/web\/lib\/(code-export|tfjs-format|io-storage|fit-dataset|class-weight)\.ts$/;

export default defineConfig({
  root,
  publicDir: false,
  base: './',
  logLevel: 'warn',
  build: {
    outDir: 'dist/lib',
    emptyOutDir: true,
    target: 'es2022',
    minify: true,
    sourcemap: false,
    lib: {
      entry: { nnplay: `${here}index.ts`, ...namespaceEntries },
      formats: ['es'],
      fileName: (_format, name) => `${name}.js`,
    },
    // Three parts load on first use (import()): code export, the TF.js format with the IO
    // handlers' storage code (io-storage.ts), and fitDataset() (see code-export-lazy.ts,
    // tfjs-basics.ts, io-handlers.ts, model.ts loadFitDataset; the fit-dataset chunk holds
    // class-weight.ts too, for fit({classWeight})). Everything else is one chunk, nnplay-core-*.js, which
    // nnplay.js re-exports: the lazy chunks import from it, and an entry chunk cannot export
    // more than the library's API (its namespace is what `import * as nn` sees).
    rollupOptions: {
      external: (id: string, importer: string | undefined) => namespaceImport.test(id) && !!importer?.endsWith('/web/lib/index.ts'),
      output: {
        // Vite's library default for the other files: nnplay.wasm, the threaded engine, the data.
        assetFileNames: (asset) => (asset.originalFileNames.some(isGlueSource) ? GLUE_FILE : '[name].[ext]'),
        codeSplitting: {
          groups: [
            { name: 'nnplay-core', test: (id: string) => !lazyModule.test(id), priority: 2 },
            { name: 'code-export', test: /\/web\/lib\/code-export\.ts$/, priority: 1 },
            { name: 'tfjs-format', test: /\/web\/lib\/(tfjs-format|io-storage)\.ts$/, priority: 1 },
            { name: 'fit-dataset', test: /\/web\/lib\/(fit-dataset|class-weight)\.ts$/, priority: 1 },
          ],
        },
      },
    },
  },
  worker: {
    format: 'es',
  },
  experimental: {
    // The threaded engine's files (engine-url.ts) are emitted beside nnplay.js under their own
    // names, and dist/lib names them with `new URL('./name', import.meta.url)` so that an app's
    // bundler emits them again. The pthread worker script is 2.3 KB, under the 4 KB below which
    // an app's Vite would inline it as a data: URL, and pthread workers started from a data: URL
    // never came up (Chromium, tests/js/threads-bundled-browser.test.ts: each load waited out its
    // 30 s timeout, then ran one thread). So its URL carries `?no-inline`, which Vite honours
    // and static servers and other bundlers ignore.
    renderBuiltUrl(filename, { hostId, hostType }) {
      if (hostType !== 'js' || posix.basename(filename) !== 'nnplay-threads.worker.js') return undefined;
      const path = posix.relative(posix.dirname(hostId), filename);
      return { runtime: `new URL(${JSON.stringify(`${path.startsWith('.') ? '' : './'}${path}?no-inline`)}, import.meta.url).href` };
    },
  },
  plugins: [
    minifyGlue(),
    checkOneWasm(),
    checkOneGlue(),
    {
      name: 'nnplay-lib-types',
      apply: 'build',
      closeBundle() {
        const tsc = `${root}node_modules/typescript/bin/tsc`;
        execFileSync(process.execPath, [tsc, '-p', `${here}tsconfig.json`], { stdio: 'inherit', cwd: root });
        addJsExtensions(`${root}dist/lib`);
      },
    },
  ],
});
