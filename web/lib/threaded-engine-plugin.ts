// Build plugin: puts the threaded engine (build/wasm-threads: nnplay-threads.mjs, .worker.js,
// .wasm) beside the bundle's nnplay .wasm, unhashed, where wasm-loader.ts looks for it (names
// resolved against the wasm's URL). Copied, not bundled: the pthread workers import the glue by
// URL. Skipped (with a note) when the threaded build is absent: the bundle then has the
// single-threaded engine only, which is what loads anyway where threads cannot run.
import { copyFileSync, existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Plugin } from 'vite';

export const THREADED_ENGINE_FILES = ['nnplay-threads.mjs', 'nnplay-threads.worker.js', 'nnplay-threads.wasm'];

export function copyThreadedEngine(root: string, outDir: string): Plugin {
  return {
    name: 'nnplay-threaded-engine',
    apply: 'build',
    writeBundle() {
      const from = join(root, 'build/wasm-threads');
      if (!THREADED_ENGINE_FILES.every((f) => existsSync(join(from, f)))) {
        console.warn(`[nnplay] no threaded engine in ${from} (scripts/build.sh builds it): single-threaded only`);
        return;
      }
      const wasm = readdirSync(outDir, { recursive: true, encoding: 'utf8' }).filter(
        (f) => f.endsWith('.wasm') && !f.endsWith('nnplay-threads.wasm') && /nnplay/.test(f),
      );
      for (const dir of new Set(wasm.map((f) => dirname(join(outDir, f))))) {
        for (const f of THREADED_ENGINE_FILES) copyFileSync(join(from, f), join(dir, f));
      }
    },
  };
}
