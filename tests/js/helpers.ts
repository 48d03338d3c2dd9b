// Shared fixtures for the library tests. Every test disposes what it creates, so the
// suites can end by checking nn.memory() is back to zero.
import * as nn from 'nnplay';
import { expect } from 'vitest';

export const XOR_X = [
  [0, 0],
  [0, 1],
  [1, 0],
  [1, 1],
];
export const XOR_Y = [[0], [1], [1], [0]];

/** The README's XOR network. */
export function xorModel(seed = 42): nn.Sequential {
  const model = nn.sequential({
    layers: [
      nn.layers.dense({ inputShape: [2], units: 8, activation: 'tanh' }),
      nn.layers.dense({ units: 1, activation: 'sigmoid' }),
    ],
    seed,
  });
  model.compile({ optimizer: nn.train.adam(0.05), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  return model;
}

/** xorshift32 uniform in [0, 1): deterministic test data without depending on the engine. */
export function xorshift(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 2 ** 32;
  };
}

/** A seeded two-blob classification set in [n, 2] / [n, 1], not linearly trivial for shuffling. */
export function blobs(n: number, seed: number): { x: Float32Array; y: Float32Array } {
  const rand = xorshift(seed);
  const x = new Float32Array(n * 2);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const label = i % 2;
    x[2 * i] = (label ? 1 : -1) + (rand() - 0.5) * 1.5;
    x[2 * i + 1] = (label ? -1 : 1) + (rand() - 0.5) * 1.5;
    y[i] = label;
  }
  return { x, y };
}

export function weightsOf(model: nn.LayersModel): Float32Array[] {
  const ws = model.getWeights();
  const values = ws.map((w) => w.dataSync());
  ws.forEach((w) => w.dispose());
  return values;
}

export function disposeAll(...items: Array<{ dispose(): void } | { dispose(): void }[] | null | undefined>): void {
  for (const item of items) {
    if (!item) continue;
    if (Array.isArray(item)) item.forEach((t) => t.dispose());
    else item.dispose();
  }
}

/** How many channel fit workers the tests have started and terminated (see channelFitWorker). */
export const channelWorkers = { started: 0, terminated: 0 };

/**
 * A fit worker in the same thread: the library's fit protocol served on the far end of a
 * MessageChannel (nn.serveFitWorker), as a page's worker would serve it. Pass it to
 * nn.setFitWorker({create: channelFitWorker}).
 */
export function channelFitWorker(): nn.FitWorkerLike {
  channelWorkers.started++;
  const { port1, port2 } = new MessageChannel();
  nn.serveFitWorker(port2 as unknown as nn.MessagePortLike);
  port2.start();
  port1.start();
  return {
    postMessage: (m, transfer) => port1.postMessage(m, transfer ?? []),
    addEventListener: (type, listener) => port1.addEventListener(type, listener as (e: Event) => void),
    terminate: () => {
      channelWorkers.terminated++;
      // Let the far side handle what was already posted (the final 'dispose'), then close;
      // a real worker's terminate() frees its whole realm instead.
      setTimeout(() => port1.close(), 10);
    },
  };
}

/** nnplay's values against TF.js's, element by element: |a − e| ≤ rtol·|e| + atol, naming the first that is not. */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string, rtol: number, atol: number): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const tol = rtol * Math.abs(expected[i]) + atol;
    if (!(Math.abs(actual[i] - expected[i]) <= tol)) {
      expect.fail(`${what}[${i}]: nnplay ${actual[i]} vs TF.js ${expected[i]} (|diff| ${Math.abs(actual[i] - expected[i])} > ${tol})`);
    }
  }
}
