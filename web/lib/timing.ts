// tf.nextFrame and tf.time: the two timing helpers TF.js tutorials use in hand-written loops.
import { describe } from './describe';

/**
 * Resolves at the next animation frame (a page), or on the next turn of the event loop where
 * there is none (a worker, Node): `await nn.nextFrame()` in a loop lets the page paint.
 */
export function nextFrame(): Promise<void> {
  return new Promise((resolve) => {
    if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => resolve());
    else setTimeout(resolve, 0);
  });
}

/** TF.js's TimingInfo; nnplay's ops run where they are called, so kernelMs is the wall time. */
export interface TimingInfo {
  wallMs: number;
  kernelMs: number;
}

/** Runs f and says how long it took (TF.js tf.time). */
export async function time(f: () => void): Promise<TimingInfo> {
  if (typeof f !== 'function') throw new Error(`nnplay: time(): expects a function, got ${describe(f)}`);
  const start = performance.now();
  f();
  const wallMs = performance.now() - start;
  return { wallMs, kernelMs: wallMs };
}
