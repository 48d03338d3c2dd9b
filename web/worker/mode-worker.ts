// What the Images and Sequences workers share (ImagesWorker, SequencesWorker extend it): one
// TrainingSession per built model, trained in slices of a few milliseconds (so pause, a new
// learning rate or a look at a sample are handled promptly), progress posted at display rate,
// an evaluation after each epoch, checkpoints after each epoch and on pause, restore from a
// checkpoint, datasets loaded once per name and kept for a switch back, and the entry that
// starts a worker on the page's compiled engine.
//
// A mode keeps only what differs: its data (how it is fetched, announced and loaded into a
// session), its model (the graph spec and compile settings it builds), what its evaluation
// reports, and its own requests (look, unroll, generate, inspect). All state lives in the
// object; the entry (startModeWorker) instantiates one per worker.
import type { NnplayModule } from '../lib/engine-module';
import { defaultWasmUrl } from '../lib/engine-url';
import { engine, readyFrom } from '../lib/memory';
import { SessionError, TrainingSession } from '../lib/training-session';
import { loadEngineFromModule, requestedThreadCount, threadsAvailable } from '../lib/wasm-loader';
import { checkRestore, takeCheckpoint } from './checkpoint';
import type { ModeErrorWhere, TrainingControlMessage, TrainingReportMessage } from './mode-protocol';
import type { EngineMessage } from './shared-engine';
import type { PingMessage, PongMessage } from './worker-link';

// Training runs in slices this long, so a message waits at most about this much.
const SLICE_MS = 12;
// Progress is posted this often while training.
const PROGRESS_MS = 50;
/** Evaluation batch: large batches are fastest, and the test set is evaluated in one call. */
export const EVAL_BATCH = 256;

export interface WorkerPort {
  postMessage(message: unknown, options: { transfer: Transferable[] }): void;
}

/** An engine or session error as the page shows it (without the library's prefix). */
export function errorText(e: unknown): string {
  return e instanceof SessionError ? e.reason : e instanceof Error ? e.message.replace(/^nnplay: /, '') : String(e);
}

const TRAINING_CONTROLS: ReadonlySet<string> = new Set<TrainingControlMessage['type']>(['train', 'pause', 'setLearningRate', 'setBatchSize', 'setEpochs', 'restore', 'checkpoint']);

/**
 * The training half of a mode worker. `Name` is the mode's dataset names, `Data` a loaded
 * dataset as the mode keeps it, `To`/`From` its protocol's two directions.
 */
export abstract class ModeWorker<Name extends string, Data, To extends { type: string }, From extends { type: string }> {
  readonly #engine: NnplayModule;
  readonly #port: WorkerPort;
  readonly #data = new Map<Name, Data>();
  #loading: Name | null = null;
  #current: Data | null = null;

  #session: TrainingSession | null = null;
  #trainId = 0;
  #testId = 0;
  #generation = 0;
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
  readonly #channel = new MessageChannel();

