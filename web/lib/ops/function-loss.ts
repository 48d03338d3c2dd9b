// compile({loss: (yTrue, yPred) => tensor}): a loss the user writes in ops. The engine's
// trainer computes only the losses of its table, so fit() with a loss function trains here, on
// the main thread in-process (never in the fit worker: the function lives in this realm): each
// batch is optimizer.minimize(() => mean(loss(yTrue, model.apply(x, {training: true})))), so the
// loss's gradient with respect to yPred comes from the tape and flows into the engine's
// backward through the model's tape entry (ops/model-apply.ts), and the optimizer updates the
// weights with TF.js's formulas (ops/minimize.ts). Shuffling is seeded by the model seed and the
// epoch: the same seed gives the same run.
import type { Optimizer } from '../optimizers';
import { Tensor } from '../tensor';
import { describe } from '../describe';
import { minimize } from './minimize';
import { mean } from './reduce';
import { runScoped } from './scope';
import { fail } from './util';

export type LossFunction = (yTrue: Tensor, yPred: Tensor) => Tensor;

/** What the epochs need of the model and the data (one output). */
export interface FunctionLossFit {
  optimizer: Optimizer;
  loss: LossFunction;
  /** The model's forward on a batch (model.apply), one tensor per input. */
  apply: (xs: Tensor[], training: boolean) => Tensor;
  inputShapes: number[][];
  outputShape: number[];
  seed: number;
}

export interface FunctionLossData {
  xs: Float32Array[];
  y: Float32Array;
  n: number;
}

const isTensor = (v: unknown): boolean => v instanceof Tensor;

function rows(values: Float32Array, order: Int32Array, from: number, count: number, shape: number[]): Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(count * size);
  for (let r = 0; r < count; r++) out.set(values.subarray(order[from + r] * size, (order[from + r] + 1) * size), r * size);
  return new Tensor(out, [count, ...shape]);
}

/** The loss function's value on a batch, as a scalar (its mean when it gives one per sample). */
function lossValue(fit: FunctionLossFit, yTrue: Tensor, yPred: Tensor): Tensor {
  const l = fit.loss(yTrue, yPred);
  if (!(l instanceof Tensor)) fail('fit()', `the loss function must return a Tensor (from nn ops on yTrue and yPred), got ${describe(l)}`);
  return l.rank === 0 ? l : mean(l);
}

// xorshift32 over (seed, epoch): a permutation that depends on nothing else.
function permutation(n: number, seed: number, epoch: number, shuffle: boolean): Int32Array {
  const order = Int32Array.from({ length: n }, (_, i) => i);
  if (!shuffle) return order;
  let s = (seed ^ Math.imul(epoch + 1, 0x9e3779b1)) >>> 0 || 1;
  for (let i = n - 1; i > 0; i--) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    const j = s % (i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

/** One epoch: the batch-size-weighted mean loss (and per-batch figures when asked). */
export function functionLossEpoch(fit: FunctionLossFit, data: FunctionLossData, epoch: number, batchSize: number, shuffle: boolean, perBatch: boolean): { loss: number; batches?: Record<string, number>[] } {
  const order = permutation(data.n, fit.seed, epoch, shuffle);
  let sum = 0;
  const batches: Record<string, number>[] = [];
  for (let from = 0, b = 0; from < data.n; from += batchSize, b++) {
    const size = Math.min(batchSize, data.n - from);
    const loss = runScoped('fit() batch', () => {
      const xs = data.xs.map((x, i) => rows(x, order, from, size, fit.inputShapes[i]));
      const y = rows(data.y, order, from, size, fit.outputShape);
      const cost = minimize(fit.optimizer, () => lossValue(fit, y, fit.apply(xs, true)), true)!;
      return cost.dataSync()[0];
    }, isTensor);
    if (!Number.isFinite(loss)) fail('fit()', `training diverged: the loss function gave ${loss} at epoch ${epoch + 1}, batch ${b}; try a smaller learning rate`);
    sum += loss * size;
    if (perBatch) batches.push({ batch: b, size, loss });
  }
  return { loss: sum / data.n, ...(perBatch ? { batches } : {}) };
}

/** The mean loss over data in inference mode (evaluate(), val_loss), in batches. */
export function functionLossEvaluate(fit: FunctionLossFit, data: FunctionLossData, batchSize: number): number {
  const order = permutation(data.n, 0, 0, false);
  let sum = 0;
  for (let from = 0; from < data.n; from += batchSize) {
    const size = Math.min(batchSize, data.n - from);
    sum += runScoped('evaluate() batch', () => {
      const xs = data.xs.map((x, i) => rows(x, order, from, size, fit.inputShapes[i]));
      const y = rows(data.y, order, from, size, fit.outputShape);
      return lossValue(fit, y, fit.apply(xs, false)).dataSync()[0];
    }, isTensor) * size;
  }
  return sum / data.n;
}
