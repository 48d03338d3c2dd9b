// The sequence tasks as the Sequences worker uses them: the library's nn.datasets generators and
// loaders (sequence-datasets.ts), kept as flat float arrays the worker loads into the engine,
// with two sets of targets: after the last step (what the library gives) and, where a task has
// one, a target after every step, for a model that predicts at every step (so the page can show
// the prediction per step):
//   sine, sumOfSines: the next value of the wave (x[t + 1]; after the last step, y);
//   parity, counting: the parity / count so far (the library's everyStep targets);
//   text: the next character (the id of x[t + 1]; after the last step, y).
// adding and mnistRows have an answer only after the whole sequence.
import { adding, counting, mnistRows, parity, sine, sumOfSines, text } from '../lib/sequence-datasets';
import type { SequenceDataset, TextDataset } from '../lib/sequence-datasets';
import type { Tensor } from '../lib/tensor';
import type { SequenceTaskName, TaskInfo } from './sequences-protocol';

export interface SequenceSplitData {
  x: Float32Array; // [n, steps, features]
  yLast: Float32Array; // [n, outputs] (regression, binary) or [n] class ids
  ySteps: Float32Array | null; // [n, steps] (one value or class id per step)
  n: number;
}

export interface SequenceTaskData {
  info: TaskInfo;
  train: SequenceSplitData;
  test: SequenceSplitData;
  /** Text: the library's dataset (encode, window, sample). */
  text: TextDataset | null;
}

// Sizes that train in seconds here (the library's defaults otherwise).
const GENERATED = { numTrain: 1000, numTest: 200, seed: 7 };

function take(t: Tensor): Float32Array {
  const v = t.dataSync() as Float32Array;
  t.dispose();
  return v;
}

export async function loadSequenceTask(task: SequenceTaskName, onProgress: (loaded: number, total: number) => void): Promise<SequenceTaskData> {
  let d: SequenceDataset;
  let textSet: TextDataset | null = null;
  let source = 'generated from a seed by the engine (engine/data/sequences.cpp)';
  switch (task) {
    case 'sine':
      d = sine({ ...GENERATED, steps: 40 });
      break;
    case 'sumOfSines':
      d = sumOfSines({ ...GENERATED, steps: 40 });
      break;
    case 'adding':
      d = adding({ ...GENERATED, numTrain: 2000, steps: 30 });
      break;
    case 'parity':
      d = parity({ ...GENERATED, steps: 12, everyStep: true });
      break;
    case 'counting':
      d = counting({ ...GENERATED, steps: 12, everyStep: true });
      break;
    case 'mnistRows': {
      const m = await mnistRows({ onProgress });
      source = 'MNIST (nn.datasets.mnist: 8,000 train, 2,000 test), each row of pixels one step';
      // The rows share the images' values: copy them out (finish), then free the images too.
      const out = finish(task, m, null, source);
      for (const s of [m.images.train, m.images.test]) {
        s.xs.dispose();
        s.ys.dispose();
      }
      return out;
    }
    case 'text':
      textSet = await text({ seqLength: 40, onProgress });
      d = textSet;
      source = `${textSet.source} (${textSet.licence})`;
      break;
  }
  return finish(task, d, textSet, source);
}

function finish(task: SequenceTaskName, d: SequenceDataset, textSet: TextDataset | null, source: string): SequenceTaskData {
  const { steps, features } = d;
  const kind: TaskInfo['kind'] = d.loss === 'meanSquaredError' ? 'regression' : d.loss === 'binaryCrossentropy' ? 'binary' : 'classes';
  const split = (s: SequenceDataset['train']): SequenceSplitData => {
    const n = s.n;
    const x = take(s.xs);
    const y = take(s.ys);
    let yLast: Float32Array;
    let ySteps: Float32Array | null = null;
    if (task === 'parity' || task === 'counting') {
      // everyStep targets [n, steps]: the answer for the whole string is the last one.
      ySteps = y;
      yLast = Float32Array.from({ length: n }, (_, i) => y[i * steps + steps - 1]);
    } else if (task === 'sine' || task === 'sumOfSines' || task === 'text') {
      yLast = y;
      ySteps = new Float32Array(n * steps);
      for (let i = 0; i < n; i++) {
        for (let t = 0; t + 1 < steps; t++) {
          const next = x.subarray((i * steps + t + 1) * features, (i * steps + t + 2) * features);
          // Sine: the one value; text: the id of the one-hot character.
          ySteps[i * steps + t] = features === 1 ? next[0] : next.indexOf(1);
        }
        ySteps[i * steps + steps - 1] = y[i];
      }
    } else {
      yLast = y;
    }
    return { x, yLast, ySteps, n };
  };
  const train = split(d.train);
  const test = split(d.test);
  const info: TaskInfo = {
    task,
    steps,
    features,
    outputs: kind === 'regression' ? 1 : d.outputs,
    kind,
    numTrain: train.n,
    numTest: test.n,
    vocab: textSet ? [...textSet.vocab] : null,
    source,
  };
  return { info, train, test, text: textSet };
}
