// The part of the message protocol that the Images and Sequences modes share with their workers
// (images-protocol.ts, sequences-protocol.ts add what differs): the training controls the page
// sends, and the progress, checkpoints and errors every mode worker reports the same way
// (mode-worker.ts posts them; web/app/training-mode-app.ts reads them).
import type { WorkerCheckpoint } from './checkpoint';

/** Page -> worker: driving the model the mode's 'build' made. */
export type TrainingControlMessage =
  | { type: 'train' } // train until `epochs` epochs are done
  | { type: 'pause' }
  | { type: 'setLearningRate'; learningRate: number } // live
  | { type: 'setBatchSize'; batchSize: number } // from the next epoch
  | { type: 'setEpochs'; epochs: number }
  // Puts a checkpoint's weights into the model just built (same generation), at its epoch and
  // step; answered by an 'evaluation' of the restored model (or 'error' with where: 'model').
  | { type: 'restore'; generation: number; weights: Float32Array; epoch: number; stepInEpoch: number }
  // Asks for a 'checkpoint' of this moment.
  | { type: 'checkpoint' };

/** Which part of the worker's work an error stopped: loading data, building or restoring a
 *  model, training, or one look at a sample (the model is fine then). */
export type ModeErrorWhere = 'data' | 'model' | 'training' | 'look';

/** Worker -> page: what every mode worker reports the same way. */
export type TrainingReportMessage =
  | {
      type: 'progress';
      generation: number;
      epoch: number; // fractional
      epochs: number; // the target
      trainLoss: number; // running mean over the current epoch
      training: boolean;
    }
  // The model's weights and training position, posted after every epoch, on pause and when
  // asked (once a step was trained): what the page keeps so that a lost worker or a reload does
  // not lose the model.
  | { type: 'checkpoint'; checkpoint: WorkerCheckpoint }
  | { type: 'error'; message: string; where: ModeErrorWhere };

/** The figures of one evaluation of the test set, as every mode's evaluation carries them. */
export interface ModeEvaluation {
  generation: number;
  epoch: number; // completed epochs
  seconds: number; // wall time of this epoch's training
  trainLoss: number;
  trainAccuracy: number; // NaN where the task has no accuracy (regression)
  testLoss: number;
  testAccuracy: number;
  /** True for the evaluation of a restored checkpoint (no epoch was trained: the train figures are NaN). */
  restored: boolean;
}
