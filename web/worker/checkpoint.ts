// The checkpoint the Images and Sequences workers post (after each epoch, on pause, when asked)
// and take back after a reload or a lost worker: what both modes' kept models are made of.
import type { TrainingSession } from '../lib/training-session';

/** A trained model's state as a worker reports it (the page adds what it was built from). */
export interface WorkerCheckpoint {
  generation: number;
  epoch: number; // completed epochs
  stepInEpoch: number; // mini-batches of the next epoch already trained
  steps: number; // mini-batches trained since the model was built
  weights: Float32Array; // every weight, in the engine's weights-table order
}

/** The session's state now, or null before it has trained a step (nothing worth keeping). */
export function takeCheckpoint(session: TrainingSession | null, generation: number, epoch: number, stepInEpoch: number): WorkerCheckpoint | null {
  if (!session || session.stepsDone === 0) return null;
  return { generation, epoch, stepInEpoch, steps: session.stepsDone, weights: session.weights().values.slice() };
}

/** Throws a clear Error unless a restore message carries a checkpoint's weights and position. */
export function checkRestore(weights: unknown, epoch: number, stepInEpoch: number): asserts weights is Float32Array {
  if (!(weights instanceof Float32Array)) throw new Error('a checkpoint must carry its weights as a Float32Array');
  if (!Number.isInteger(epoch) || epoch < 0 || !Number.isInteger(stepInEpoch) || stepInEpoch < 0) {
    throw new Error(`the checkpoint's position (epoch ${epoch}, step ${stepInEpoch}) must be whole numbers from 0`);
  }
}
