// The engine's Emscripten glue is one file of the package (dist/lib/nnplay-glue.js), imported by
// URL rather than bundled: where it is looked for (engineGlueUrls), that Node still loads the
// engine synchronously for a synchronous first call, and what a wasm named by nn.ready(url)
// uses. The browser side (page and fit worker importing one copy) is engine-glue-browser.test.ts.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { engineGlueUrls, setEngineGlueUrl } from '../../web/lib/wasm-loader';

const root = fileURLToPath(new URL('../../', import.meta.url));

test('the glue for a wasm: the one registered for it, else the one beside it, then the package\'s own', () => {
  // The first glue registered is the package's own (engine-url.ts registers it on import).
  setEngineGlueUrl('https://app.example/assets/nnplay-AbCdEf12.wasm', 'https://app.example/assets/nnplay-glue-XyZ98765.js');
  setEngineGlueUrl('https://cdn.example/v2/nnplay.wasm', new URL('https://cdn.example/v2/other-name.js'));
  expect(engineGlueUrls('https://app.example/assets/nnplay-AbCdEf12.wasm')).toEqual(['https://app.example/assets/nnplay-glue-XyZ98765.js']);
  expect(engineGlueUrls(new URL('https://cdn.example/v2/nnplay.wasm'))).toEqual(['https://cdn.example/v2/other-name.js', 'https://app.example/assets/nnplay-glue-XyZ98765.js']);
  // A copy of dist/lib elsewhere: its own glue under dist/lib's name, then the package's.
  expect(engineGlueUrls('https://mirror.example/nnplay/nnplay.wasm?v=3')).toEqual([
    'https://mirror.example/nnplay/nnplay-glue.js',
    'https://app.example/assets/nnplay-glue-XyZ98765.js',
  ]);
  // A Node file path has no URL to resolve a neighbour against.
  expect(engineGlueUrls('/srv/models/nnplay.wasm')).toEqual(['https://app.example/assets/nnplay-glue-XyZ98765.js']);
});

/** Runs `source` as an ES module in a fresh Node process at the repository root (so 'nnplay' is the package). */
function runNode(source: string): string {
  return execFileSync(process.execPath, ['--input-type=module', '-e', source], { cwd: root, encoding: 'utf8' });
}

test('Node: a synchronous first call still loads the engine synchronously (the glue required, not imported)', () => {
  const out = runNode(`
    import * as nn from 'nnplay';
    const before = nn.isReady();
    const model = nn.sequential({ layers: [nn.layers.dense({ inputShape: [2], units: 1, kernelInitializer: 'ones', biasInitializer: 'zeros' })] });
    const y = Array.from(model.predict(nn.tensor2d([[1, 2]])).dataSync());
    console.log(JSON.stringify({ before, after: nn.isReady(), y }));
  `);
  expect(JSON.parse(out)).toEqual({ before: false, after: true, y: [3] });
});

test('Node: nn.ready(path) of a wasm elsewhere loads with the package\'s glue', () => {
  const wasm = `${root}dist/lib/nnplay.wasm`;
  const out = runNode(`
    import * as nn from 'nnplay';
    await nn.ready(${JSON.stringify(wasm)});
    const model = nn.sequential({ layers: [nn.layers.dense({ inputShape: [1], units: 1, kernelInitializer: 'ones', biasInitializer: 'ones' })] });
    console.log(JSON.stringify(Array.from(model.predict(nn.tensor2d([[2]])).dataSync())));
  `);
  expect(JSON.parse(out)).toEqual([3]);
});
