// The playground's save file: the setup (as its URL hash), the trained model in the
// library's format, the epoch and the loss history. One format serves both the copy the page
// keeps in localStorage (so a reload loses nothing) and the file Export model downloads.
//
// Pure functions only (no DOM, no worker), so they are testable in Node. Reading a file
// checks all of it before anything changes: a bad file is reported and nothing is applied.
import { MODEL_FORMAT, type ModelJSONv1 as ModelJSON, type NamedWeights, parseModelJSON } from 'nnplay';
import type { Checkpoint } from '../worker/protocol';
import { defaultState, parseHash, serializeHash } from './state';
import type { PlaygroundState } from './state';

export const PLAYGROUND_FORMAT = 'nnplay-playground';
export const PLAYGROUND_FORMAT_VERSION = 1;
/** Files larger than this are not read (a real save of the largest network is ~40 KB). */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;

/** Loss chart points: epoch, train loss, test loss (null where not finite). */
export interface LossHistory {
  epoch: number[];
  train: (number | null)[];
  test: (number | null)[];
}

export interface PlaygroundFile {
  format: typeof PLAYGROUND_FORMAT;
  version: typeof PLAYGROUND_FORMAT_VERSION;
  savedAt: string;
  /** The whole setup, exactly as the page's URL hash carries it. */
  hash: string;
  epoch: number;
  steps: number;
  losses: LossHistory;
  /** The model, readable by nn.loadLayersModel() and nn.models.fromJSON(). */
  model: ModelJSON;
}

/** What applying a file needs: the setup, and the weights for the worker. */
export interface RestorePlan {
  state: PlaygroundState;
  epoch: number;
  steps: number;
  losses: LossHistory;
  weights: NamedWeights[];
}

