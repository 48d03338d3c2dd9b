// Custom training through models in a real browser page (dist/lib/nnplay.js in Chromium): an
// optimizer.minimize loop over model.apply on the page's main thread, and fit() with a loss
// function, which trains in the page (the fit worker cannot run the page's function) while a
// fit with a loss name still goes to the worker. Both must give the numbers of Node.
import * as nn from 'nnplay';
import { expect, test } from 'vitest';
import { hasChromium, pageResultInChromium, servePageAndPackage } from './browser';

// The same program in the page and here; returns plain numbers.
const program = `async function program(nn) {
  const xs = nn.tensor2d([[0, 0], [0, 1], [1, 0], [1, 1]]);
  const ys = nn.tensor2d([[0], [1], [1], [0]]);
  const make = () => nn.sequential({ layers: [
    nn.layers.dense({ inputShape: [2], units: 6, activation: 'tanh' }),
    nn.layers.dense({ units: 1, activation: 'sigmoid' }) ], seed: 5 });
  const looped = make();
  const opt = nn.train.adam(0.05);
  const costs = [];
  for (let i = 0; i < 30; i++) {
    const cost = opt.minimize(() => nn.mean(nn.square(nn.sub(looped.apply(xs), ys))), true);
    costs.push(cost.dataSync()[0]);
    cost.dispose();
  }
  const loopWeights = looped.getWeights().map((w) => Array.from(w.dataSync()));
  looped.dispose();
  const fitted = make();
  fitted.compile({ optimizer: nn.train.sgd(0.5), loss: (yTrue, yPred) => nn.mean(nn.abs(nn.sub(yTrue, yPred)), -1) });
  const h = await fitted.fit(xs, ys, { epochs: 20, batchSize: 2 });
  const fitWeights = fitted.getWeights().map((w) => Array.from(w.dataSync()));
  fitted.dispose();
  nn.dispose([xs, ys]);
  return { costs, loopWeights, fitLoss: h.history.loss, fitWeights };
}`;

const page = `<!doctype html><meta charset="utf-8"><title>nnplay custom training</title>
<script type="module">
  let workers = 0;
  const RealWorker = window.Worker;
  window.Worker = class extends RealWorker { constructor(...a) { super(...a); workers++; } };
  const nn = await import('/dist/lib/nnplay.js');
  // A page loads the engine asynchronously; a synchronous minimize needs it loaded first.
  await nn.ready();
  ${program}
  try {
    const result = await program(nn);
    window.__result = { ...result, workers };
  } catch (e) {
    window.__result = { error: String(e && e.stack || e) };
  }
</script>`;

const server = servePageAndPackage(page);

test.skipIf(!hasChromium)('a minimize loop over model.apply and a loss-function fit run in the page as in Node', async () => {
  const inPage = (await pageResultInChromium(server.url, 'nnplay-grads-')) as Record<string, unknown>;
  expect(inPage.error).toBeUndefined();
  expect(inPage.workers).toBe(0); // the loss function's fit trained in the page
  await nn.ready();
  const inNode = await (new Function(`return ${program}`)() as (lib: typeof nn) => Promise<Record<string, unknown>>)(nn);
  const costs = inPage.costs as number[];
  expect(costs[costs.length - 1]).toBeLessThan(costs[0]);
  // The same engine and the same JS: the same bits.
  expect(inPage.costs).toEqual(inNode.costs);
  expect(inPage.loopWeights).toEqual(inNode.loopWeights);
  expect(inPage.fitLoss).toEqual(inNode.fitLoss);
  expect(inPage.fitWeights).toEqual(inNode.fitWeights);
});
