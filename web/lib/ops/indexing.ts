// TF.js's ops that index by the values of another tensor: gatherND (slices at coordinates),
// unsortedSegmentSum (sums by segment id), bincount and denseBincount (counts by value),
// searchSorted / lowerBound / upperBound (insertion points in sorted rows), and meshgrid. They
// run in JS as the core ops do; gatherND and unsortedSegmentSum have backward rules beside their
// forwards (each is the other's adjoint), the counts and insertion points are integers with no
// gradient, as in TF.js.
//
// Plain functions only (nn.gatherND(x, i), as TF.js has them): a bundler drops the ones an app
// does not import. tests/js/ops.test.ts runs each on nnplay and TF.js 4.22; their gradients are
// checked against finite differences in tests/js/ops-grad.test.ts.
import { Tensor, shapeSize } from '../tensor';
import type { TensorInput } from '../tensor';
import { record } from './tape';
import { allocate, fail, integerArg, makeTensor, release, requireDtype, shapeText, strides, toTensor } from './util';
import { reshape, tile } from './shape';
import { composite } from './reduce';

/** The int32 tensor of an indices-like argument (a plain array becomes int32, as in TF.js). */
function indexTensor(v: TensorInput, arg: string, op: string, converted: Tensor[]): Tensor {
  const t = toTensor(v, arg, op, converted, v instanceof Tensor ? undefined : 'int32');
  requireDtype(t, arg, op, ['int32']);
  return t;
}

/**
 * The slices of `x` at the coordinates in the last axis of `indices` (int32 [..., K], K <= rank
 * of x): the result has shape indices.shape[:-1] + x.shape[K:].
 */
export function gatherND(x: TensorInput, indices: TensorInput): Tensor {
  const op = 'gatherND';
  const converted: Tensor[] = [];
  const t = toTensor(x, 'x', op, converted);
  const idx = indexTensor(indices, 'indices', op, converted);
  try {
    if (idx.rank === 0) fail(op, 'indices must have rank >= 1 (coordinates along its last axis), got a scalar');
    const k = idx.shape[idx.rank - 1];
    if (k > t.rank) fail(op, `indices' last axis has ${k} coordinates, more than the ${t.rank} axes of x (shape ${shapeText(t.shape)})`);
    const slices = shapeSize(idx.shape.slice(0, -1));
    const sliceSize = shapeSize(t.shape.slice(k));
    const st = strides(t.shape);
    const iv = idx.raw();
    // Each slice's flat start in x, checked once for forward and backward.
    const starts = new Int32Array(slices);
    for (let s = 0; s < slices; s++) {
      let at = 0;
      for (let j = 0; j < k; j++) {
        const c = iv[s * k + j];
        if (c < 0 || c >= t.shape[j]) {
          fail(op, `indices[${s}] is [${Array.from(iv.subarray(s * k, s * k + k)).join(', ')}]; coordinate ${j} must be in [0, ${t.shape[j] - 1}] (x has shape ${shapeText(t.shape)})`);
        }
        at += c * st[j];
      }
      starts[s] = at;
    }
    const src = t.raw();
    const out = allocate(t.dtype, slices * sliceSize);
    for (let s = 0; s < slices; s++) for (let e = 0; e < sliceSize; e++) out[s * sliceSize + e] = src[starts[s] + e];
    const y = makeTensor(out, [...idx.shape.slice(0, -1), ...t.shape.slice(k)], t.dtype);
    record(op, [t, idx], y, ([dy], { inputs: [xs] }) => {
      const d = new Float32Array(xs.size);
      const dv = dy.raw();
      for (let s = 0; s < slices; s++) for (let e = 0; e < sliceSize; e++) d[starts[s] + e] += dv[s * sliceSize + e];
      return [makeTensor(d, xs.shape, 'float32'), null];
    });
    return y;
  } finally {
    release(converted);
  }
}

/**
 * Sums of the slices of `x` along its first axis by segment: `segmentIds` (an int32 vector, one id
 * per slice) says which of `numSegments` sums each slice goes to; ids outside [0, numSegments) add
 * to none. The result has shape [numSegments, ...x.shape[1:]].
 */
