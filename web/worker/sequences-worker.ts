// The Sequences mode's worker (a module worker): loads a sequence task, drives one
// TrainingSession over it (training in slices of a few milliseconds, progress at display rate,
// the test set evaluated after each epoch), unrolls the network over one chosen test sample (the
// engine's per-step state payloads: h of every recurrent layer, c and the gates of an LSTM, z/r/h̃
// of a GRU) and, for the text task, generates text with the library's sampler.
//
// The model: `layers` recurrent layers of `cell` (each wrapped in bidirectional when asked), then
// a dense output layer. Where the task has a target after every step (sequences-data.ts: sine,
// sumOfSines, parity, counting, text) and the model reads one way, every recurrent layer returns
// its sequence and the dense layer predicts at every step (the page shows the prediction per
// step; the class tasks train with a class index per step). A bidirectional model reads the
// future too, so it would see those targets: it predicts only after the last step (see
// predictsPerStep), as do the tasks with one answer per sequence (adding, MNIST rows).
//
// It is an object: SequencesWorker adds the tasks, the recurrent model, unrolling and text to
// ModeWorker (mode-worker.ts: the training loop, checkpoints, restore) and is instantiated once
// by the entry at the bottom. Not a public API; the page talks to it through SequencesClient.
import { engineTables } from '../lib/engine-tables';
import type { NnplayModule } from '../lib/engine-module';
import { Tensor } from '../lib/tensor';
import { type TrainingSession, stepMagnitudes } from '../lib/training-session';
import { EVAL_BATCH, ModeWorker, type WorkerPort, startModeWorker } from './mode-worker';
import { type SequenceTaskData, loadSequenceTask } from './sequences-data';
import type { Dependence, FromSequencesWorker, SequenceModelSpec, SequenceTaskName, StateStrip, TaskInfo, ToSequencesWorker } from './sequences-protocol';

// The prime every generated text continues (a fortune starts after '%\n').
const PRIME = '%\n';

/** Whether a model of `spec` predicts after every step: when the task has a target
 *  per step (a value, a probability, or a class index: sparseCategoricalCrossentropy over
 *  [steps, classes]) and the model reads one way. */
export function predictsPerStep(hasStepTargets: boolean, spec: Pick<SequenceModelSpec, 'bidirectional'>): boolean {
  return hasStepTargets && !spec.bidirectional;
}

/** The engine's graph spec (v2) of the model: recurrent layers named as a Sequential names them. */
export function sequenceSpec(info: TaskInfo, spec: SequenceModelSpec, perStep: boolean): Record<string, unknown> {
  const graph: { name: string; type: string; config: Record<string, unknown>; inbound?: string[][] }[] = [
    { name: 'input', type: 'input', config: { shape: [info.steps, info.features] } },
  ];
  let before = 'input';
  for (let l = 1; l <= spec.layers; l++) {
    const returnSequences = perStep || l < spec.layers;
    const name = spec.bidirectional ? `bidirectional_${l}` : `${spec.cell}_${l}`;
    const config = spec.bidirectional
      ? { layer: spec.cell, mergeMode: 'concat', units: spec.units, returnSequences }
      : { units: spec.units, returnSequences };
    graph.push({ name, type: spec.bidirectional ? 'bidirectional' : spec.cell, config, inbound: [[before]] });
    before = name;
  }
  const activation = info.kind === 'regression' ? 'linear' : info.kind === 'binary' ? 'sigmoid' : 'softmax';
  graph.push({ name: 'dense_1', type: 'dense', config: { units: info.outputs, activation }, inbound: [[before]] });
  return { format: 'nnplay-graph', seed: spec.seed, layers: graph, inputs: ['input'], outputs: ['dense_1'] };
}

export function lossOf(info: TaskInfo): string {
  return info.kind === 'regression' ? 'meanSquaredError' : info.kind === 'binary' ? 'binaryCrossentropy' : 'sparseCategoricalCrossentropy';
}

const GATE_NAMES: Record<string, string[]> = {
  lstm: ['i (input gate)', 'f (forget gate)', 'c̃ (candidate)', 'o (output gate)'],
  gru: ['z (update gate)', 'r (reset gate)', 'h̃ (candidate)'],
};

export class SequencesWorker extends ModeWorker<SequenceTaskName, SequenceTaskData, ToSequencesWorker, FromSequencesWorker> {
  #spec: SequenceModelSpec | null = null;
  #perStep = false;

  constructor(mod: NnplayModule, port: WorkerPort) {
    super(mod, port);
    const tables = engineTables();
    this.post({ type: 'ready', simd: mod.simdEnabled(), optimizers: tables.optimizers.map((o) => ({ name: o.name, learningRate: Number(o.defaults.learningRate) })) });
  }

  protected isLook(m: ToSequencesWorker): boolean {
    return m.type === 'unroll' || m.type === 'generate';
  }

  protected handle(m: ToSequencesWorker): void {
    switch (m.type) {
      case 'load':
        void this.load(m.task);
        break;
      case 'build':
        this.#build(m.generation, m.model, m.batchSize, m.epochs);
        break;
      case 'unroll':
        this.#unroll(m.requestId, m.index);
        break;
      case 'generate':
        this.#generate(m.requestId, m.temperature, m.length, m.seed);
        break;
    }
  }

