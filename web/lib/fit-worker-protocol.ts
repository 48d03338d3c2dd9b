// Messages between a page's main thread and the library's fit worker (web/lib/fit-worker.ts).
//
// The worker is a host of TrainingSession calls: one session per main-thread model, its data
// loaded once per fit() ('begin') and trained epoch by epoch with the same runEpoch() the
// in-process path uses.
//
// Why the worker keeps a replica per model instead of a fresh model per fit(): the engine's
// trainer carries the optimizer state (Adam moments, …) and the epoch count that seeds the
// shuffle. Keeping them in the worker across fit() calls makes worker training give exactly
// the numbers in-process training gives. The main thread drives epoch by epoch, so its
// callbacks (and model.stopTraining) act between epochs just as in-process.
//
// Big arrays travel as transferred Float32Array buffers.
import type { EpochOptions, EpochResult, SessionErrorKind } from './training-session';

/** One fit() dataset: an x per model input and a y per model output, in model order. */
export interface DataMessage {
  xs: Float32Array[];
  ys: Float32Array[];
  n: number;
  xSizes: number[];
  ySizes: number[];
  /** fit()'s classWeight as per-sample weights, per output (null: unweighted). */
  sampleWeights?: (Float32Array | null)[] | null;
}

export type ToFitWorker =
  /**
   * First message, no reply: load the engine from `wasmUrl` (absolute), the URL the page's own
   * engine came from. The library's worker bundle contains no URL of the wasm, so that the
   * package ships one .wasm (see engine-url.ts); a worker that already loaded its engine ignores it.
   */
  // threads: the page's requested engine thread count (nn.setThreadsCount, or its default);
  // threadStartTimeoutMs: how long its load waits for the threaded engine (setThreadsCount's
  // option); threadedEngine: the absolute URLs of the threaded engine that goes with wasmUrl (a
  // bundler may have renamed its files; wasm-loader.ts ThreadedEngineFiles, not imported here:
  // this module's types are public, the loader's are not); glue: the absolute URL of the
  // engine's JavaScript glue the page imported, so the worker imports the same file; extraPart:
  // the absolute URL of the engine's second module (nnplay-extra.wasm), which the worker loads
  // for a model that needs it
  | {
      type: 'init';
      wasmUrl: string;
      glue?: string;
      threads?: number;
      threadStartTimeoutMs?: number;
      threadedEngine?: { glue: string; worker: string; wasm: string } | null;
      extraPart?: string;
    }
  /** Sync the replica (spec/compile/weights when they changed) and load the data. */
  | {
      type: 'begin';
      req: number;
      modelId: number;
      specJson?: string;
      /** Whether the model (a layer of specJson, or what compileJson names) needs the engine's
       *  second module (the page knows from the engine's tables; the worker's bundle does not carry them). */
      needsExtraPart?: boolean;
      compileJson?: string;
      /** Every weight, flat in Keras order (TrainingSession.weights().values). */
      weights?: Float32Array;
      train: DataMessage;
      val: DataMessage | null;
    }
  /** Train one epoch on the loaded data; reply 'epoch' with figures and the new weights. */
  | { type: 'epoch'; req: number; modelId: number; options: EpochOptions }
  /** Free the loaded data (the replica stays for the next fit). */
  | { type: 'end'; req: number; modelId: number }
  /** Free the replica. No reply. */
  | { type: 'dispose'; modelId: number };

export type FromFitWorker =
  | { type: 'ok'; req: number }
  | { type: 'epoch'; req: number; result: EpochResult; weights: Float32Array }
  /** A structured failure (the SessionError's fields); after 'diverged', `weights` holds the
   *  replica's restored weights; `part` names the bad dataset of a 'begin'. */
  | {
      type: 'error';
      req: number;
      message: string;
      kind?: SessionErrorKind;
      field?: 'x' | 'y' | 'weights';
      tensor?: number;
      index?: number;
      part?: 'train' | 'val';
      weights?: Float32Array;
    };

/** The part of a Worker / MessagePort / worker global scope the protocol uses. */
export interface MessagePortLike {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
}

/** What the main thread needs from a worker: a port that can also be shut down. */
export interface FitWorkerLike {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  addEventListener(type: 'message' | 'error' | 'messageerror', listener: (event: Event) => void): void;
  terminate(): void;
}
