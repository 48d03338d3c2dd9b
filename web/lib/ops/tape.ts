// The gradient tape: while nn.grad()/valueAndGrads()/variableGrads() run their function, every
// op appends what it computed and how to take it back (its backward rule, written next to its
// forward in the op's file). grads.ts walks the entries in reverse to get the gradients.
//
// Why entries keep values, not tensors: a function under nn.grad may tidy() or dispose its
// intermediates before the backward pass runs. Values are immutable, so an entry keeps the
// arrays of its inputs and outputs and the backward pass revives them as fresh tensors
// (tidied there), whatever happened to the originals. Outside a gradient function nothing is
// recorded, so ops cost no more than their forward.
import { Tensor } from '../tensor';
import type { DataArray, DataType } from '../tensor';

export interface Saved {
  /** The op's inputs and outputs as they were when it ran. */
  inputs: Tensor[];
  outputs: Tensor[];
}

/** dy of each output -> d(input) of each input (null: no gradient flows to that input). */
export type Backward = (dys: Tensor[], saved: Saved) => (Tensor | null)[];

interface Frozen {
  id: number;
  values: DataArray;
  shape: number[];
  dtype: DataType;
}

export interface TapeEntry {
  name: string;
  inputs: Frozen[];
  outputs: Frozen[];
  /** Tensors the op reads without keeping their values (a model's weights, which the engine
   *  holds): backward returns their gradients after the inputs'. */
  refs: { id: number; dtype: DataType }[];
  backward: Backward;
}

const tapes: TapeEntry[][] = [];
let paused = 0;

export function recording(): boolean {
  return tapes.length > 0 && paused === 0;
}

function freeze(t: Tensor): Frozen {
  return { id: t.id, values: t.raw(), shape: t.shape, dtype: t.dtype };
}

/** A fresh tensor holding a frozen value (it shares the values array: nothing is copied). */
export function revive(f: Frozen): Tensor {
  return new Tensor(f.values, f.shape, f.dtype);
}

/** Records one op (only while a gradient function runs). */
export function record(name: string, inputs: Tensor[], outputs: Tensor | Tensor[], backward: Backward, refs: Tensor[] = []): void {
  if (!recording()) return;
  const outs = Array.isArray(outputs) ? outputs : [outputs];
  const entry: TapeEntry = { name, inputs: inputs.map(freeze), outputs: outs.map(freeze), refs: refs.map((t) => ({ id: t.id, dtype: t.dtype })), backward };
  for (const tape of tapes) tape.push(entry);
}

/** Runs fn with recording on; returns its result and the entries it recorded. */
export function withTape<T>(fn: () => T): { result: T; tape: TapeEntry[] } {
  const tape: TapeEntry[] = [];
  tapes.push(tape);
  try {
    return { result: fn(), tape };
  } finally {
    tapes.splice(tapes.indexOf(tape), 1);
  }
}

/** Runs fn without recording (backward rules, optimizer updates). */
export function withoutTape<T>(fn: () => T): T {
  paused++;
  try {
    return fn();
  } finally {
    paused--;
  }
}
