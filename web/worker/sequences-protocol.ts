// The typed message protocol between the Sequences mode (web/app/sequences/sequences-app.ts)
// and its worker (sequences-worker.ts).
//
// What it is: the only vocabulary the two threads share. The page sends a task to load, a model
// to build (cell, units, layers, bidirectional, compile settings) and small live actions; the
// worker answers with training progress, an evaluation after each epoch, the network unrolled
// over one chosen test sample (its input, every recurrent layer's per-step states as the engine
// reports them, the prediction per step) and generated text.
//
// What it is not: a model API. Every number the page shows arrives here computed by the engine.

import type { WorkerCheckpoint } from './checkpoint';
import type { ModeEvaluation, TrainingControlMessage, TrainingReportMessage } from './mode-protocol';

export const SEQUENCE_TASKS = ['sine', 'sumOfSines', 'adding', 'parity', 'counting', 'mnistRows', 'text'] as const;
export type SequenceTaskName = (typeof SEQUENCE_TASKS)[number];

export const SEQUENCE_CELLS = ['simpleRNN', 'lstm', 'gru'] as const;
export type SequenceCell = (typeof SEQUENCE_CELLS)[number];

export interface SequenceModelSpec {
  cell: SequenceCell;
  units: number;
  layers: number; // recurrent layers, 1..3
  bidirectional: boolean;
  optimizer: string;
  learningRate: number;
  seed: number;
}

/** Page -> worker. */
export type ToSequencesWorker =
  // Loads a task's data (once per name; later requests answer from memory), answered by
  // 'task' (or 'error' with where: 'data').
  | { type: 'load'; task: SequenceTaskName }
  // A fresh model on the loaded task, paused at epoch 0; `generation` numbers it.
  | { type: 'build'; generation: number; model: SequenceModelSpec; batchSize: number; epochs: number }
  // The network unrolled over test sample `index`, answered by 'unrolled'.
  | { type: 'unroll'; requestId: number; index: number }
  // Text only: `length` characters sampled at `temperature`, answered by 'generated'.
  | { type: 'generate'; requestId: number; temperature: number; length: number; seed: number }
  // train, pause, live settings, restore, checkpoint (mode-protocol.ts).
  | TrainingControlMessage;

/** What a task is, for the page's labels and views. */
export interface TaskInfo {
  task: SequenceTaskName;
  steps: number;
  features: number;
  /** Values the output layer gives per prediction (classes for class tasks). */
  outputs: number;
  kind: 'regression' | 'binary' | 'classes';
  numTrain: number;
  numTest: number;
  /** Text: the characters by id. */
  vocab: string[] | null;
  /** Where the data comes from (text: the corpus and its licence). */
  source: string;
}

/** One evaluation of the test set (trainAccuracy and testAccuracy are NaN for regression tasks). */
export type SequenceEvaluation = ModeEvaluation;

/** A trained model's state as the worker reports it (checkpoint.ts; the page adds what it was built from). */
export type SequencesWorkerCheckpoint = WorkerCheckpoint;

/** One heatmap strip: a state of one recurrent layer over the steps, [steps, units]. */
export interface StateStrip {
  /** e.g. 'lstm_1 · h', 'lstm_1 · f (forget gate)'. */
  label: string;
  layer: string;
  state: string;
  steps: number;
  units: number;
  values: Float32Array; // [steps, units]
}

/** How far back the last output depends on the input: per input step, Σ over its features of
 *  |d output / d x[step, feature]| (the engine's input gradient, TrainingSession.inputGradients). */
export interface Dependence {
  /** The flat output unit differentiated. */
  unit: number;
  /** What that unit is, e.g. 'p(class 3) after the last step'. */
  output: string;
  magnitudes: Float32Array; // [steps]
}

export interface Unrolled {
  requestId: number;
  generation: number;
  index: number;
  /** The input sequence [steps, features]. */
  input: Float32Array;
  /** Text: the input's characters, one per step. */
  inputText: string | null;
  strips: StateStrip[];
  /** Whether the model predicts after every step (else only after the last). */
  perStep: boolean;
  /** The model's output: [steps, outputs] when perStep, else [outputs]. */
  prediction: Float32Array;
  /** The targets, in the same layout as prediction's (class ids for class tasks: [steps] or [1]). */
  target: Float32Array;
  dependence: Dependence;
}

/** Worker -> page. */
export type FromSequencesWorker =
  | { type: 'ready'; simd: boolean; optimizers: { name: string; learningRate: number }[] }
  | { type: 'loadProgress'; task: SequenceTaskName; loaded: number; total: number }
  | { type: 'task'; info: TaskInfo }
  | { type: 'built'; generation: number; params: number; perStep: boolean; layers: { name: string; type: string; shape: number[] }[] }
  | { type: 'evaluation'; evaluation: SequenceEvaluation }
  | ({ type: 'unrolled' } & Unrolled)
  | {
      type: 'generated';
      requestId: number;
      generation: number;
      text: string;
      /** Per recurrent layer: h after reading each generated character [length, units]. */
      hidden: { layer: string; units: number; values: Float32Array }[];
    }
  // progress, checkpoint, error (mode-protocol.ts).
  | TrainingReportMessage;
