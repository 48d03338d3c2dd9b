// The playground's training worker (a module worker): a small driver (play, pause, speed,
// snapshot policy) on top of the library's TrainingSession. The session owns the model, the
// training loop, the data (loaded once per model, validated once) and divergence (a diverged
// call leaves the last good weights and says so with kind 'diverged'); this file only decides
// when to train, how much, and when to post what (what a setup means, its network and data,
// is playground-setup.ts). Training runs in slices of a few
// milliseconds so control messages (pause, a new learning rate) are handled promptly, and a
// snapshot (metrics + node payloads, buffers transferred) is posted at display rate (~40/s).
//
// It is an object: PlaygroundWorker holds all state and is instantiated once by the entry at
// the bottom, on the worker's scope. Not a public API; the page talks to it through
// PlaygroundClient (client.ts).
import type { NnplayModule, WasmPlayground } from '../lib/engine-module';
import { type NamedWeights, toModelJSON } from '../lib/model-json';
import { type NodePayload, SessionError, TrainingSession } from '../lib/training-session';
import { checkRestore, compileSpec, generateData, layerSpecs, modelSpecJson, regularizer, type SetupData, THUMB_SIZE, thumbnails } from './playground-setup';
import type { FromWorkerRaw, NodeSnapshot, ToWorker, TrainingSetup } from './protocol';
import { type WorkerPort, startModeWorker } from './mode-worker';

// Training runs in slices this long, so a message waits at most about this much.
const SLICE_MS = 8;
// Snapshots are posted this often while playing (~40/s: margin above 30 frames/s).
const SNAPSHOT_MS = 25;
// Checkpoints (the model as JSON, for the page to keep) are posted this often while playing.
const CHECKPOINT_MS = 1000;

/** Dataset ids of the current model's session. */
interface Loaded {
  train: number;
  test: number | null;
  grid: number;
  thumbs: number;
}

export class PlaygroundWorker {
  readonly #engine: NnplayModule;
  readonly #port: WorkerPort;
  #playground: WasmPlayground | null = null;
  #setup: TrainingSetup | null = null;
  #data: SetupData | null = null;
  #session: TrainingSession | null = null;
  #loaded: Loaded | null = null;
  #generation = 0; // of the current model, echoed in every reply

  // Driver state.
  #playing = false;
  #diverged = false;
  #epochsPerSecond = 0; // 0 = uncapped
  #epoch = 0; // fractional epochs since the model was built
  #steps = 0;
  #msPerStep = 0.05; // running estimate, sizes the trainSteps calls within a slice
  #tokens = 0; // steps allowed by the speed cap (token bucket)
  #lastTick = 0;
  #lastSnapshot = 0;
  #snapshotSteps = -1; // #steps at the last snapshot: nothing new, no snapshot
  #lastCheckpoint = 0;
  #tickScheduled = false;
  // A MessageChannel schedules the next slice without setTimeout's 4 ms clamp, while still
  // letting queued control messages run between slices.
  readonly #channel = new MessageChannel();