/** A save file from a worker checkpoint; the loss history is cut at the checkpoint's epoch. */
export function makePlaygroundFile(state: PlaygroundState, checkpoint: Checkpoint, losses: LossHistory, now = new Date()): PlaygroundFile {
  const keep = losses.epoch.findIndex((e) => e > checkpoint.epoch + 1e-9);
  const n = keep < 0 ? losses.epoch.length : keep;
  return {
    format: PLAYGROUND_FORMAT,
    version: PLAYGROUND_FORMAT_VERSION,
    savedAt: now.toISOString(),
    hash: serializeHash(state),
    epoch: checkpoint.epoch,
    steps: checkpoint.steps,
    losses: { epoch: losses.epoch.slice(0, n), train: losses.train.slice(0, n), test: losses.test.slice(0, n) },
    model: checkpoint.model,
  };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** The network layers a setup builds: units per layer and their activations. */
function expectedNetwork(state: PlaygroundState): { units: number[]; activations: string[] } {
  return {
    units: [...state.networkShape, 1],
    activations: [...state.networkShape.map(() => state.activation), state.problem === 'classification' ? 'sigmoid' : 'linear'],
  };
}

/**
 * Checks a parsed save file and returns what to apply. Throws an Error whose message says,
 * for a person, what is wrong and what the page expects.
 */
export function readPlaygroundFile(input: unknown): RestorePlan {
  if (!isObject(input)) throw new Error('the file is not an nnplay playground file (expected a JSON object).');
  if (input.format === MODEL_FORMAT) {
    throw new Error(
      "it is a library model file (format 'nnplay-layers-model') without a playground setup; Import model reads files made with Export model.",
    );
  }
  if (input.format !== PLAYGROUND_FORMAT) {
    throw new Error(`the file is not an nnplay playground file (expected format '${PLAYGROUND_FORMAT}', got ${JSON.stringify(input.format) ?? 'none'}).`);
  }
  if (input.version !== PLAYGROUND_FORMAT_VERSION) {
    throw new Error(`file version ${JSON.stringify(input.version)} is not supported; this page reads version ${PLAYGROUND_FORMAT_VERSION}.`);
  }
  if (typeof input.hash !== 'string') throw new Error('the file has no setup (a "hash" string like "#dataset=circle&…").');
  const parsed = parseHash(input.hash, 1);
  if (parsed.problems.length) throw new Error(`the file's setup is invalid: ${parsed.problems.join(' ')}`);
  if (!parsed.hasSeed) throw new Error("the file's setup has no seed, so its data cannot be reproduced.");
  const state = parsed.state;

  const epoch = input.epoch;
  const steps = input.steps;
  if (typeof epoch !== 'number' || !Number.isFinite(epoch) || epoch < 0) throw new Error(`epoch must be a number >= 0, got ${JSON.stringify(epoch)}.`);
  if (typeof steps !== 'number' || !Number.isInteger(steps) || steps < 0) throw new Error(`steps must be a whole number >= 0, got ${JSON.stringify(steps)}.`);
  const losses = readLosses(input.losses);

  let model;
  try {
    model = parseModelJSON(input.model, 'model');
  } catch (err) {
    throw new Error(`the file's model is invalid: ${(err instanceof Error ? err.message : String(err)).replace(/^nnplay: /, '')}`);
  }
  const want = expectedNetwork(state);
  // The playground builds dense networks only; a conv model file is the library's, not a setup's.
  const denseLayers = model.layers.filter((l) => l.type === 'dense');
  if (denseLayers.length !== model.layers.length || model.inputShape.length !== 1) {
    throw new Error(
      `the file's model has ${model.layers.map((l) => l.type).join(', ')} layers on input [${model.inputShape.join(',')}]; the playground trains dense layers on 2-D points only.`,
    );
  }
  const have = { units: denseLayers.map((l) => l.units), activations: denseLayers.map((l) => l.activation) };
  if (
    model.inputSize !== state.features.length ||
    have.units.join() !== want.units.join() ||
    have.activations.join() !== want.activations.join() ||
    denseLayers.some((l) => !l.useBias)
  ) {
    throw new Error(
      `the file's model (${model.inputSize} inputs, layers ${have.units.join(',')}, ${have.activations.join(',')}) does not match its setup ` +
        `(features ${state.features.join(',')}, layers ${want.units.join(',')}, ${want.activations.join(',')}).`,
    );
  }
  // The page has no engine to inspect the model with, but a playground network is a dense chain
  // of format 1, whose weights are dense_<i>/kernel [in, units] and dense_<i>/bias [units].
  const expected = want.units.flatMap((units, i) => {
    const fanIn = i === 0 ? state.features.length : want.units[i - 1];
    return [
      { name: `dense_${i + 1}/kernel`, shape: [fanIn, units] },
      { name: `dense_${i + 1}/bias`, shape: [units] },
    ];
  });
  const list = expected.map((e) => `${e.name} [${e.shape.join(',')}]`).join(', ');
  if (model.weights.length < expected.length) {
    const missing = expected.slice(model.weights.length).map((e) => e.name).join(', ');
    throw new Error(`the file's model is invalid: weights: ${model.weights.length} of ${expected.length} tensors given, missing ${missing} (expected ${list}).`);
  }
  if (model.weights.length > expected.length) throw new Error(`the file's model is invalid: weights: ${model.weights.length} tensors given, the network has ${expected.length}: ${list}.`);
  expected.forEach((e, i) => {
    const w = model.weights[i];
    if (w.name !== e.name || w.shape.join() !== e.shape.join()) {
      throw new Error(`the file's model is invalid: weights[${i}] is ${w.name} [${w.shape.join(',')}], expected ${e.name} [${e.shape.join(',')}].`);
    }
  });
  return { state, epoch, steps, losses, weights: model.weights };
}

function readLosses(raw: unknown): LossHistory {
  if (raw === undefined) return { epoch: [], train: [], test: [] };
  const bad = () => new Error('losses must be {epoch, train, test}: arrays of the same length of numbers (null for a missing value).');
  if (!isObject(raw)) throw bad();
  const { epoch, train, test } = raw;
  const numbers = (a: unknown, nullable: boolean) =>
    Array.isArray(a) && a.every((v) => (typeof v === 'number' && Number.isFinite(v)) || (nullable && v === null));
  if (!numbers(epoch, false) || !numbers(train, true) || !numbers(test, true)) throw bad();
  const e = epoch as number[];
  if ((train as unknown[]).length !== e.length || (test as unknown[]).length !== e.length) throw bad();
  return { epoch: [...e], train: [...(train as (number | null)[])], test: [...(test as (number | null)[])] };
}

/** Whether a kept save belongs to the page's current setup (display options included). */
export function sameSetup(a: PlaygroundState, b: PlaygroundState): boolean {
  return serializeHash(a) === serializeHash(b);
}

// ---------------------------------------------------------------- storage slots

/** Saved models kept per instance; older setups beyond this are forgotten. */
export const MAX_SLOTS = 6;

/**
 * What identifies a model's setup: the hash without the display options (test points,
 * discretize, speed), which change no weight. Two setups with the same id share a slot.
 */
export function setupId(state: PlaygroundState): string {
  const d = defaultState(state.seed);
  return serializeHash({ ...state, showTestData: d.showTestData, discretize: d.discretize, speed: d.speed }).slice(1);
}

/**
 * The trained models one playground instance keeps in localStorage: one slot per setup
 * (`<key>:<setup id>`) and an index (`<key>:index`, most recent first), so several instances
 * on a page (each its own key) and several tabs training different setups (each its own slot)
 * never overwrite each other's work. Two tabs of the same instance and setup do share a slot:
 * they are the same work.
 */
export class ModelSlots {
  constructor(
    readonly key: string,
    private readonly storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> = localStorage,
  ) {}

  /** The storage key of the slot for `state`'s setup. */
  slotKey(state: PlaygroundState): string {
    return `${this.key}:${setupId(state)}`;
  }

  /** The saved file text for `state`'s setup; with null, the most recently saved one. */
  load(state: PlaygroundState | null): string | null {
    this.migrate();
    const id = state ? setupId(state) : this.index()[0];
    return id === undefined ? null : this.storage.getItem(`${this.key}:${id}`);
  }

  /** Saves (throws when the storage is full or unavailable). */
  save(state: PlaygroundState, text: string): void {
    const id = setupId(state);
    this.storage.setItem(`${this.key}:${id}`, text);
    const ids = [id, ...this.index().filter((i) => i !== id)];
    for (const old of ids.slice(MAX_SLOTS)) this.storage.removeItem(`${this.key}:${old}`);
    this.storage.setItem(`${this.key}:index`, JSON.stringify(ids.slice(0, MAX_SLOTS)));
  }

  forget(state: PlaygroundState): void {
    const id = setupId(state);
    this.storage.removeItem(`${this.key}:${id}`);
    this.storage.setItem(`${this.key}:index`, JSON.stringify(this.index().filter((i) => i !== id)));
  }

  private index(): string[] {
    try {
      const ids: unknown = JSON.parse(this.storage.getItem(`${this.key}:index`) ?? '[]');
      return Array.isArray(ids) ? ids.filter((i): i is string => typeof i === 'string') : [];
    } catch {
      return [];
    }
  }

  /** A model kept by an earlier version under the bare key moves into its slot. */
  private migrate(): void {
    const legacy = this.storage.getItem(this.key);
    if (legacy === null) return;
    this.storage.removeItem(this.key);
    try {
      const hash = (JSON.parse(legacy) as { hash?: unknown }).hash;
      if (typeof hash === 'string' && !this.index().length) this.save(parseHash(hash, 1).state, legacy);
    } catch {
      // Unreadable: nothing to keep.
    }
  }
}