  constructor(mod: NnplayModule, port: WorkerPort) {
    this.#engine = mod;
    this.#port = port;
    this.#channel.port1.onmessage = () => {
      this.#tickScheduled = false;
      this.#guarded('training', () => this.#tick());
    };
  }

  // ---------------------------------------------------------------- what a mode provides

  /** Fetches a dataset, reporting bytes as they arrive. */
  protected abstract fetchData(name: Name, onProgress: (loaded: number, total: number) => void): Promise<Data>;
  /** Posts the mode's 'loadProgress' for `name`. */
  protected abstract loadProgress(name: Name, loaded: number, total: number): void;
  /** Tells the page the dataset it asked for is now the current one. */
  protected abstract announceData(data: Data): void;
  /** Training samples in the dataset (an epoch is these in batches). */
  protected abstract trainingSamples(data: Data): number;
  /** Evaluates the test set and posts the mode's evaluation (after an epoch, or a restore). */
  protected abstract evaluate(seconds: number, trainLoss: number, trainAccuracy: number, restored: boolean): void;
  /** Requests of the mode's own (load, build, and its looks); the training controls are handled here. */
  protected abstract handle(m: To): void;
  /** Whether a request only looks at the model (an error in it does not stop training). */
  protected abstract isLook(m: To): boolean;
  /** The session is gone (a new build, a new dataset): drop what was derived from it. */
  protected sessionDisposed(): void {}

  // ---------------------------------------------------------------- what a mode uses

  protected get session(): TrainingSession | null {
    return this.#session;
  }
  /** The current dataset (null before one has loaded). */
  protected get data(): Data | null {
    return this.#current;
  }
  protected get testId(): number {
    return this.#testId;
  }
  protected get generation(): number {
    return this.#generation;
  }
  /** Completed epochs of the current model. */
  protected get epoch(): number {
    return this.#epoch;
  }

  protected post(m: From, transfer: Transferable[] = []): void {
    this.#port.postMessage(m, { transfer });
  }

  #report(m: TrainingReportMessage, transfer: Transferable[] = []): void {
    this.#port.postMessage(m, { transfer });
  }

  receive(m: To): void {
    const where = this.isLook(m) ? 'look' : m.type === 'build' || m.type === 'restore' ? 'model' : 'training';
    this.#guarded(where, () => {
      if (TRAINING_CONTROLS.has(m.type)) this.#control(m as unknown as TrainingControlMessage);
      else this.handle(m);
    });
  }

  #guarded(where: ModeErrorWhere, fn: () => void): void {
    try {
      fn();
    } catch (e) {
      if (where !== 'look') this.#training = false;
      this.#report({ type: 'error', message: errorText(e), where });
      if (where === 'training') this.postProgress();
    }
  }

  #control(m: TrainingControlMessage): void {
    switch (m.type) {
      case 'train':
        if (this.#session && this.#epoch < this.#epochs) {
          this.#training = true;
          this.#schedule();
        }
        this.postProgress();
        break;
      case 'pause':
        this.#training = false;
        this.postProgress();
        this.#postCheckpoint();
        break;
      case 'checkpoint':
        this.#postCheckpoint();
        break;
      case 'restore':
        this.#restore(m.generation, m.weights, m.epoch, m.stepInEpoch);
        break;
      case 'setLearningRate':
        this.#session?.setLearningRate(m.learningRate);
        break;
      case 'setBatchSize':
        this.#nextBatchSize = m.batchSize;
        if (this.#stepInEpoch === 0) this.#batchSize = m.batchSize;
        break;
      case 'setEpochs':
        this.#epochs = m.epochs;
        if (this.#epoch >= this.#epochs) this.#training = false;
        this.postProgress();
        break;
    }
  }

  // ---------------------------------------------------------------- data

  /** Makes `name` the current dataset, fetching it the first time. */
  protected async load(name: Name): Promise<void> {
    const known = this.#data.get(name);
    if (known) {
      this.#use(known);
      return;
    }
    this.#loading = name;
    let data: Data;
    try {
      data = await this.fetchData(name, (loaded, total) => this.loadProgress(name, loaded, total));
    } catch (e) {
      if (this.#loading === name) this.#loading = null;
      this.#report({ type: 'error', message: errorText(e).replace(/^datasets[^:]*: /, ''), where: 'data' });
      return;
    }
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
    this.announceData(data);
  }

  // ---------------------------------------------------------------- model

  #disposeSession(): void {
    this.#session?.dispose();
    this.#session = null;
    this.sessionDisposed();
  }

  /**
   * Drops the current model and starts generation `generation` at epoch 0; returns the current
   * dataset the mode builds on (an Error naming `what` when none has loaded yet). The mode then
   * calls openSession and posts its 'built'.
   */
  protected beginBuild(generation: number, batchSize: number, epochs: number, what: string): Data {
    this.#training = false;
    this.#disposeSession();
    this.#generation = generation;
    this.#epoch = 0;
    this.#stepInEpoch = 0;
    this.#resetEpochFigures();
    this.#batchSize = this.#nextBatchSize = batchSize;
    this.#epochs = epochs;
    const data = this.#current;
    if (!data) throw new Error(`no ${what} is loaded yet`);
    return data;
  }

  /** The new model's session with its training and test sets loaded (`load` returns their ids). */
  protected openSession(graph: Record<string, unknown>, compile: Record<string, unknown>, load: (session: TrainingSession) => { trainId: number; testId: number }): TrainingSession {
    const session = new TrainingSession(this.#engine, JSON.stringify(graph), JSON.stringify(compile));
    try {
      const { trainId, testId } = load(session);
      this.#trainId = trainId;
      this.#testId = testId;
    } catch (e) {
      session.dispose();
      throw e;
    }
    this.#session = session;
    return session;
  }

  #resetEpochFigures(): void {
    this.#epochSeconds = 0;
    this.#lossSum = 0;
    this.#accSum = 0;
    this.#samplesSum = 0;
  }

  #stepsPerEpoch(): number {
    return Math.max(1, Math.ceil((this.#current ? this.trainingSamples(this.#current) : 0) / this.#batchSize));
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
    const n = this.trainingSamples(data);
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
    if (performance.now() - this.#lastProgress >= PROGRESS_MS || !this.#training) this.postProgress();
    if (this.#training) this.#schedule();
  }

  #endEpoch(): void {
    if (!this.#session || !this.#current) return;
    this.#epoch++;
    this.#stepInEpoch = 0;
    const seconds = this.#epochSeconds;
    const trainLoss = this.#lossSum / this.#samplesSum;
    const trainAccuracy = this.#accSum / this.#samplesSum;
    this.#resetEpochFigures();
    this.#batchSize = this.#nextBatchSize;
    if (this.#epoch >= this.#epochs) this.#training = false;

    this.evaluate(seconds, trainLoss, trainAccuracy, false);
    this.#postCheckpoint();
    if (!Number.isFinite(trainLoss)) {
      this.#training = false;
      throw new Error(`training diverged at epoch ${this.#epoch}: the loss became ${trainLoss}; try a smaller learning rate, then Reset`);
    }
  }

  #postCheckpoint(): void {
    const checkpoint = takeCheckpoint(this.#session, this.#generation, this.#epoch, this.#stepInEpoch);
    if (checkpoint) this.#report({ type: 'checkpoint', checkpoint }, [checkpoint.weights.buffer]);
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
    this.evaluate(0, NaN, NaN, true);
    this.postProgress();
  }

  /** The training position and the current epoch's running loss (the mode posts it after its 'built'). */
  protected postProgress(): void {
    this.#lastProgress = performance.now();
    const epoch = this.#epoch + this.#stepInEpoch / this.#stepsPerEpoch();
    const trainLoss = this.#samplesSum > 0 ? this.#lossSum / this.#samplesSum : NaN;
    this.#report({ type: 'progress', generation: this.#generation, epoch, epochs: this.#epochs, trainLoss, training: this.#training });
  }
}

export interface ModeWorkerOptions {
  /** The protocol's message saying the engine could not start (default: the training modes'). */
  startFailed?: (message: string) => unknown;
  /**
   * Load the threaded engine where the page is cross-origin isolated: for modes whose layers
   * split work over threads (conv, pooling); the others keep the page's compiled engine.
   */
  threads?: boolean;
}

/**
 * The entry of a mode worker (the 2-D playground's too): only when running as a worker (the
 * modules are also imported by tests for their pure helpers). The page's first message hands
 * over the engine it compiled once for all its workers (shared-engine.ts); without one the
 * worker fetches the wasm. Messages that arrive while the engine loads wait for it, in order;
 * pings are answered at once, even while the engine starts. `startFailed` is the error message
 * of the worker's protocol that says the engine could not start.
 */
export function startModeWorker<To extends { type: string }>(
  create: (mod: NnplayModule, port: WorkerPort) => { receive(m: To): void },
  options: ModeWorkerOptions = {},
): void {
  if (typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope === 'undefined') return;
  const startFailed =
    options.startFailed ?? ((message: string) => ({ type: 'error', message, where: 'training' }) satisfies TrainingReportMessage);
  const scope = globalThis as unknown as DedicatedWorkerGlobalScope;
  let started: Promise<{ receive(m: To): void } | null> | null = null;
  // The page's compiled module is the single-threaded engine; where threads can run and the mode
  // asks for them, the worker loads the threaded engine itself (one more fetch and compile).
  const threaded = options.threads === true && threadsAvailable() && requestedThreadCount() > 1;
  const start = (compiled: WebAssembly.Module | null, url: URL | string = defaultWasmUrl) => {
    if (compiled && !threaded) void loadEngineFromModule(compiled, url).catch(() => {}); // readyFrom reports failures
    return readyFrom(url).then(
      () => create(engine(), scope),
      (e: unknown) => {
        scope.postMessage(startFailed(`Could not start the engine: ${errorText(e)}`));
        return null;
      },
    );
  };
  scope.onmessage = (event: MessageEvent<To | EngineMessage | PingMessage>) => {
    const m = event.data;
    if (m.type === 'engine') {
      started ??= start((m as EngineMessage).module, (m as EngineMessage).url);
      return;
    }
    if (m.type === 'ping') {
      scope.postMessage({ type: 'pong', id: (m as PingMessage).id } satisfies PongMessage);
      return;
    }
    started ??= start(null);
    void started.then((w) => w?.receive(m as To));
  };
}
