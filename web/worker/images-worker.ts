// The Images mode's worker (a module worker): loads an image dataset, answers the stack editor
// with the engine's shapes and parameter counts, and drives one TrainingSession: training runs
// in slices of a few milliseconds (so pause, a new learning rate or a look at an image are
// handled promptly), progress is posted at display rate, and after each epoch the test set is
// evaluated (loss, accuracy, every prediction and the confusion matrix). A "look" request runs
// one image through the model and answers with every node's values (the inside view's snapshot).
//
// It is an object: ImagesWorker adds the image data, the stack and the looks to ModeWorker
// (mode-worker.ts: the training loop, checkpoints, restore) and is instantiated once by the
// entry at the bottom. Not a public API; the page talks to it through ImagesClient.
import { engineTables, inspect } from '../lib/engine-tables';
import type { NnplayModule } from '../lib/engine-module';
import type { TrainingSession } from '../lib/training-session';
import { type ImageData, loadImageData } from './images-data';
import type { FromImagesWorker, ImageCompile, ImageDatasetName, ImageLayer, ImageSource, InsideSnapshot, ToImagesWorker } from './images-protocol';
import { EVAL_BATCH, ModeWorker, type WorkerPort, errorText, startModeWorker } from './mode-worker';

/** Every image is 28×28 grey: the input shape of every stack. */
export const IMAGE_SHAPE = [28, 28, 1] as const;
const PIXELS = 28 * 28;
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

export class ImagesWorker extends ModeWorker<ImageDatasetName, Data, ToImagesWorker, FromImagesWorker> {
  #kernelCache: { steps: number; kernel: InsideSnapshot['firstConvKernel'] } | null = null;

  constructor(mod: NnplayModule, port: WorkerPort) {
    super(mod, port);
    const tables = engineTables();
    this.post({
      type: 'ready',
      simd: mod.simdEnabled(),
      threads: mod.threadCount(),
      activations: tables.activations.map((a) => a.name),
      optimizers: tables.optimizers.map((o) => ({ name: o.name, learningRate: Number(o.defaults.learningRate) })),
    });
  }

  protected isLook(m: ToImagesWorker): boolean {
    return m.type === 'look';
  }

  protected handle(m: ToImagesWorker): void {
    switch (m.type) {
      case 'inspect':
        this.#inspect(m.requestId, m.layers);
        break;
      case 'load':
        void this.load(m.dataset);
        break;
      case 'build':
        this.#build(m.generation, m.layers, m.compile, m.batchSize, m.epochs, m.seed);
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
      this.post({
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
      answer(fits && failing > 0 ? fits : null, { layer: failing, message: errorText(e).replace(/^layers: /, '') });
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

  protected async fetchData(name: ImageDatasetName, onProgress: (loaded: number, total: number) => void): Promise<Data> {
    return { name, raw: await loadImageData(name, onProgress) };
  }

  protected loadProgress(dataset: ImageDatasetName, loaded: number, total: number): void {
    this.post({ type: 'loadProgress', dataset, loaded, total });
  }

  protected announceData(data: Data): void {
    const { raw } = data;
    const testImages = raw.test.images.slice();
    const testLabels = raw.test.labels.slice();
    this.post(
      { type: 'dataset', dataset: data.name, classNames: raw.classNames, numTrain: raw.train.n, numTest: raw.test.n, testImages, testLabels },
      [testImages.buffer, testLabels.buffer],
    );
  }

  protected trainingSamples(data: Data): number {
    return data.raw.train.n;
  }

  // ---------------------------------------------------------------- model

  protected sessionDisposed(): void {
    this.#kernelCache = null;
  }

  #build(generation: number, layers: ImageLayer[], compile: ImageCompile, batchSize: number, epochs: number, seed: number): void {
    const data = this.beginBuild(generation, batchSize, epochs, 'dataset');
    const compileConfig = {
      optimizer: { name: compile.optimizer, learningRate: compile.learningRate },
      loss: 'sparseCategoricalCrossentropy',
      metrics: ['accuracy'],
    };
    const session = this.openSession(stackSpec(layers, seed), compileConfig, (session) => {
      const k = data.raw.classNames.length;
      const split = (s: ImageData['train']) => ({ images: s.images, labels: s.labels, n: s.n, height: 28, width: 28, numClasses: k });
      return {
        trainId: session.loadImages(split(data.raw.train), 'loading the training images'),
        testId: session.loadImages(split(data.raw.test), 'loading the test images'),
      };
    });
    const params = session.weightsTable.reduce((s, w) => s + w.size, 0);
    this.post({ type: 'built', generation, params });
    this.postProgress();
  }

  /** Evaluates the test set and posts every figure the page shows (after an epoch, or a restore). */
  protected evaluate(seconds: number, trainLoss: number, trainAccuracy: number, restored: boolean): void {
    const session = this.session;
    const data = this.data;
    if (!session || !data) return;
    const n = data.raw.test.n;
    const logs = session.evaluate(this.testId, EVAL_BATCH, 'evaluating the test images');
    const probs = session.predictOutput(this.testId, n, 'predicting the test images');
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
    this.post(
      {
        type: 'evaluation',
        evaluation: {
          generation: this.generation,
          epoch: this.epoch,
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

  // ---------------------------------------------------------------- one image, inside

  #look(requestId: number, source: ImageSource): void {
    const session = this.session;
    const data = this.data;
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
    this.post({ type: 'inside', requestId, generation: this.generation, probabilities, predicted, snapshot }, transfer);
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

startModeWorker<ToImagesWorker>((mod, port) => new ImagesWorker(mod, port), { threads: true });
