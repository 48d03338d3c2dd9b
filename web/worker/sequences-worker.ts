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
// It is an object: SequencesWorker holds all state and is instantiated once by the entry at
// the bottom. Not a public API; the page talks to it through SequencesClient.
import { engineTables } from '../lib/engine-tables';
import type { NnplayModule } from '../lib/engine-module';
import { defaultWasmUrl } from '../lib/engine-url';
import { engine, readyFrom } from '../lib/memory';
import { Tensor } from '../lib/tensor';
import { SessionError, TrainingSession, stepMagnitudes } from '../lib/training-session';
import { loadEngineFromModule } from '../lib/wasm-loader';
import { type SequenceTaskData, loadSequenceTask } from './sequences-data';
import type { Dependence, FromSequencesWorker, SequenceModelSpec, SequenceTaskName, StateStrip, TaskInfo, ToSequencesWorker } from './sequences-protocol';
import { checkRestore, takeCheckpoint } from './checkpoint';
import type { EngineMessage } from './shared-engine';
import type { PingMessage, PongMessage } from './worker-link';

const SLICE_MS = 12;
const PROGRESS_MS = 50;
const EVAL_BATCH = 256;
// The prime every generated text continues (a fortune starts after '%\n').
const PRIME = '%\n';

interface Port {
  postMessage(message: unknown, options: { transfer: Transferable[] }): void;
}

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

function message(e: unknown): string {
  return e instanceof SessionError ? e.reason : e instanceof Error ? e.message.replace(/^nnplay: /, '') : String(e);
}

export class SequencesWorker {
  readonly #engine: NnplayModule;
  readonly #port: Port;
  readonly #data = new Map<SequenceTaskName, SequenceTaskData>();
  #loading: SequenceTaskName | null = null;
  #current: SequenceTaskData | null = null;

  #session: TrainingSession | null = null;
  #spec: SequenceModelSpec | null = null;
  #perStep = false;
  #trainId = 0;
  #testId = 0;
  #generation = 0;
  #batchSize = 32;
  #nextBatchSize = 32;
  #epochs = 1;

  #training = false;
  #epoch = 0;
  #stepInEpoch = 0;
  #epochSeconds = 0;
  #lossSum = 0;
  #accSum = 0;
  #samplesSum = 0;
  #msPerStep = 2;
  #lastProgress = 0;
  #tickScheduled = false;
  readonly #channel = new MessageChannel();

