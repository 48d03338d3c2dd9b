// The bounds of every count a user passes (epochs, batch sizes, seeds, layer sizes, nesting),
// stated once, and the integer check that says them in its message.
//
// Why bounds at all: a count only has to be an integer to pass a plain check, so epochs: 1e300
// trained forever and a batch size past 2^31 wrapped when it crossed into the engine's int.
// Each bound is far beyond any real use and small enough that the work it asks for ends.
import { describe } from './describe';

export const limits = {
  /** fit() epochs (and so initialEpoch < epochs): a million epochs of one sample ends. */
  epochs: 1_000_000,
  /** fit()/evaluate() batchSize: the engine's largest dataset tensor holds 2^28 floats. */
  batchSize: 2 ** 28,
  /** Model seeds: integers that a JS number holds exactly (the engine keeps 64 bits). */
  seed: Number.MAX_SAFE_INTEGER,
  /** A layer's units, filters, window sizes, strides and inputShape dimensions. */
  dimension: 2 ** 28,
  /** Nesting of the arrays given to nn.tensor() (the rank of the tensor it makes). */
  tensorRank: 32,
} as const;

function bound(n: number): string {
  if (n === Number.MAX_SAFE_INTEGER) return '2^53 - 1';
  const log2 = Math.log2(n);
  return Number.isInteger(log2) && log2 > 20 ? `2^${log2}` : String(n);
}

/** "[1, 2^28]": a closed range as messages write it. */
export function range(min: number, max: number): string {
  return `[${bound(min)}, ${bound(max)}]`;
}

/**
 * `v` if it is an integer in [min, max]; otherwise throws `nnplay: <where>: <what> must be an
 * integer in [min, max], got <what v is>`. The bound is always said, so 1e300 reads as too
 * large rather than as a mystery.
 */
export function integerIn(where: string, what: string, v: unknown, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new Error(`nnplay: ${where}: ${what} must be an integer in ${range(min, max)}, got ${describe(v)}`);
  }
  return v;
}
