// The Images mode's worker (a module worker): loads an image dataset, answers the stack editor
// with the engine's shapes and parameter counts, and drives one TrainingSession: training runs
// in slices of a few milliseconds (so pause, a new learning rate or a look at an image are
// handled promptly), progress is posted at display rate, and after each epoch the test set is
// evaluated (loss, accuracy, every prediction and the confusion matrix). A "look" request runs
// one image through the model and answers with every node's values (the inside view's snapshot).
//
// It is an object: ImagesWorker holds all state and is instantiated once by the entry at the
// bottom. Not a public API; the page talks to it through ImagesClient (images-client.ts).
import { engineTables, inspect } from '../lib/engine-tables';
import type { NnplayModule } from '../lib/engine-module';
import { defaultWasmUrl } from '../lib/engine-url';
import { engine, readyFrom } from '../lib/memory';
import { SessionError, TrainingSession } from '../lib/training-session';
import { loadEngineFromModule } from '../lib/wasm-loader';
import { type ImageData, loadImageData } from './images-data';
import type { FromImagesWorker, ImageCompile, ImageDatasetName, ImageLayer, ImageSource, InsideSnapshot, ToImagesWorker } from './images-protocol';
import { checkRestore, takeCheckpoint } from './checkpoint';
import type { EngineMessage } from './shared-engine';
import type { PingMessage, PongMessage } from './worker-link';

/** Every image is 28×28 grey: the input shape of every stack. */
export const IMAGE_SHAPE = [28, 28, 1] as const;
const PIXELS = 28 * 28;
// Training runs in slices this long, so a message waits at most about this much.
const SLICE_MS = 12;
// Progress is posted this often while training.
const PROGRESS_MS = 50;
// Evaluation batch: large batches are fastest, and the test set is evaluated in one call.
const EVAL_BATCH = 256;

interface Port {
  postMessage(message: unknown, options: { transfer: Transferable[] }): void;
}

/** A loaded dataset as the worker keeps it: the raw pixels, loaded into each model's session
 *  as bytes (the engine makes the floats) and drawn by the page. */
interface Data {
  name: ImageDatasetName;
  raw: ImageData;
}

/** The engine's config keys for one editor layer (only the keys its type reads). */
export function layerConfig(layer: ImageLayer): Record<string, unknown> {
  switch (layer.type) {
    case 'conv2d':
      return { filters: layer.filters, kernelSize: layer.kernelSize, strides: layer.strides, padding: layer.padding, activation: layer.activation };
    case 'maxPooling2d':
    case 'averagePooling2d':
      return { poolSize: layer.poolSize, strides: layer.strides, padding: layer.padding };
    case 'dropout':
      return { rate: layer.rate };
    case 'dense':
      return { units: layer.units, activation: layer.activation };
    default:
      return {};
  }
}

/**
 * The stack as the engine's graph spec (v2): a chain from a [28, 28, 1] input, each layer named
 * `<type>_<position>` as a Sequential names them, so the engine's messages name the layer the
 * editor shows at that position.
 */
export function stackSpec(layers: readonly ImageLayer[], seed: number): Record<string, unknown> {
  const graph: { name: string; type: string; config: Record<string, unknown>; inbound?: string[][] }[] = [
    { name: 'input', type: 'input', config: { shape: [...IMAGE_SHAPE] } },
  ];
  let before = 'input';
  layers.forEach((layer, i) => {
    const name = `${layer.type}_${i + 1}`;
    graph.push({ name, type: layer.type, config: layerConfig(layer), inbound: [[before]] });
    before = name;
  });
  return { format: 'nnplay-graph', seed, layers: graph, inputs: ['input'], outputs: [before] };
}

function message(e: unknown): string {
  return e instanceof SessionError ? e.reason : e instanceof Error ? e.message.replace(/^nnplay: /, '') : String(e);
}

export class ImagesWorker {
  readonly #engine: NnplayModule;
  readonly #port: Port;
  readonly #data = new Map<ImageDatasetName, Data>();
  #loading: ImageDatasetName | null = null;
  #current: Data | null = null;

  #session: TrainingSession | null = null;
  #trainId = 0;
  #testId = 0;
  #generation = 0;
  #compile: ImageCompile | null = null;
  #batchSize = 32;
  #nextBatchSize = 32;
  #epochs = 1;

  // Training position and the running figures of the current epoch.
  #training = false;
  #epoch = 0;
  #stepInEpoch = 0;
  #epochSeconds = 0; // training time of the current epoch so far
  #lossSum = 0;
  #accSum = 0;
  #samplesSum = 0;
  #msPerStep = 2;
  #lastProgress = 0;
  #tickScheduled = false;
  #kernelCache: { steps: number; kernel: InsideSnapshot['firstConvKernel'] } | null = null;
  readonly #channel = new MessageChannel();