  constructor(mod: NnplayModule, port: Port) {
    this.#engine = mod;
    this.#port = port;
    this.#channel.port1.onmessage = () => {
      this.#tickScheduled = false;
      this.#guarded('training', () => this.#tick());
    };
    const tables = engineTables();
    this.#post({ type: 'ready', simd: mod.simdEnabled(), optimizers: tables.optimizers.map((o) => ({ name: o.name, learningRate: Number(o.defaults.learningRate) })) });
  }

  receive(m: ToSequencesWorker): void {
    const where = m.type === 'unroll' || m.type === 'generate' ? 'look' : m.type === 'build' || m.type === 'restore' ? 'model' : 'training';
    this.#guarded(where, () => this.#handle(m));
  }

  #post(m: FromSequencesWorker, transfer: Transferable[] = []): void {
    this.#port.postMessage(m, { transfer });
  }

  #guarded(where: 'data' | 'model' | 'training' | 'look', fn: () => void): void {
    try {
      fn();
    } catch (e) {
      if (where !== 'look') this.#training = false;
      this.#post({ type: 'error', message: message(e), where });
      if (where === 'training') this.#postProgress();
    }
  }

  #handle(m: ToSequencesWorker): void {
    switch (m.type) {
      case 'load':
        void this.#load(m.task);
        break;
      case 'build':
        this.#build(m.generation, m.model, m.batchSize, m.epochs);
        break;
      case 'train':
        if (this.#session && this.#epoch < this.#epochs) {
          this.#training = true;
          this.#schedule();
        }
        this.#postProgress();
        break;
      case 'pause':
        this.#training = false;
        this.#postProgress();
        this.#postCheckpoint();
        break;
      case 'checkpoint':
        this.#postCheckpoint();
        break;
      case 'restore':
        this.#restore(m.generation, m.weights, m.epoch, m.stepInEpoch);
        break;
      case 'setLearningRate':
        if (this.#spec) this.#spec.learningRate = m.learningRate;
        this.#session?.setLearningRate(m.learningRate);
        break;
      case 'setBatchSize':
        this.#nextBatchSize = m.batchSize;
        if (this.#stepInEpoch === 0) this.#batchSize = m.batchSize;
        break;
      case 'setEpochs':
        this.#epochs = m.epochs;
        if (this.#epoch >= this.#epochs) this.#training = false;
        this.#postProgress();
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

  async #load(task: SequenceTaskName): Promise<void> {
    const known = this.#data.get(task);
    if (known) {
      this.#use(known);
      return;
    }
    this.#loading = task;
    let data: SequenceTaskData;
    try {
      data = await loadSequenceTask(task, (loaded, total) => this.#post({ type: 'loadProgress', task, loaded, total }));
    } catch (e) {
      if (this.#loading === task) this.#loading = null;
      this.#post({ type: 'error', message: message(e).replace(/^datasets[^:]*: /, ''), where: 'data' });
      return;
    }
    this.#data.set(task, data);
    if (this.#loading === task) {
      this.#loading = null;
      this.#use(data);
    }
  }

  #use(data: SequenceTaskData): void {
    this.#training = false;
    this.#disposeSession();
    this.#current = data;
    this.#post({ type: 'task', info: data.info });
  }

  // ---------------------------------------------------------------- model

  #disposeSession(): void {
    this.#session?.dispose();
    this.#session = null;
  }

  #build(generation: number, spec: SequenceModelSpec, batchSize: number, epochs: number): void {
    this.#training = false;
    this.#disposeSession();
    this.#generation = generation;
    this.#epoch = 0;
    this.#stepInEpoch = 0;
    this.#resetEpochFigures();
    this.#batchSize = this.#nextBatchSize = batchSize;
    this.#epochs = epochs;
    this.#spec = { ...spec };
    const data = this.#current;
    if (!data) throw new Error('no task is loaded yet');
    const { info } = data;
    const perStep = predictsPerStep(data.train.ySteps !== null, spec);
    this.#perStep = perStep;
    const compileJson = JSON.stringify({
      optimizer: { name: spec.optimizer, learningRate: spec.learningRate },
      loss: lossOf(info),
      metrics: info.kind === 'regression' ? [] : ['accuracy'],
    });
    const session = new TrainingSession(this.#engine, JSON.stringify(sequenceSpec(info, spec, perStep)), compileJson);
    try {
      const xSize = info.steps * info.features;
      const ySize = perStep ? info.steps : info.kind === 'regression' ? info.outputs : 1;
      const load = (s: SequenceTaskData['train'], what: string) =>
        session.loadDataset({ x: s.x, y: perStep ? (s.ySteps as Float32Array) : s.yLast, n: s.n, xSize, ySize }, what);
      this.#trainId = load(data.train, 'loading the training sequences');
      this.#testId = load(data.test, 'loading the test sequences');
    } catch (e) {
      session.dispose();
      throw e;
    }
    this.#session = session;
    const params = session.weightsTable.reduce((s, w) => s + w.size, 0);
    const layers = session.nodes.filter((n) => n.type !== 'input').map((n) => ({ name: n.name, type: n.type, shape: [...n.shape] }));
    this.#post({ type: 'built', generation, params, perStep, layers });
    this.#postProgress();
  }

  #resetEpochFigures(): void {
    this.#epochSeconds = 0;
    this.#lossSum = 0;
    this.#accSum = 0;
    this.#samplesSum = 0;
  }

  #stepsPerEpoch(): number {
    return Math.max(1, Math.ceil((this.#current?.train.n ?? 0) / this.#batchSize));
  }

  // ---------------------------------------------------------------- training loop

  #schedule(): void {
    if (this.#tickScheduled) return;
    this.#tickScheduled = true;
    this.#channel.port2.postMessage(null);
  }

  #tick(): void {
    const session = this.#session;
    const data = this.#current;
    if (!this.#training || !session || !data) return;
    const start = performance.now();
    const n = data.train.n;
    while (this.#training && performance.now() - start < SLICE_MS) {
      const perEpoch = this.#stepsPerEpoch();
      const left = perEpoch - this.#stepInEpoch;
      const k = Math.max(1, Math.min(left, Math.floor(SLICE_MS / this.#msPerStep)));
      const t0 = performance.now();
      const logs = session.trainSteps(this.#trainId, k, this.#batchSize, true, 'training');
      const ms = performance.now() - t0;
      this.#msPerStep = 0.7 * this.#msPerStep + 0.3 * Math.max(0.01, ms / k);
      this.#epochSeconds += ms / 1000;
      const samples = Math.min(n, (this.#stepInEpoch + k) * this.#batchSize) - this.#stepInEpoch * this.#batchSize;
      this.#lossSum += (logs.loss ?? NaN) * samples;
      this.#accSum += (logs.acc ?? NaN) * samples;
      this.#samplesSum += samples;
      this.#stepInEpoch += k;
      if (this.#stepInEpoch >= perEpoch) this.#endEpoch();
    }
    if (performance.now() - this.#lastProgress >= PROGRESS_MS || !this.#training) this.#postProgress();
    if (this.#training) this.#schedule();
  }

  #endEpoch(): void {
    const session = this.#session;
    if (!session) return;
    this.#epoch++;
    this.#stepInEpoch = 0;
    const seconds = this.#epochSeconds;
    const trainLoss = this.#lossSum / this.#samplesSum;
    const trainAccuracy = this.#accSum / this.#samplesSum;
    this.#resetEpochFigures();
    this.#batchSize = this.#nextBatchSize;
    if (this.#epoch >= this.#epochs) this.#training = false;
    this.#evaluate(seconds, trainLoss, trainAccuracy, false);
    this.#postCheckpoint();
    if (!Number.isFinite(trainLoss)) {
      this.#training = false;
      throw new Error(`training diverged at epoch ${this.#epoch}: the loss became ${trainLoss}; try a smaller learning rate, then Reset`);
    }
  }

  /** Evaluates the test set and posts the figures (after an epoch, or a restore). */
  #evaluate(seconds: number, trainLoss: number, trainAccuracy: number, restored: boolean): void {
    const session = this.#session;
    if (!session) return;
    const logs = session.evaluate(this.#testId, EVAL_BATCH, 'evaluating the test sequences');
    this.#post({
      type: 'evaluation',
      evaluation: { generation: this.#generation, epoch: this.#epoch, seconds, trainLoss, trainAccuracy, testLoss: logs.loss ?? NaN, testAccuracy: logs.acc ?? NaN, restored },
    });
  }

  #postCheckpoint(): void {
    const checkpoint = takeCheckpoint(this.#session, this.#generation, this.#epoch, this.#stepInEpoch);
    if (checkpoint) this.#post({ type: 'checkpoint', checkpoint }, [checkpoint.weights.buffer]);
  }

  /**
   * A checkpoint's weights into the model just built from the same setup. The optimizer's
   * moments are not in a checkpoint: they start again, as after loading a saved Keras model's
   * weights; the position (epoch, step) carries on.
   */
  #restore(generation: number, weights: Float32Array, epoch: number, stepInEpoch: number): void {
    const session = this.#session;
    if (!session || generation !== this.#generation) return; // a newer build came first
    checkRestore(weights, epoch, stepInEpoch);
    session.setWeights(weights, 'restoring the saved model');
    this.#epoch = epoch;
    // The batch size may have changed since: a step past this epoch's end starts the next one.
    this.#stepInEpoch = stepInEpoch < this.#stepsPerEpoch() ? stepInEpoch : 0;
    this.#resetEpochFigures();
    if (this.#epoch >= this.#epochs) this.#training = false;
    this.#evaluate(0, NaN, NaN, true);
    this.#postProgress();
  }

  #postProgress(): void {
    this.#lastProgress = performance.now();
    const epoch = this.#epoch + this.#stepInEpoch / this.#stepsPerEpoch();
    const trainLoss = this.#samplesSum > 0 ? this.#lossSum / this.#samplesSum : NaN;
    this.#post({ type: 'progress', generation: this.#generation, epoch, epochs: this.#epochs, trainLoss, training: this.#training });
  }

  // ---------------------------------------------------------------- one sample, unrolled

  #unroll(requestId: number, index: number): void {
    const session = this.#session;
    const data = this.#current;
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
    this.#post({ type: 'unrolled', requestId, generation: this.#generation, index, input, inputText, strips, perStep: this.#perStep, prediction, target, dependence }, transfer);
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
    const session = this.#session;
    const data = this.#current;
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
    this.#post({ type: 'generated', requestId, generation: this.#generation, text: generated, hidden }, hidden.map((h) => h.values.buffer));
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

const scope = globalThis as unknown as DedicatedWorkerGlobalScope;
if (typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope !== 'undefined') {
  let started: Promise<SequencesWorker | null> | null = null;
  const start = (compiled: WebAssembly.Module | null, url: URL | string = defaultWasmUrl) => {
    if (compiled) void loadEngineFromModule(compiled, url).catch(() => {}); // readyFrom reports failures
    return readyFrom(url).then(
      () => new SequencesWorker(engine(), scope),
      (e: unknown) => {
        scope.postMessage({ type: 'error', message: `Could not start the engine: ${message(e)}`, where: 'training' } satisfies FromSequencesWorker);
        return null;
      },
    );
  };
  scope.onmessage = (event: MessageEvent<ToSequencesWorker | EngineMessage | PingMessage>) => {
    const m = event.data;
    if (m.type === 'engine') {
      started ??= start(m.module, m.url);
      return;
    }
    if (m.type === 'ping') {
      scope.postMessage({ type: 'pong', id: m.id } satisfies PongMessage);
      return;
    }
    started ??= start(null);
    void started.then((w) => w?.receive(m));
  };
}