export function unsortedSegmentSum(x: TensorInput, segmentIds: TensorInput, numSegments: number): Tensor {
  const op = 'unsortedSegmentSum';
  const converted: Tensor[] = [];
  const t = toTensor(x, 'x', op, converted);
  const ids = indexTensor(segmentIds, 'segmentIds', op, converted);
  try {
    integerArg(op, 'numSegments', numSegments, 1);
    // A vector only, as TF.js documents it (its cpu backend fails on other ranks).
    if (ids.rank !== 1 || t.rank === 0 || ids.shape[0] !== t.shape[0]) {
      fail(op, `segmentIds must be a vector of one id per slice of x's first axis (x has shape ${shapeText(t.shape)}), got shape ${shapeText(ids.shape)}`);
    }
    const inner = shapeSize(t.shape.slice(ids.rank));
    const iv = ids.raw();
    const src = t.raw();
    const dtype = t.dtype === 'bool' ? 'int32' : t.dtype;
    const out = allocate(dtype, numSegments * inner);
    for (let s = 0; s < iv.length; s++) {
      const seg = iv[s];
      if (seg < 0 || seg >= numSegments) continue;
      for (let e = 0; e < inner; e++) out[seg * inner + e] += src[s * inner + e];
    }
    const y = makeTensor(out, [numSegments, ...t.shape.slice(ids.rank)], dtype);
    record(op, [t, ids], y, ([dy], { inputs: [xs] }) => {
      const d = new Float32Array(xs.size);
      const dv = dy.raw();
      for (let s = 0; s < iv.length; s++) {
        const seg = iv[s];
        if (seg < 0 || seg >= numSegments) continue;
        for (let e = 0; e < inner; e++) d[s * inner + e] = dv[seg * inner + e];
      }
      return [makeTensor(d, xs.shape, 'float32'), null];
    });
    return y;
  } finally {
    release(converted);
  }
}

// Counts (or sums of weights) of the values of one row, into out[at .. at + size).
function countRow(op: string, values: ArrayLike<number>, from: number, to: number, weights: ArrayLike<number> | null, size: number, binary: boolean, out: { [i: number]: number }, at: number): void {
  for (let i = from; i < to; i++) {
    const v = values[i];
    if (v < 0) fail(op, `x must be >= 0 (counts by value), got ${v} at index ${i}`);
    if (v >= size) continue;
    if (binary) out[at + v] = 1;
    else out[at + v] += weights ? weights[i] : 1;
  }
}

function checkCounts(op: string, t: Tensor, w: Tensor, size: number): void {
  requireDtype(t, 'x', op, ['int32']);
  integerArg(op, 'size', size, 0);
  if (w.size !== 0 && w.size !== t.size) fail(op, `weights must have the size of x (${t.size}) or be empty, got shape ${shapeText(w.shape)}`);
}

/**
 * How often each value 0..size-1 occurs in the int32 vector `x` (values >= size are left out), or
 * with `weights` (the shape of x) the sum of their weights; the result has weights' dtype.
 */
export function bincount(x: TensorInput, weights: TensorInput, size: number): Tensor {
  const op = 'bincount';
  const converted: Tensor[] = [];
  const t = toTensor(x, 'x', op, converted, x instanceof Tensor ? undefined : 'int32');
  const w = toTensor(weights, 'weights', op, converted);
  try {
    checkCounts(op, t, w, size);
    if (t.rank !== 1) fail(op, `x must be a vector (rank 1), got shape ${shapeText(t.shape)}`);
    const out = allocate(w.dtype, size);
    countRow(op, t.raw(), 0, t.size, w.size ? w.raw() : null, size, false, out, 0);
    return makeTensor(out, [size], w.dtype);
  } finally {
    release(converted);
  }
}

/**
 * bincount of a vector, or of each row of a matrix ([rows, size]); binaryOutput: 1 where a value
 * occurs instead of its count.
 */
export function denseBincount(x: TensorInput, weights: TensorInput, size: number, binaryOutput = false): Tensor {
  const op = 'denseBincount';
  const converted: Tensor[] = [];
  const t = toTensor(x, 'x', op, converted, x instanceof Tensor ? undefined : 'int32');
  const w = toTensor(weights, 'weights', op, converted);
  try {
    checkCounts(op, t, w, size);
    if (t.rank < 1 || t.rank > 2) fail(op, `x must be a vector or a matrix (rank 1 or 2), got shape ${shapeText(t.shape)}`);
    const rows = t.rank === 2 ? t.shape[0] : 1;
    const cols = t.shape[t.rank - 1];
    const out = allocate(w.dtype, rows * size);
    const wv = w.size ? w.raw() : null;
    for (let r = 0; r < rows; r++) countRow(op, t.raw(), r * cols, (r + 1) * cols, wv, size, binaryOutput, out, r * size);
    return makeTensor(out, t.rank === 2 ? [rows, size] : [size], w.dtype);
  } finally {
    release(converted);
  }
}