  constructor(mod: NnplayModule, port: Port) {
    this.#engine = mod;
    this.#port = port;
    this.#channel.port1.onmessage = () => {
      this.#tickScheduled = false;
      this.#guarded('training', () => this.#tick());
    };
    const tables = engineTables();
    this.#post({
      type: 'ready',
      simd: mod.simdEnabled(),
      activations: tables.activations.map((a) => a.name),
      optimizers: tables.optimizers.map((o) => ({ name: o.name, learningRate: Number(o.defaults.learningRate) })),
    });
  }

  receive(m: ToImagesWorker): void {
    this.#guarded(m.type === 'look' ? 'look' : m.type === 'build' || m.type === 'restore' ? 'model' : 'training', () => this.#handle(m));
  }

  #post(m: FromImagesWorker, transfer: Transferable[] = []): void {
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

  #handle(m: ToImagesWorker): void {
    switch (m.type) {
      case 'inspect':
        this.#inspect(m.requestId, m.layers);
        break;
      case 'load':
        void this.#load(m.dataset);
        break;
      case 'build':
        this.#build(m.generation, m.layers, m.compile, m.batchSize, m.epochs, m.seed);
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
        if (this.#compile) this.#compile.learningRate = m.learningRate;
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
      case 'look':
        this.#look(m.requestId, m.source);
        break;
    }
  }

  // ---------------------------------------------------------------- shapes

  /** The engine's inspection of the stack; when it does not fit, the first layer that fails. */
  #inspect(requestId: number, layers: ImageLayer[]): void {
    const answer = (inspected: ReturnType<typeof inspect> | null, error: { layer: number | null; message: string } | null) =>
      this.#post({
        type: 'inspection',
        requestId,
        layers: (inspected?.layers ?? []).filter((l) => l.type !== 'input').map((l) => ({ name: l.name, type: l.type, outputShape: l.outputShape, params: l.params })),
        totalParams: inspected?.totalParams ?? 0,
        error,
      });
    if (layers.length === 0) {
      answer(null, { layer: null, message: 'The stack is empty: add layers, ending with dense (10 units, softmax).' });
      return;
    }
    let full: ReturnType<typeof inspect> | null = null;
    try {
      full = inspect(stackSpec(layers, 1), 'layers');
    } catch (e) {
      // The longest prefix that fits, so the editor shows shapes up to the failing layer and
      // names it; the engine's message says why.
      let fits: ReturnType<typeof inspect> | null = null;
      let failing = layers.length - 1;
      for (let k = 1; k < layers.length; k++) {
        try {
          fits = inspect(stackSpec(layers.slice(0, k), 1), 'layers');
        } catch {
          failing = k - 1;
          break;
        }
      }
      answer(fits && failing > 0 ? fits : null, { layer: failing, message: message(e).replace(/^layers: /, '') });
      return;
    }
    const last = layers[layers.length - 1];
    const out = full.layers[full.layers.length - 1].outputShape;
    if (last.type !== 'dense' || last.activation !== 'softmax' || out.length !== 1 || out[0] !== 10) {
      answer(full, {
        layer: layers.length - 1,
        message: `the last layer gives [${out.join(', ')}]; it must give the 10 class probabilities: dense with 10 units and activation softmax`,
      });
      return;
    }
    answer(full, null);
  }

  // ---------------------------------------------------------------- data

  async #load(name: ImageDatasetName): Promise<void> {
    const known = this.#data.get(name);
    if (known) {
      this.#use(known);
      return;
    }
    this.#loading = name;
    let raw: ImageData;
    try {
      raw = await loadImageData(name, (loaded, total) => this.#post({ type: 'loadProgress', dataset: name, loaded, total }));
    } catch (e) {
      if (this.#loading === name) this.#loading = null;
      this.#post({ type: 'error', message: message(e).replace(/^datasets[^:]*: /, ''), where: 'data' });
      return;
    }
    const data: Data = { name, raw };
    this.#data.set(name, data);
    // A later request for another dataset wins; this one stays in memory for a switch back.
    if (this.#loading === name) {
      this.#loading = null;
      this.#use(data);
    }
  }

  #use(data: Data): void {
    this.#training = false;
    this.#disposeSession();
    this.#current = data;
    const { raw } = data;
    const testImages = raw.test.images.slice();
    const testLabels = raw.test.labels.slice();
    this.#post(
      { type: 'dataset', dataset: data.name, classNames: raw.classNames, numTrain: raw.train.n, numTest: raw.test.n, testImages, testLabels },
      [testImages.buffer, testLabels.buffer],
    );
  }

  // ---------------------------------------------------------------- model

  #disposeSession(): void {
    this.#session?.dispose();
    this.#session = null;
    this.#kernelCache = null;
  }

  #build(generation: number, layers: ImageLayer[], compile: ImageCompile, batchSize: number, epochs: number, seed: number): void {
    this.#training = false;
    this.#disposeSession();
    this.#generation = generation;
    this.#epoch = 0;
    this.#stepInEpoch = 0;
    this.#resetEpochFigures();
    this.#batchSize = this.#nextBatchSize = batchSize;
    this.#epochs = epochs;
    this.#compile = { ...compile };
    const data = this.#current;
    if (!data) throw new Error('no dataset is loaded yet');
    const compileJson = JSON.stringify({
      optimizer: { name: compile.optimizer, learningRate: compile.learningRate },
      loss: 'sparseCategoricalCrossentropy',
      metrics: ['accuracy'],
    });
    const session = new TrainingSession(this.#engine, JSON.stringify(stackSpec(layers, seed)), compileJson);
    try {
      const k = data.raw.classNames.length;
      const split = (s: ImageData['train']) => ({ images: s.images, labels: s.labels, n: s.n, height: 28, width: 28, numClasses: k });
      this.#trainId = session.loadImages(split(data.raw.train), 'loading the training images');
      this.#testId = session.loadImages(split(data.raw.test), 'loading the test images');
    } catch (e) {
      session.dispose();
      throw e;
    }
    this.#session = session;
    const params = session.weightsTable.reduce((s, w) => s + w.size, 0);
    this.#post({ type: 'built', generation, params });
    this.#postProgress();
  }

  #resetEpochFigures(): void {
    this.#epochSeconds = 0;
    this.#lossSum = 0;
    this.#accSum = 0;
    this.#samplesSum = 0;
  }

  #stepsPerEpoch(): number {
    return Math.max(1, Math.ceil((this.#current?.raw.train.n ?? 0) / this.#batchSize));
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
    const n = data.raw.train.n;
    while (this.#training && performance.now() - start < SLICE_MS) {
      const perEpoch = this.#stepsPerEpoch();
      const left = perEpoch - this.#stepInEpoch;
      const k = Math.max(1, Math.min(left, Math.floor(SLICE_MS / this.#msPerStep)));
      const t0 = performance.now();
      const logs = session.trainSteps(this.#trainId, k, this.#batchSize, true, 'training');
      const ms = performance.now() - t0;
      this.#msPerStep = 0.7 * this.#msPerStep + 0.3 * Math.max(0.01, ms / k);
      this.#epochSeconds += ms / 1000;
      // Mean figures over the k steps, weighted by their samples (the last batch is smaller).
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
    const data = this.#current;
    if (!session || !data) return;
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

  /** Evaluates the test set and posts every figure the page shows (after an epoch, or a restore). */
  #evaluate(seconds: number, trainLoss: number, trainAccuracy: number, restored: boolean): void {
    const session = this.#session;
    const data = this.#current;
    if (!session || !data) return;
    const n = data.raw.test.n;
    const logs = session.evaluate(this.#testId, EVAL_BATCH, 'evaluating the test images');
    const probs = session.predictOutput(this.#testId, n, 'predicting the test images');
    const k = data.raw.classNames.length;
    const predicted = new Uint8Array(n);
    const confusion = new Uint32Array(k * k);
    for (let i = 0; i < n; i++) {
      let best = 0;
      for (let c = 1; c < k; c++) if (probs[i * k + c] > probs[i * k + best]) best = c;
      predicted[i] = best;
      confusion[data.raw.test.labels[i] * k + best]++;
    }
    const classAccuracy = new Float32Array(k);
    for (let t = 0; t < k; t++) {
      let total = 0;
      for (let c = 0; c < k; c++) total += confusion[t * k + c];
      classAccuracy[t] = total > 0 ? confusion[t * k + t] / total : NaN;
    }
    this.#post(
      {
        type: 'evaluation',
        evaluation: {
          generation: this.#generation,
          epoch: this.#epoch,
          seconds,
          trainLoss,
          trainAccuracy,
          restored,
          testLoss: logs.loss ?? NaN,
          testAccuracy: logs.acc ?? NaN,
          predicted,
          confusion,
          classAccuracy,
        },
      },
      [predicted.buffer, confusion.buffer, classAccuracy.buffer],
    );
  }

  #postCheckpoint(): void {
    const checkpoint = takeCheckpoint(this.#session, this.#generation, this.#epoch, this.#stepInEpoch);
    if (checkpoint) this.#post({ type: 'checkpoint', checkpoint }, [checkpoint.weights.buffer]);
  }

  /**
   * A checkpoint's weights into the model just built from the same stack. The optimizer's
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

  // ---------------------------------------------------------------- one image, inside

  #look(requestId: number, source: ImageSource): void {
    const session = this.#session;
    const data = this.#current;
    // Answered even so: the page waits for a reply before it asks again.
    if (!session || !data) throw new Error('there is no model yet to look at an image with');
    let image: Float32Array;
    if (source.kind === 'test') {
      if (!Number.isInteger(source.index) || source.index < 0 || source.index >= data.raw.test.n) {
        throw new Error(`test image ${source.index} does not exist; the test set has ${data.raw.test.n}`);
      }
      // The image as the engine sees it: pixel / 255.
      const pixels = data.raw.test.images.subarray(source.index * PIXELS, (source.index + 1) * PIXELS);
      image = Float32Array.from(pixels, (p) => p / 255);
    } else {
      if (!(source.image instanceof Float32Array) || source.image.length !== PIXELS) {
        throw new Error(`a drawing must be ${PIXELS} values (28×28), got ${source.image?.length ?? 'none'}`);
      }
      image = source.image;
    }
    const id = session.loadDataset({ x: image, y: null, n: 1, xSize: PIXELS, ySize: 0 }, 'the chosen image');
    let nodes;
    try {
      nodes = session.predict(id, session.nodes.map((_, i) => i), 'the chosen image');
    } finally {
      session.freeDataset(id);
    }
    const probabilities = nodes[nodes.length - 1].values.slice();
    let predicted = 0;
    for (let c = 1; c < probabilities.length; c++) if (probabilities[c] > probabilities[predicted]) predicted = c;
    const snapshot: InsideSnapshot = { image: image.slice(), classNames: [...data.raw.classNames], nodes, firstConvKernel: this.#firstConvKernel(session) };
    const transfer = [probabilities.buffer, snapshot.image.buffer, ...nodes.map((p) => p.values.buffer)];
    if (snapshot.firstConvKernel) transfer.push(snapshot.firstConvKernel.values.buffer);
    this.#post({ type: 'inside', requestId, generation: this.#generation, probabilities, predicted, snapshot }, transfer);
  }

  /** The first conv layer's kernel [kh, kw, inC, outC], read again only after training moved. */
  #firstConvKernel(session: TrainingSession): InsideSnapshot['firstConvKernel'] {
    const steps = session.stepsDone;
    if (!this.#kernelCache || this.#kernelCache.steps !== steps) {
      const conv = session.nodes.find((n) => n.type === 'conv2d');
      const entry = conv ? session.weightsTable.find((w) => w.name === `${conv.name}/kernel`) : undefined;
      let kernel: InsideSnapshot['firstConvKernel'] = null;
      if (entry) {
        const { values } = session.weights();
        kernel = { shape: [...entry.shape], values: values.slice(entry.offset, entry.offset + entry.size) };
      }
      this.#kernelCache = { steps, kernel };
    }
    const k = this.#kernelCache.kernel;
    // A copy per snapshot: the posted one is transferred away.
    return k ? { shape: [...k.shape], values: k.values.slice() } : null;
  }
}

// ---------------------------------------------------------------- entry

// Only when running as a worker (the module is also imported by tests for its pure helpers).
const scope = globalThis as unknown as DedicatedWorkerGlobalScope;
if (typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope !== 'undefined') {
  // The page's first message hands over the engine it compiled once for all its workers
  // (shared-engine.ts); without one the worker fetches the wasm. Pings are answered at once.
  let started: Promise<ImagesWorker | null> | null = null;
  const start = (compiled: WebAssembly.Module | null, url: URL | string = defaultWasmUrl) => {
    if (compiled) void loadEngineFromModule(compiled, url).catch(() => {}); // readyFrom reports failures
    return readyFrom(url).then(
      () => new ImagesWorker(engine(), scope),
      (e: unknown) => {
        scope.postMessage({ type: 'error', message: `Could not start the engine: ${message(e)}`, where: 'training' } satisfies FromImagesWorker);
        return null;
      },
    );
  };
  scope.onmessage = (event: MessageEvent<ToImagesWorker | EngineMessage | PingMessage>) => {
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