  constructor(engine: NnplayModule, port: WorkerPort) {
    this.#engine = engine;
    this.#port = port;
    this.#channel.port1.onmessage = () => {
      this.#tickScheduled = false;
      this.#guarded(() => this.#tick());
    };
  }

  /** Handles one page message; failures are posted as 'error', never thrown. */
  receive(message: ToWorker): void {
    this.#guarded(() => this.#handle(message));
  }

  #post(message: FromWorkerRaw, transfer: Transferable[] = []): void {
    this.#port.postMessage(message, { transfer });
  }

  #stepsPerEpoch(): number {
    return Math.max(1, Math.ceil((this.#data?.numTrain ?? 0) / (this.#setup?.batchSize ?? 1)));
  }

  // ---------------------------------------------------------------- data and model

  #configure(next: TrainingSetup): void {
    this.#pause();
    const setup = { ...next, features: [...next.features], hiddenLayers: [...next.hiddenLayers] };
    this.#playground ??= new this.#engine.Playground();
    this.#data = generateData(this.#engine, this.#playground, setup);
    this.#setup = setup;
    const { numTrain, numTest } = this.#data;
    const points = this.#data.points.slice();
    const labels = this.#data.labels.slice();
    this.#post({ type: 'data', generation: this.#generation, points, labels, numTrain, numTest }, [points.buffer, labels.buffer]);
    this.#buildModel();
  }

  #buildModel(): void {
    const s = this.#setup;
    const d = this.#data;
    if (!s || !d) return;
    this.#pause();
    this.#session?.dispose();
    this.#session = null;
    this.#loaded = null;
    const session = new TrainingSession(this.#engine, modelSpecJson(s), JSON.stringify(compileSpec(s)));
    try {
      // Loaded (and validated) once per model; every step and snapshot refers to the ids.
      const f = d.features;
      this.#loaded = {
        train: session.loadDataset({ ...d.train, n: d.numTrain, xSize: f, ySize: 1 }),
        test: d.numTest > 0 ? session.loadDataset({ ...d.test, n: d.numTest, xSize: f, ySize: 1 }) : null,
        grid: session.loadDataset({ x: d.grid, y: null, n: s.gridSize * s.gridSize, xSize: f, ySize: 0 }),
        thumbs: session.loadDataset({ x: d.thumbs, y: null, n: THUMB_SIZE * THUMB_SIZE, xSize: f, ySize: 0 }),
      };
    } catch (err) {
      session.dispose();
      throw err;
    }
    this.#session = session;
    this.#epoch = 0;
    this.#steps = 0;
    this.#diverged = false;
    this.#postSnapshot();
  }

  // ---------------------------------------------------------------- training loop

  #schedule(delayMs = 0): void {
    if (this.#tickScheduled) return;
    this.#tickScheduled = true;
    if (delayMs > 0) {
      setTimeout(() => {
        this.#tickScheduled = false;
        this.#guarded(() => this.#tick());
      }, delayMs);
    } else {
      this.#channel.port2.postMessage(null);
    }
  }

  #play(): void {
    if (!this.#session) return;
    // After a divergence the session kept the last good weights, but they were heading for
    // the blow-up: start again from fresh ones, as the page's message says.
    if (this.#diverged) this.#buildModel();
    this.#playing = true;
    this.#tokens = 1;
    this.#lastTick = performance.now();
    this.#schedule();
  }

  #pause(): void {
    if (!this.#playing) return;
    this.#playing = false;
    if (this.#session) {
      this.#postSnapshot();
      this.#postCheckpoint();
    }
  }

  /** Trains `n` mini-batches; on failure stops and reports (divergence or otherwise). */
  #train(n: number): boolean {
    const session = this.#session;
    if (!session || !this.#loaded || !this.#setup) return false;
    const t0 = performance.now();
    try {
      session.trainSteps(this.#loaded.train, n, this.#setup.batchSize, true);
    } catch (err) {
      const diverged = err instanceof SessionError && err.kind === 'diverged';
      this.#stopWithError(err instanceof SessionError ? err.reason : err instanceof Error ? err.message : String(err), diverged);
      return false;
    }
    const dt = performance.now() - t0;
    this.#msPerStep = 0.7 * this.#msPerStep + 0.3 * Math.max(dt / n, 1e-4);
    this.#steps += n;
    this.#epoch += n / this.#stepsPerEpoch();
    return true;
  }

  #stopWithError(message: string, diverged: boolean): void {
    if (diverged) this.#diverged = true;
    this.#playing = false;
    this.#post({ type: 'error', message, diverged });
    if (this.#session) this.#postSnapshot();
  }

  #tick(): void {
    if (!this.#playing || !this.#session) return;
    const start = performance.now();
    const perEpoch = this.#stepsPerEpoch();
    if (this.#epochsPerSecond > 0) {
      // Token bucket: steps due since the last tick, with at most a tenth of a second of
      // backlog so a stalled worker does not burst when it catches up.
      const rate = (this.#epochsPerSecond * perEpoch) / 1000; // steps per ms
      this.#tokens = Math.min(this.#tokens + (start - this.#lastTick) * rate, Math.max(1, rate * 100));
    } else {
      this.#tokens = Infinity;
    }
    this.#lastTick = start;
    while (this.#tokens >= 1 && performance.now() - start < SLICE_MS) {
      const affordable = Math.max(1, Math.floor(SLICE_MS / Math.max(this.#msPerStep, 1e-4)));
      const n = Math.max(1, Math.min(Math.floor(Math.min(this.#tokens, 1e9)), affordable, perEpoch));
      if (!this.#train(n)) return;
      this.#tokens -= n;
    }
    const now = performance.now();
    if (now - this.#lastSnapshot >= SNAPSHOT_MS && this.#steps !== this.#snapshotSteps) this.#postSnapshot();
    if (!this.#playing) return;
    if (now - this.#lastCheckpoint >= CHECKPOINT_MS) this.#postCheckpoint();
    if (this.#tokens >= 1) {
      this.#schedule();
    } else {
      const rate = (this.#epochsPerSecond * perEpoch) / 1000;
      this.#schedule(Math.min(SNAPSHOT_MS, Math.max(1, Math.ceil((1 - this.#tokens) / rate))));
    }
  }

  #stepOneEpoch(): void {
    if (!this.#session) return;
    if (this.#playing) this.#pause();
    if (this.#diverged) this.#buildModel();
    // Continues the current epoch position: exactly one epoch's worth of mini-batches.
    if (this.#train(this.#stepsPerEpoch())) {
      this.#postSnapshot();
      this.#postCheckpoint();
    }
  }

  // ---------------------------------------------------------------- checkpoints

  /** Posts the current model as a checkpoint: the library's model file format. */
  #postCheckpoint(): void {
    const session = this.#session;
    const setup = this.#setup;
    if (!session || !setup || this.#diverged) return;
    this.#lastCheckpoint = performance.now();
    const { table, values } = session.weights();
    const model = toModelJSON({
      seed: setup.seed,
      inputSize: setup.features.length,
      layers: layerSpecs(setup),
      compile: compileSpec(setup),
      weights: table.map((w) => ({ name: w.name, shape: w.shape, values: values.subarray(w.offset, w.offset + w.size) })),
    });
    this.#post({ type: 'checkpoint', checkpoint: { generation: this.#generation, epoch: this.#epoch, steps: this.#steps, model } });
  }

  /** Restores saved weights into the current model; a bad message changes nothing. */
  #setWeights(weights: NamedWeights[], savedEpoch: number, savedSteps: number): void {
    const session = this.#session;
    if (!session) throw new Error('Could not restore the weights: there is no model yet.');
    checkRestore(session.weightsTable, weights, savedEpoch, savedSteps);
    try {
      // Sizes and finiteness are the session's checks, all before anything is written.
      session.setWeights(weights.map((w) => w.values));
    } catch (err) {
      throw new Error(`Could not restore the weights: ${err instanceof SessionError ? err.reason : String(err)}`);
    }
    this.#pause();
    this.#epoch = savedEpoch;
    this.#steps = savedSteps;
    this.#diverged = false;
    this.#postSnapshot();
    this.#postCheckpoint();
  }

  /** One weight edited by hand (the page's weight editor); a bad edit changes nothing. */
  #setWeight(layer: number, part: 'kernel' | 'bias', index: number, value: number): void {
    const session = this.#session;
    if (!session || this.#diverged) throw new Error('Could not set the weight: there is no trained model to edit; press Reset first.');
    // The snapshot's order: one kernel and one bias per dense layer, Keras order.
    const entries = session.weightsTable.filter((e) => e.name.endsWith(part === 'bias' ? '/bias' : '/kernel'));
    const entry = entries[layer];
    if (!entry || !Number.isInteger(index) || index < 0 || index >= entry.size) {
      throw new Error(`Could not set the weight: layer ${layer + 1} has no ${part} entry ${index}.`);
    }
    if (!Number.isFinite(value) || Math.abs(value) > 1e6) throw new Error(`Could not set the weight to ${value}: give a number between -1000000 and 1000000.`);
    const { values } = session.weights();
    values[entry.offset + index] = value;
    session.setWeights(values);
    this.#pause();
    this.#postSnapshot();
    this.#postCheckpoint();
  }

  // ---------------------------------------------------------------- snapshots

  #lossOf(id: number | null, n: number): number {
    if (!this.#session || id === null || n === 0) return NaN;
    return this.#session.evaluate(id, Math.max(1, n)).loss ?? NaN;
  }

  #postSnapshot(): void {
    const session = this.#session;
    const loaded = this.#loaded;
    const setup = this.#setup;
    const data = this.#data;
    if (!session || !loaded || !setup || !data) return;
    this.#lastSnapshot = performance.now();
    this.#snapshotSteps = this.#steps;
    const trainLoss = this.#lossOf(loaded.train, data.numTrain);
    const testLoss = this.#lossOf(loaded.test, data.numTest);
    const [output] = session.predict(loaded.grid, [session.nodes.length - 1]);
    const nodes = session.predict(loaded.thumbs, session.nodes.map((_, i) => i));
    const { table, values } = session.weights();
    const weights: NodePayload[] = table.map((w) => ({ name: w.name, type: 'weight', shape: w.shape, values: values.slice(w.offset, w.offset + w.size) }));
    const snapshot: NodeSnapshot = {
      generation: this.#generation,
      epoch: this.#epoch,
      steps: this.#steps,
      trainLoss,
      testLoss,
      playing: this.#playing,
      gridSize: setup.gridSize,
      thumbSize: THUMB_SIZE,
      output,
      nodes,
      weights,
    };
    const transfer = [output, ...nodes, ...weights].map((p) => p.values.buffer);
    this.#post({ type: 'nodes', snapshot }, transfer);
    if (!this.#diverged && !(Number.isFinite(trainLoss) && Number.isFinite(testLoss))) {
      this.#stopWithError(`Training diverged: the loss became ${Number.isNaN(trainLoss) ? 'NaN' : 'Infinity'}. Try a smaller learning rate.`, true);
    }
  }

  #postThumbnails(numPoints: number): void {
    const { clouds, featureMaps } = thumbnails(this.#engine, numPoints);
    this.#post({ type: 'thumbnails', clouds, thumbSize: THUMB_SIZE, featureMaps }, [
      ...clouds.flatMap((c) => [c.points.buffer, c.labels.buffer]),
      ...featureMaps.map((m) => m.buffer),
    ]);
  }

  // ---------------------------------------------------------------- messages

  #handle(message: ToWorker): void {
    switch (message.type) {
      case 'configure':
        this.#generation = message.generation;
        this.#configure(message.setup);
        break;
      case 'reset':
        this.#generation = message.generation;
        this.#buildModel();
        break;
      case 'play':
        this.#play();
        break;
      case 'pause':
        this.#pause();
        break;
      case 'step':
        this.#stepOneEpoch();
        break;
      case 'setLearningRate':
        if (this.#setup) this.#setup.learningRate = message.learningRate;
        this.#session?.setLearningRate(message.learningRate);
        break;
      case 'setRegularization':
        if (this.#setup) {
          this.#setup.regularization = message.regularization;
          this.#setup.regularizationRate = message.rate;
          const { l1, l2 } = regularizer(this.#setup);
          this.#session?.setRegularization(l1, l2);
        }
        break;
      case 'setBatchSize':
        if (this.#setup) this.#setup.batchSize = message.batchSize;
        break;
      case 'setSpeed':
        this.#epochsPerSecond = Math.max(0, message.epochsPerSecond);
        this.#tokens = Math.min(this.#tokens, 1);
        break;
      case 'thumbnails':
        this.#postThumbnails(message.numPoints);
        break;
      case 'checkpoint':
        if (this.#diverged) {
          this.#post({
            type: 'error',
            message: 'The model diverged: there is nothing to export. Press Play or Reset to start again from fresh weights.',
            diverged: false,
          });
        } else {
          this.#postCheckpoint();
        }
        break;
      case 'setWeights':
        // A restore meant for a model that has since been replaced does not apply.
        if (message.generation === this.#generation) this.#setWeights(message.weights, message.epoch, message.steps);
        break;
      case 'setWeight':
        if (message.generation === this.#generation) this.#setWeight(message.layer, message.part, message.index, message.value);
        break;
    }
  }

  #guarded(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.#playing = false;
      const diverged = e instanceof SessionError && e.kind === 'diverged';
      this.#post({ type: 'error', message: e instanceof Error ? e.message : String(e), diverged });
    }
  }
}

// ---------------------------------------------------------------- entry

// This worker is its own bundle (web/app's build) and names the wasm itself, through
// engine-url.ts; the entry every mode worker has (mode-worker.ts) starts the engine, answers
// pings and hands it the messages in order. The 2-D protocol's 'ready' carries only the SIMD flag.
startModeWorker<ToWorker>(
  (engine, port) => {
    port.postMessage({ type: 'ready', simd: engine.simdEnabled() } satisfies FromWorkerRaw, { transfer: [] });
    return new PlaygroundWorker(engine, port);
  },
  { startFailed: (message) => ({ type: 'error', message, diverged: false }) satisfies FromWorkerRaw },
);
