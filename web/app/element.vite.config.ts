// The `nnplay/playground` build: web/app/nn-playground.ts -> dist/playground/nnplay-playground.js,
// one ES module that defines <nn-playground> and bundles both apps, with their workers as
// files in dist/playground/assets/.
//
// Two differences from the page build, both so that the package holds each big file once:
// - The engines and the image data sets are the library's (dist/lib, built first): every
//   `new URL('../../build/{wasm,wasm-threads,data}/<name>?no-inline', import.meta.url)` is rewritten to point
//   at dist/lib/<name> instead of copying the file (libAssets). The element module sits in
//   dist/playground/, its workers one level deeper, in assets/.
// - The apps' stylesheets are added to the document by the module itself (inject-style.ts), since
//   a page that imports a library cannot be expected to link its CSS.
import { copyFileSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { GLUE_FILE } from '../lib/engine-files';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const root = here('../../');

function libAssets(where: 'module' | 'worker'): Plugin {
  const prefix = where === 'module' ? '../lib/' : '../../lib/';
  return {
    name: `nnplay-lib-assets-${where}`,
    enforce: 'pre',
    transform(code, id) {
      if (!/\.ts$/.test(id.replace(/\?.*$/, ''))) return null;
      const out = code.replace(
        /new URL\((["'])(?:\.\.\/)+build\/(wasm|wasm-threads|data)\/([^"'?]+)\?no-inline\1,\s*import\.meta\.url\)/g,
        (_, quote: string, dir: string, name: string) =>
          // The glue is the one file dist/lib names otherwise (engine-files.ts).
          `new URL(/* @vite-ignore */ ${quote}${prefix}${dir === 'wasm' && name === 'nnplay.mjs' ? GLUE_FILE : name}${quote}, import.meta.url)`,
      );
      return out === code ? null : { code: out, map: null };
    },
  };
}

/** `import './x.css'` in the apps: the CSS text, added to the document as <style>. */
function injectedCss(): Plugin {
  const prefix = '\0nnplay-css:';
  return {
    name: 'nnplay-injected-css',
    enforce: 'pre',
    async resolveId(source, importer) {
      if (!source.endsWith('.css') || !importer) return null;
      const resolved = await this.resolve(source, importer, { skipSelf: true });
      return resolved ? `${prefix}${resolved.id}.js` : null; // .js: not for Vite's CSS plugin
    },
    load(id) {
      if (!id.startsWith(prefix)) return null;
      const file = id.slice(prefix.length, -'.js'.length);
      this.addWatchFile(file);
      const css = readFileSync(file, 'utf8');
      return `import { injectStyle } from ${JSON.stringify(here('./inject-style.ts'))};\ninjectStyle(${JSON.stringify(css)});\n`;
    },
  };
}

export default defineConfig({
  root,
  publicDir: false,
  base: './',
  logLevel: 'warn',
  resolve: { alias: { nnplay: here('../lib/index.ts') } },
  build: {
    outDir: 'dist/playground',
    emptyOutDir: true,
    target: 'es2022',
    minify: true,
    sourcemap: false,
    assetsInlineLimit: 0,
    lib: {
      entry: here('./nn-playground.ts'),
      formats: ['es'],
      fileName: () => 'nnplay-playground.js',
    },
  },
  worker: {
    format: 'es',
    plugins: () => [libAssets('worker')],
  },
  plugins: [
    libAssets('module'),
    injectedCss(),
    {
      // Hand-written types of the entry (the apps' own types are not part of the package).
      name: 'nnplay-playground-types',
      apply: 'build',
      closeBundle() {
        copyFileSync(here('./nnplay-playground.d.ts'), `${root}dist/playground/nnplay-playground.d.ts`);
      },
    },
  ],
});
