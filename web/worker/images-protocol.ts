// The typed message protocol between the Images mode (web/app/images/images-app.ts) and its
// worker (images-worker.ts).
//
// What it is: the only vocabulary the two threads share. The page sends a layer stack to be
// inspected, a dataset to load, a model to build, and small live actions; the worker answers
// with the engine's shapes and parameter counts, the test images once per dataset (to draw),
// training progress at display rate, an evaluation after each epoch, and "inside" snapshots of
// one chosen image. Big arrays travel as transferred ArrayBuffers.
//
// What it is not: a model API. Every number the page shows arrives here computed by the engine.

import type { WorkerCheckpoint } from './checkpoint';
import type { ModeEvaluation, TrainingControlMessage, TrainingReportMessage } from './mode-protocol';

/** The layer types the stack editor offers (the engine's names). */
export const IMAGE_LAYER_TYPES = ['conv2d', 'maxPooling2d', 'averagePooling2d', 'dropout', 'batchNormalization', 'flatten', 'dense'] as const;
export type ImageLayerType = (typeof IMAGE_LAYER_TYPES)[number];

/** One layer of the stack as the editor holds it: the engine's keys, only those the type uses. */
export interface ImageLayer {
  type: ImageLayerType;
  filters?: number; // conv2d
  kernelSize?: number; // conv2d (square)
  poolSize?: number; // pooling (square)
  strides?: number; // conv2d, pooling
  padding?: 'valid' | 'same'; // conv2d, pooling
  units?: number; // dense
  activation?: string; // conv2d, dense (the engine's activation names)
  rate?: number; // dropout
}

export const IMAGE_DATASETS = ['mnist', 'fashion-quick', 'fashion'] as const;
export type ImageDatasetName = (typeof IMAGE_DATASETS)[number];

export interface ImageCompile {
  optimizer: string; // the engine's optimizer names
  learningRate: number;
}

/** Which image the inside view and the probabilities show. */
export type ImageSource = { kind: 'test'; index: number } | { kind: 'drawing'; image: Float32Array };

/** Page -> worker. */
export type ToImagesWorker =
  // Shapes and parameter counts of a stack (on [28, 28, 1] inputs), answered by 'inspection'.
  | { type: 'inspect'; requestId: number; layers: ImageLayer[] }
  // Loads a dataset (once per name; later requests answer from memory), answered by
  // 'loadProgress' and 'dataset' (or 'error' with where: 'data').
  | { type: 'load'; dataset: ImageDatasetName }
  // A fresh model on the loaded dataset, paused at epoch 0; `generation` numbers it.
  | { type: 'build'; generation: number; layers: ImageLayer[]; compile: ImageCompile; batchSize: number; epochs: number; seed: number }
  // The inside snapshot (and class probabilities) of one image, answered by 'inside'.
  | { type: 'look'; requestId: number; source: ImageSource }
  // train, pause, live settings, restore, checkpoint (mode-protocol.ts).
  | TrainingControlMessage;

export interface InspectedImageLayer {
  name: string;
  type: string;
  outputShape: number[];
  params: number;
}

export interface ImageEvaluation extends ModeEvaluation {
  /** Predicted class of every test image [numTest]. */
  predicted: Uint8Array;
  /** counts[true * k + predicted], k = classNames.length. */
  confusion: Uint32Array;
  /** Per true class: the share of its test images predicted right [k]. */
  classAccuracy: Float32Array;
}

/** What the inside view draws (web/app/images/inside-view.ts takes exactly this shape; the page
 *  passes it on as it arrives, type-checked there). */
export interface InsideSnapshot {
  image: Float32Array; // 784 values 0..1
  classNames: string[];
  /** Every layer in model order, on this one image: shape [1, ...per-sample]. */
  nodes: { name: string; type: string; shape: number[]; values: Float32Array }[];
  firstConvKernel: { shape: number[]; values: Float32Array } | null; // [kh, kw, inC, outC]
}

/** A trained model's state as the worker reports it (checkpoint.ts; the page adds what it was built from). */
export type ImagesWorkerCheckpoint = WorkerCheckpoint;

/** Worker -> page. */
export type FromImagesWorker =
  | { type: 'ready'; simd: boolean; threads: number; activations: string[]; optimizers: { name: string; learningRate: number }[] }
  | {
      type: 'inspection';
      requestId: number;
      layers: InspectedImageLayer[]; // the layers that fit (all of them when error is null)
      totalParams: number;
      // The first layer that does not fit (index into the stack) and the engine's reason.
      error: { layer: number | null; message: string } | null;
    }
  | { type: 'loadProgress'; dataset: ImageDatasetName; loaded: number; total: number }
  | {
      type: 'dataset';
      dataset: ImageDatasetName;
      classNames: string[];
      numTrain: number;
      numTest: number;
      testImages: Uint8Array; // [numTest, 28, 28] pixels 0..255
      testLabels: Uint8Array; // [numTest]
    }
  | { type: 'built'; generation: number; params: number }
  | { type: 'evaluation'; evaluation: ImageEvaluation }
  | { type: 'inside'; requestId: number; generation: number; probabilities: Float32Array; predicted: number; snapshot: InsideSnapshot }
  // progress, checkpoint, error (mode-protocol.ts).
  | TrainingReportMessage;
