// TF.js's ops that index by the values of another tensor: gatherND (slices at coordinates),
// scatterND and tensorScatterUpdate (slices written at coordinates), unsortedSegmentSum (sums by
// segment id), bincount and denseBincount (counts by value), searchSorted / lowerBound /
// upperBound (insertion points in sorted rows), meshgrid, and the ones whose result's size
// depends on the data, which TF.js has only as async functions: whereAsync, booleanMaskAsync,
// setdiff1dAsync. They run in JS as the core ops do; the ones that move values have backward
// rules beside their forwards (gathering and scattering are each other's adjoints), the counts
// and indices are integers with no gradient, as in TF.js.
//
// Plain functions only (nn.gatherND(x, i), as TF.js has them): a bundler drops the ones an app
// does not import. tests/js/ops.test.ts runs each on nnplay and TF.js 4.22; their gradients are
// checked against finite differences in tests/js/ops-grad.test.ts.
import { Tensor, shapeSize } from '../tensor';
import type { TensorInput } from '../tensor';
import { record } from './tape';
import { allocate, fail, integerArg, makeTensor, release, requireDtype, shapeText, strides, toTensor } from './util';
import { gather, reshape, tile } from './shape';
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
    // Each slice's flat start in x, checked once for forward and backward.
    const { starts, sliceSize, k } = sliceStarts(op, idx, t.shape, 'x');
    const slices = starts.length;
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

// The flat start in a tensor of `shape` (called `named` in messages) of each slice that the
// coordinates along the last axis of `indices` (int32 [..., K], K <= rank) name, each checked.
function sliceStarts(op: string, idx: Tensor, shape: readonly number[], named: string): { starts: Int32Array; sliceSize: number; k: number } {
  if (idx.rank === 0) fail(op, 'indices must have rank >= 1 (coordinates along its last axis), got a scalar');
  const k = idx.shape[idx.rank - 1];
  if (k > shape.length) fail(op, `indices' last axis has ${k} coordinates, more than the ${shape.length} axes of ${named} (shape ${shapeText(shape)})`);
  const slices = shapeSize(idx.shape.slice(0, -1));
  const st = strides(shape);
  const iv = idx.raw();
  const starts = new Int32Array(slices);
  for (let s = 0; s < slices; s++) {
    let at = 0;
    for (let j = 0; j < k; j++) {
      const c = iv[s * k + j];
      if (c < 0 || c >= shape[j]) {
        fail(op, `indices[${s}] is [${Array.from(iv.subarray(s * k, s * k + k)).join(', ')}]; coordinate ${j} must be in [0, ${shape[j] - 1}] (${named} has shape ${shapeText(shape)})`);
      }
      at += c * st[j];
    }
    starts[s] = at;
  }
  return { starts, sliceSize: shapeSize(shape.slice(k)), k };
}

// sliceStarts for a scatter, after checking that updates' shape is indices.shape[:-1] +
// shape[K:] (TF.js's scatter rule).
function scatterStarts(op: string, idx: Tensor, updates: Tensor, shape: readonly number[], named: string): { starts: Int32Array; sliceSize: number } {
  const { starts, sliceSize, k } = sliceStarts(op, idx, shape, named);
  const want = [...idx.shape.slice(0, -1), ...shape.slice(k)];
  if (want.length !== updates.rank || want.some((d, i) => d !== updates.shape[i])) {
    fail(op, `updates must have shape ${shapeText(want)} (indices' leading axes, then the slice), got ${shapeText(updates.shape)}`);
  }
  return { starts, sliceSize };
}

/** Zeros of `shape` with each slice of `updates` added at its coordinates in `indices` (repeated coordinates add up). */
export function scatterND(indices: TensorInput, updates: TensorInput, shape: number[]): Tensor {
  const op = 'scatterND';
  const converted: Tensor[] = [];
  const idx = indexTensor(indices, 'indices', op, converted);
  const u = toTensor(updates, 'updates', op, converted);
  try {
    if (!Array.isArray(shape)) fail(op, `shape must be an array of sizes, got ${String(shape)}`);
    shape.forEach((d, i) => integerArg(op, `shape[${i}]`, d));
    const { starts, sliceSize } = scatterStarts(op, idx, u, shape, 'the result');
    const uv = u.raw();
    const out = allocate(u.dtype, shapeSize(shape));
    for (let s = 0; s < starts.length; s++) for (let e = 0; e < sliceSize; e++) out[starts[s] + e] += uv[s * sliceSize + e];
    const y = makeTensor(out, [...shape], u.dtype);
    record(op, [idx, u], y, ([dy]) => {
      const dv = dy.raw();
      const d = new Float32Array(starts.length * sliceSize);
      for (let s = 0; s < starts.length; s++) for (let e = 0; e < sliceSize; e++) d[s * sliceSize + e] = dv[starts[s] + e];
      return [null, makeTensor(d, u.shape, 'float32')];
    });
    return y;
  } finally {
    release(converted);
  }
}

/**
 * A copy of `tensor` with the slices at `indices` replaced by those of `updates` (the last of
 * repeated coordinates wins, as TF.js's cpu backend).
 */
