// fit()'s and fitDataset()'s yieldEvery option (TF.js's values): how often a training loop
// gives the event loop a turn. A module of its own because fit() checks it and fit() is in every
// app, while fitDataset() (fit-dataset.ts) is a chunk loaded on its first call.
import { describe } from './describe';

export type YieldEvery = 'auto' | 'batch' | 'epoch' | 'never' | number;

/** Checks yieldEvery (fit and fitDataset): TF.js's values. */
export function checkYieldEvery(where: string, v: unknown): YieldEvery {
  if (v === undefined) return 'auto';
  if (v === 'auto' || v === 'batch' || v === 'epoch' || v === 'never') return v;
  if (typeof v === 'number' && Number.isFinite(v) && v >= 0) return v;
  throw new Error(`nnplay: ${where}: yieldEvery must be 'auto', 'batch', 'epoch', 'never' or a number of milliseconds >= 0, got ${describe(v)}`);
}
