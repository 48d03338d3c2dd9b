// The TF.js tensor guide ("Tensors and operations", tensorflow.org/js/guide/tensors_operations)
// as its readers type it: one program, run unchanged on nnplay and on TF.js 4.22 (only the
// library differs), printing the same text and returning the same values.
import * as tf from '@tensorflow/tfjs';
import * as nn from 'nnplay';
import { beforeAll, expect, test } from 'vitest';

beforeAll(async () => {
  await nn.ready();
  await tf.setBackend('cpu');
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function guide(tf: any): Promise<string[]> {
  const out: string[] = [];
  const log = (...args: unknown[]) => out.push(args.map(String).join(' '));
  const realLog = console.log;
  console.log = log; // print() writes through console.log on both
  try {
    // Creating tensors
    const a = tf.tensor([[1, 2], [3, 4]]);
    log('shape:', a.shape);
    a.print();
    const shape = [2, 2];
    const b = tf.tensor([1, 2, 3, 4], shape);
    log('shape:', b.shape);
    b.print();
    const c = tf.tensor([[1, 2], [3, 4]], [2, 2], 'int32');
    log('dtype', c.dtype);
    c.print();
    // Reshaping
    const d = a.reshape([4, 1]);
    log('d shape:', d.shape);
    // Values
    log(JSON.stringify(await a.array()));
    log(Array.from(await a.data()).join(','));
    log(JSON.stringify(a.arraySync()));
    // Operations
    const x = tf.tensor([1, 2, 3, 4]);
    const y = x.square();
    y.print();
    const e = tf.tensor([1, 2, 3, 4]);
    const f = tf.tensor([10, 20, 30, 40]);
    const y2 = e.add(f);
    y2.print();
    // Memory
    const g = tf.tensor([[1, 2], [3, 4]]);
    g.dispose();
    tf.dispose(g);
    const h = tf.tensor([1, 2]);
    const z = tf.tidy(() => {
      const result = h.square().log().neg();
      return result;
    });
    z.print();
    log('numTensors (outside tidy):', tf.memory().numTensors);
    // More of the API reference a tutorial reaches for
    const logits = tf.tensor2d([[2, 1, 0.1], [0.5, 2.5, 0.2]]);
    tf.softmax(logits).print();
    logits.argMax(-1).print();
    tf.oneHot(tf.tensor1d([0, 2], 'int32'), 3).print();
    const { mean, variance } = tf.moments(logits, 0);
    mean.print();
    variance.print();
    tf.matMul(logits, logits, false, true).print();
    logits.sub(logits.min()).div(logits.max().sub(logits.min())).print();
    tf.concat([logits, logits], 0).slice([1, 0], [2, 2]).print();
    tf.stack([e, f]).transpose().print(true);
    tf.where(e.greater(2), e, f).print();
    tf.linspace(0, 1, 3).print();
    tf.dispose([a, b, c, d, x, y, e, f, y2, h, z, logits, mean, variance]);
    log('numTensors (end):', tf.memory().numTensors);
  } finally {
    console.log = realLog;
  }
  return out;
}

test('the tensor guide prints the same on nnplay and TF.js', async () => {
  const tfBase = tf.memory().numTensors;
  const nnBase = nn.memory().numTensors;
  const theirs = await guide(tf);
  const ours = await guide(nn);
  // numTensors lines: both counted from their own baseline.
  const rebase = (lines: string[], base: number) => lines.map((l) => l.replace(/(numTensors[^:]*: )(\d+)/, (_, p: string, n: string) => `${p}${Number(n) - base}`));
  expect(rebase(ours, nnBase)).toEqual(rebase(theirs, tfBase));
  expect(ours.length).toBe(26);
});