  // ---------------------------------------------------------------- data

  protected fetchData(task: SequenceTaskName, onProgress: (loaded: number, total: number) => void): Promise<SequenceTaskData> {
    return loadSequenceTask(task, onProgress);
  }

  protected loadProgress(task: SequenceTaskName, loaded: number, total: number): void {
    this.post({ type: 'loadProgress', task, loaded, total });
  }

  protected announceData(data: SequenceTaskData): void {
    this.post({ type: 'task', info: data.info });
  }

  protected trainingSamples(data: SequenceTaskData): number {
    return data.train.n;
  }

  // ---------------------------------------------------------------- model

  #build(generation: number, spec: SequenceModelSpec, batchSize: number, epochs: number): void {
    const data = this.beginBuild(generation, batchSize, epochs, 'task');
    this.#spec = { ...spec };
    const { info } = data;
    const perStep = predictsPerStep(data.train.ySteps !== null, spec);
    this.#perStep = perStep;
    const compile = {
      optimizer: { name: spec.optimizer, learningRate: spec.learningRate },
      loss: lossOf(info),
      metrics: info.kind === 'regression' ? [] : ['accuracy'],
    };
    const session = this.openSession(sequenceSpec(info, spec, perStep), compile, (session) => {
      const xSize = info.steps * info.features;
      const ySize = perStep ? info.steps : info.kind === 'regression' ? info.outputs : 1;
      const load = (s: SequenceTaskData['train'], what: string) =>
        session.loadDataset({ x: s.x, y: perStep ? (s.ySteps as Float32Array) : s.yLast, n: s.n, xSize, ySize }, what);
      return { trainId: load(data.train, 'loading the training sequences'), testId: load(data.test, 'loading the test sequences') };
    });
    const params = session.weightsTable.reduce((s, w) => s + w.size, 0);
    const layers = session.nodes.filter((n) => n.type !== 'input').map((n) => ({ name: n.name, type: n.type, shape: [...n.shape] }));
    this.post({ type: 'built', generation, params, perStep, layers });
    this.postProgress();
  }

  /** Evaluates the test set and posts the figures (after an epoch, or a restore). */
  protected evaluate(seconds: number, trainLoss: number, trainAccuracy: number, restored: boolean): void {
    const session = this.session;
    if (!session) return;
    const logs = session.evaluate(this.testId, EVAL_BATCH, 'evaluating the test sequences');
    this.post({
      type: 'evaluation',
      evaluation: { generation: this.generation, epoch: this.epoch, seconds, trainLoss, trainAccuracy, testLoss: logs.loss ?? NaN, testAccuracy: logs.acc ?? NaN, restored },
    });
  }

  // ---------------------------------------------------------------- one sample, unrolled

  #unroll(requestId: number, index: number): void {
    const session = this.session;
    const data = this.data;
    if (!session || !data) throw new Error('there is no model yet to unroll');
    const { info, test } = data;
    if (!Number.isInteger(index) || index < 0 || index >= test.n) throw new Error(`test sample ${index} does not exist; the test set has ${test.n}`);
    const xSize = info.steps * info.features;
    const input = test.x.slice(index * xSize, (index + 1) * xSize);
    const recurrent = session.nodes.map((n, i) => ({ n, i })).filter(({ n }) => n.states.length > 0);
    const names = recurrent.flatMap(({ n }) => n.states.map((s) => `${n.name}:${s.name}`));
    const output = session.nodes.length - 1;
    const id = session.loadDataset({ x: input, y: null, n: 1, xSize, ySize: 0 }, 'the chosen test sample');
    let payloads;
    let dependence: Dependence;
    try {
      payloads = session.predict(id, [...names, output], 'the chosen test sample');
      dependence = this.#dependence(session, id, info, payloads[payloads.length - 1].values);
    } finally {
      session.freeDataset(id);
    }
    const strips: StateStrip[] = [];
    const cell = this.#spec?.cell ?? 'lstm';
    for (const p of payloads.slice(0, names.length)) {
      const [layer, state] = p.name.split(':');
      const [, steps, width] = p.shape;
      // A backward layer's steps are in its processing order: put them back in time order so
      // every column lines up with the input step it read.
      const backward = state.startsWith('backward_');
      const values = backward ? reverseSteps(p.values, steps, width) : p.values;
      const base = state.replace(/^(forward|backward)_/, '');
      const dir = state.startsWith('forward_') ? ' forward' : backward ? ' backward' : '';
      if (base === 'gates') {
        const gates = GATE_NAMES[cell] ?? [];
        const units = width / Math.max(1, gates.length);
        gates.forEach((g, k) => strips.push({ label: `${layer}${dir} · ${g}`, layer, state: `${state}.${k}`, steps, units, values: columns(values, steps, width, k * units, units) }));
      } else {
        strips.push({ label: `${layer}${dir} · ${base === 'c' ? 'c (cell state)' : 'h'}`, layer, state, steps, units: width, values: values.slice() });
      }
    }
    const prediction = payloads[payloads.length - 1].values.slice();
    const target = this.#perStep && test.ySteps
      ? test.ySteps.slice(index * info.steps, (index + 1) * info.steps)
      : info.kind === 'regression' ? test.yLast.slice(index * info.outputs, (index + 1) * info.outputs) : test.yLast.slice(index, index + 1);
    let inputText: string | null = null;
    if (data.text) {
      const ids = Array.from({ length: info.steps }, (_, t) => input.subarray(t * info.features, (t + 1) * info.features).indexOf(1));
      inputText = data.text.decode(ids);
    }
    const transfer = [input.buffer, prediction.buffer, target.buffer, dependence.magnitudes.buffer, ...strips.map((s) => s.values.buffer)];
    this.post({ type: 'unrolled', requestId, generation: this.generation, index, input, inputText, strips, perStep: this.#perStep, prediction, target, dependence }, transfer);
  }

  /** How strongly each input step moves the last output of sample 0 of dataset `id` (the
   *  engine's input gradient, |·| summed over the step's features). The last output: the
   *  predicted class's probability, the probability (binary) or the value (regression), after
   *  the last step. */
  #dependence(session: TrainingSession, id: number, info: TaskInfo, prediction: Float32Array): Dependence {
    const perOutput = this.#perStep ? prediction.length / info.steps : prediction.length;
    const last = prediction.length - perOutput;
    let unit = last;
    if (info.kind === 'classes') {
      for (let c = 1; c < perOutput; c++) if (prediction[last + c] > prediction[unit]) unit = last + c;
    }
    const what = info.kind === 'classes' ? `p(class ${info.vocab ? JSON.stringify(info.vocab[unit - last] ?? '?') : unit - last})` : info.kind === 'binary' ? 'the predicted probability' : 'the predicted value';
    const [gradient] = session.inputGradients(id, 0, unit, 0, 'the chosen test sample');
    return { unit, output: `${what} after the last step`, magnitudes: stepMagnitudes(gradient, info.steps, info.features) };
  }

  // ---------------------------------------------------------------- text

  #generate(requestId: number, temperature: number, length: number, seed: number): void {
    const session = this.session;
    const data = this.data;
    if (!session || !data?.text) throw new Error('text is generated by a model of the text task');
    if (!Number.isInteger(length) || length < 1 || length > 2000) throw new Error(`length must be a whole number from 1 to 2000, got ${length}`);
    const set = data.text;
    const vocab = set.vocabSize;
    // The library's sampler drives the model through predict(); the next-character
    // distribution is the output after the window's last step.
    const model = {
      predict: (x: Tensor): Tensor => {
        const out = session.predictRows(x.values(), 1, 'generating text');
        return new Tensor(out.slice(out.length - vocab), [1, vocab]);
      },
    };
    const generated = set.sample(model, { prime: PRIME, length, temperature, seed });
    // h of every recurrent layer just after it read each generated character (the window
    // ending at that character): what the page colours the character by.
    const steps = data.info.steps;
    const xSize = steps * data.info.features;
    const x = new Float32Array(length * xSize);
    for (let i = 0; i < length; i++) {
      const w = set.window(PRIME + generated.slice(0, i + 1));
      x.set(w.values(), i * xSize);
      w.dispose();
    }
    const recurrent = session.nodes.filter((n) => n.states.length > 0);
    const names = recurrent.map((n) => `${n.name}:${n.states.some((s) => s.name === 'h') ? 'h' : 'forward_h'}`);
    const id = session.loadDataset({ x, y: null, n: length, xSize, ySize: 0 }, 'the generated text');
    let payloads;
    try {
      payloads = session.predict(id, names, 'the generated text');
    } finally {
      session.freeDataset(id);
    }
    const hidden = payloads.map((p) => {
      const units = p.shape[2];
      const values = new Float32Array(length * units);
      for (let i = 0; i < length; i++) values.set(p.values.subarray((i * steps + steps - 1) * units, (i * steps + steps) * units), i * units);
      return { layer: p.name, units, values };
    });
    this.post({ type: 'generated', requestId, generation: this.generation, text: generated, hidden }, hidden.map((h) => h.values.buffer));
  }
}

/** [steps, width] with its steps in reverse order. */
function reverseSteps(values: Float32Array, steps: number, width: number): Float32Array {
  const out = new Float32Array(values.length);
  for (let t = 0; t < steps; t++) out.set(values.subarray(t * width, (t + 1) * width), (steps - 1 - t) * width);
  return out;
}

/** Columns [from, from + count) of [steps, width]. */
function columns(values: Float32Array, steps: number, width: number, from: number, count: number): Float32Array {
  const out = new Float32Array(steps * count);
  for (let t = 0; t < steps; t++) out.set(values.subarray(t * width + from, t * width + from + count), t * count);
  return out;
}

// ---------------------------------------------------------------- entry

startModeWorker<ToSequencesWorker>((mod, port) => new SequencesWorker(mod, port));