export function tensorScatterUpdate(tensor: TensorInput, indices: TensorInput, updates: TensorInput): Tensor {
  const op = 'tensorScatterUpdate';
  const converted: Tensor[] = [];
  const t = toTensor(tensor, 'tensor', op, converted);
  const idx = indexTensor(indices, 'indices', op, converted);
  const u = toTensor(updates, 'updates', op, converted);
  try {
    if (u.dtype !== t.dtype) fail(op, `tensor and updates must have one dtype, got ${t.dtype} and ${u.dtype}`);
    const { starts, sliceSize } = scatterStarts(op, idx, u, t.shape, 'tensor');
    // Which update slice each written element comes from (-1: kept from tensor).
    const source = new Int32Array(t.size).fill(-1);
    for (let s = 0; s < starts.length; s++) for (let e = 0; e < sliceSize; e++) source[starts[s] + e] = s * sliceSize + e;
    const tv = t.raw();
    const uv = u.raw();
    const out = allocate(t.dtype, t.size);
    for (let i = 0; i < out.length; i++) out[i] = source[i] < 0 ? tv[i] : uv[source[i]];
    const y = makeTensor(out, t.shape, t.dtype);
    record(op, [t, idx, u], y, ([dy]) => {
      const dv = dy.raw();
      const dt = new Float32Array(t.size);
      const du = new Float32Array(u.size);
      for (let i = 0; i < dv.length; i++) {
        if (source[i] < 0) dt[i] = dv[i];
        else du[source[i]] = dv[i];
      }
      return [makeTensor(dt, t.shape, 'float32'), null, makeTensor(du, u.shape, 'float32')];
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

// ---- results whose size depends on the data (async in TF.js, so they are here too) -----------------

/** The coordinates (int32 [count, rank]) of the true elements of a bool tensor, in row-major order. */
export async function whereAsync(condition: TensorInput): Promise<Tensor> {
  const op = 'whereAsync';
  const converted: Tensor[] = [];
  const c = toTensor(condition, 'condition', op, converted, condition instanceof Tensor ? undefined : 'bool');
  try {
    requireDtype(c, 'condition', op, ['bool']);
    const v = c.raw();
    const st = strides(c.shape);
    const coords: number[] = [];
    for (let i = 0; i < v.length; i++) {
      if (!v[i]) continue;
      let rest = i;
      for (let a = 0; a < c.rank; a++) {
        coords.push(Math.floor(rest / st[a]));
        rest %= st[a];
      }
    }
    return makeTensor(Int32Array.from(coords), [c.rank === 0 ? coords.length : coords.length / c.rank, c.rank], 'int32');
  } finally {
    release(converted);
  }
}

/**
 * The slices of `tensor` where the bool `mask` (the shape of tensor's axes axis, axis+1, ...) is
 * true, those axes flattened into one; differentiable (a gather).
 */
export async function booleanMaskAsync(tensor: TensorInput, mask: TensorInput, axis = 0): Promise<Tensor> {
  const op = 'booleanMaskAsync';
  const converted: Tensor[] = [];
  const t = toTensor(tensor, 'tensor', op, converted);
  const m = toTensor(mask, 'mask', op, converted, mask instanceof Tensor ? undefined : 'bool');
  try {
    requireDtype(m, 'mask', op, ['bool']);
    if (m.rank === 0) fail(op, 'mask cannot be a scalar');
    integerArg(op, 'axis', axis);
    const covered = t.shape.slice(axis, axis + m.rank);
    if (covered.length !== m.rank || covered.some((d, i) => d !== m.shape[i])) {
      fail(op, `mask's shape ${shapeText(m.shape)} must match tensor's axes ${axis}..${axis + m.rank - 1} (tensor has shape ${shapeText(t.shape)})`);
    }
    const mv = m.raw();
    const picked: number[] = [];
    for (let i = 0; i < mv.length; i++) if (mv[i]) picked.push(i);
    return composite(op, () => {
      const flat = reshape(t, [...t.shape.slice(0, axis), m.size, ...t.shape.slice(axis + m.rank)]);
      return gather(flat, makeTensor(Int32Array.from(picked), [picked.length], 'int32'), axis);
    });
  } finally {
    release(converted);
  }
}

/** The values of the vector x that are not in the vector y, in x's order, and their indices in x (int32). */
export async function setdiff1dAsync(x: TensorInput, y: TensorInput): Promise<[Tensor, Tensor]> {
  const op = 'setdiff1dAsync';
  const converted: Tensor[] = [];
  const a = toTensor(x, 'x', op, converted);
  const b = toTensor(y, 'y', op, converted);
  try {
    if (a.dtype !== b.dtype) fail(op, `x and y must have one dtype, got ${a.dtype} and ${b.dtype}`);
    if (a.rank !== 1 || b.rank !== 1) fail(op, `x and y must be vectors (rank 1), got shapes ${shapeText(a.shape)} and ${shapeText(b.shape)}`);
    const drop = new Set(Array.from(b.raw()));
    const av = a.raw();
    const kept: number[] = [];
    for (let i = 0; i < av.length; i++) if (!drop.has(av[i])) kept.push(i);
    const out = allocate(a.dtype, kept.length);
    kept.forEach((i, k) => (out[k] = av[i]));
    return [makeTensor(out, [kept.length], a.dtype), makeTensor(Int32Array.from(kept), [kept.length], 'int32')];
  } finally {
    release(converted);
  }
}