/**
 * For each value, the index at which it would be inserted into its row of `sortedSequence` (the
 * last axis, sorted ascending) to keep the row sorted: before equal elements ('left') or after
 * them ('right'). Leading axes pair rows of the two; int32 indices [rows, values per row].
 */
export function searchSorted(sortedSequence: TensorInput, values: TensorInput, side: 'left' | 'right' = 'left'): Tensor {
  const op = 'searchSorted';
  const converted: Tensor[] = [];
  const seq = toTensor(sortedSequence, 'sortedSequence', op, converted);
  const val = toTensor(values, 'values', op, converted);
  try {
    if (side !== 'left' && side !== 'right') fail(op, `side must be 'left' or 'right', got ${String(side)}`);
    if (seq.rank === 0 || val.rank === 0) fail(op, `sortedSequence and values must have rank >= 1, got shapes ${shapeText(seq.shape)} and ${shapeText(val.shape)}`);
    const n = seq.shape[seq.rank - 1];
    const m = val.shape[val.rank - 1];
    const rows = n === 0 ? 0 : seq.size / n;
    const valueRows = m === 0 ? 0 : val.size / m;
    if (rows !== valueRows) {
      fail(op, `sortedSequence and values must have as many rows (the product of their leading axes): ${shapeText(seq.shape)} has ${rows}, ${shapeText(val.shape)} ${valueRows}`);
    }
    const sv = seq.raw();
    const vv = val.raw();
    const out = new Int32Array(val.size);
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < m; j++) {
        const v = vv[r * m + j];
        // The first index whose element is >= v ('left') or > v ('right').
        let lo = 0;
        let hi = n;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          const e = sv[r * n + mid];
          if (side === 'left' ? e < v : e <= v) lo = mid + 1;
          else hi = mid;
        }
        out[r * m + j] = lo;
      }
    }
    // [rows, m] whatever values' rank: TF.js 4.22 returns its kernel's matrix as it is (a vector of
    // values gives [1, m]), and a program ported from it expects that shape.
    return makeTensor(out, [rows, m], 'int32');
  } finally {
    release(converted);
  }
}

/** searchSorted with side 'left'. */
export function lowerBound(sortedSequence: TensorInput, values: TensorInput): Tensor {
  return searchSorted(sortedSequence, values, 'left');
}

/** searchSorted with side 'right'. */
export function upperBound(sortedSequence: TensorInput, values: TensorInput): Tensor {
  return searchSorted(sortedSequence, values, 'right');
}

/**
 * Coordinate grids from two vectors (or tensors, flattened): indexing 'xy' gives [y.size, x.size]
 * grids (Cartesian, the default), 'ij' [x.size, y.size] (matrix). With x alone, [x].
 */
export function meshgrid(x?: TensorInput, y?: TensorInput, { indexing = 'xy' }: { indexing?: 'xy' | 'ij' } = {}): Tensor[] {
  const op = 'meshgrid';
  if (indexing !== 'xy' && indexing !== 'ij') fail(op, `indexing must be 'xy' or 'ij', got ${String(indexing)}`);
  if (x === undefined) return [];
  // One argument: that tensor itself, as TF.js returns it.
  if (y === undefined) return [x instanceof Tensor ? x : toTensor(x, 'x', op, [])];
  const converted: Tensor[] = [];
  const a = toTensor(x, 'x', op, converted);
  const b = toTensor(y, 'y', op, converted);
  try {
    const rows = indexing === 'xy' ? b.size : a.size;
    const cols = indexing === 'xy' ? a.size : b.size;
    const across = indexing === 'xy' ? a : b; // varies along the columns
    const down = indexing === 'xy' ? b : a; // varies along the rows
    // In a scope: the reshaped rows and columns are not left behind (tensor counts, as TF.js's tidy).
    return composite(op, () => {
      const gridAcross = tile(reshape(across, [1, cols]), [rows, 1]);
      const gridDown = tile(reshape(down, [rows, 1]), [1, cols]);
      return indexing === 'xy' ? [gridAcross, gridDown] : [gridDown, gridAcross];
    });
  } finally {
    release(converted);
  }
}
