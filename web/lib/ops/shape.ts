// Shape ops: clone, reshape, expandDims, squeeze, slice, gather, concat, stack, unstack, split,
// tile, pad, mirrorPad, depthToSpace, ensureShape, transpose, broadcastTo. They move values and never change them, so reshape, clone,
// expandDims and squeeze share their input's values array (immutable: safe to share; TF.js
// shares the data buffer the same way and memory() counts it once).
import { describe, quote } from '../describe';
import { Tensor, checkShape, shapeSize } from '../tensor';
import type { DataArray, TensorInput } from '../tensor';
import { runScoped } from './scope';
import { record } from './tape';
import { allocate, fail, integerArg, makeTensor, normalizeAxis, release, requireDtype, shapeText, strides, toTensor } from './util';
import { reduceTo } from './elementwise';
import { sum } from './reduce';

const isTensor = (v: unknown): boolean => v instanceof Tensor;

/** A new tensor with the same values (shared, not copied) and dtype. */
export function clone(x: TensorInput): Tensor {
  const converted: Tensor[] = [];
  const t = toTensor(x, 'x', 'clone', converted);
  const y = makeTensor(t.raw(), t.shape, t.dtype);
  record('clone', [t], y, ([dy]) => [dy]);
  release(converted);
  return y;
}

/** The same values in a new shape of the same size; one dimension may be -1 (inferred). */
export function reshape(x: TensorInput, shape: number[]): Tensor {
  const op = 'reshape';
  const converted: Tensor[] = [];
  const t = toTensor(x, 'x', op, converted);
  try {
    if (!Array.isArray(shape)) fail(op, `shape must be an array of integers, got ${describe(shape)}`);
    const inferAt = shape.indexOf(-1);
    if (inferAt !== shape.lastIndexOf(-1)) fail(op, `shape ${quote(shape)} has more than one -1; at most one dimension can be inferred`);
    let target = shape;
    if (inferAt >= 0) {
      const known = shapeSize(shape.filter((_, i) => i !== inferAt));
      if (known === 0 || t.size % known !== 0) fail(op, `cannot reshape ${t.size} values (shape ${shapeText(t.shape)}) into ${quote(shape)}`);
      target = shape.map((d, i) => (i === inferAt ? t.size / known : d));
    }
    const checked = checkShape(target, 'reshape()');
    if (shapeSize(checked) !== t.size) {
      fail(op, `cannot reshape ${t.size} values (shape ${shapeText(t.shape)}) into shape ${shapeText(checked)} (${shapeSize(checked)} values)`);
    }
    const y = makeTensor(t.raw(), checked, t.dtype);
    record(op, [t], y, ([dy], { inputs: [xs] }) => [reshape(dy, xs.shape)]);
    return y;
  } finally {
    release(converted);
  }
}

/** Inserts a dimension of size 1 at `axis` (in [-(rank+1), rank]). */
export function expandDims(x: TensorInput, axis = 0): Tensor {
  const converted: Tensor[] = [];
  const t = toTensor(x, 'x', 'expandDims', converted);
  try {
    const a = normalizeAxis('expandDims', axis, t.rank + 1);
    const shape = [...t.shape];
    shape.splice(a, 0, 1);
    return reshape(t, shape);
  } finally {
    release(converted);
  }
}

/** Removes dimensions of size 1 (all of them, or those in `axis`, which must be 1). */
export function squeeze(x: TensorInput, axis?: number[]): Tensor {
  const op = 'squeeze';
  const converted: Tensor[] = [];
  const t = toTensor(x, 'x', op, converted);
  try {
    const axes = axis === undefined ? null : (Array.isArray(axis) ? axis : [axis]).map((a) => normalizeAxis(op, a, t.rank));
    for (const a of axes ?? []) if (t.shape[a] !== 1) fail(op, `cannot squeeze axis ${a}: its size is ${t.shape[a]}, not 1 (shape ${shapeText(t.shape)})`);
    return reshape(t, t.shape.filter((d, i) => (axes ? !axes.includes(i) : d !== 1)));
  } finally {
    release(converted);
  }
}

/** For each position of a block of `shape` starting at `begin` inside `outer`, the flat index in outer. */
function blockIndex(outer: readonly number[], begin: readonly number[], shape: readonly number[]): Int32Array {
  const n = shapeSize(shape);
  const st = strides(outer);
  const index = new Int32Array(n);
  const rank = shape.length;
  const counter = new Array<number>(rank).fill(0);
  let at = 0;
  for (let d = 0; d < rank; d++) at += begin[d] * st[d];
  for (let k = 0; k < n; k++) {
    index[k] = at;
    for (let d = rank - 1; d >= 0; d--) {
      counter[d]++;
      at += st[d];
      if (counter[d] < shape[d]) break;
      at -= st[d] * counter[d];
      counter[d] = 0;
    }
  }
  return index;
}

/** x[begin : begin + size] per dimension; size -1 means "to the end". begin/size may be numbers (TF.js). */
export function slice(x: TensorInput, begin: number | number[], size?: number | number[]): Tensor {
  const op = 'slice';
  const converted: Tensor[] = [];
  const t = toTensor(x, 'x', op, converted);
  try {
    const rank = t.rank;
    const b = typeof begin === 'number' ? [begin, ...new Array<number>(Math.max(0, rank - 1)).fill(0)] : Array.isArray(begin) ? [...begin] : fail(op, `begin must be a number or an array, got ${describe(begin)}`);
    const s = size === undefined ? new Array<number>(rank).fill(-1) : typeof size === 'number' ? [size, ...new Array<number>(Math.max(0, rank - 1)).fill(-1)] : Array.isArray(size) ? [...size] : fail(op, `size must be a number or an array, got ${describe(size)}`);
    while (b.length < rank) b.push(0);
    while (s.length < rank) s.push(-1);
    if (b.length !== rank || s.length !== rank) fail(op, `begin ${quote(begin)} and size ${quote(size)} need at most ${rank} entries for shape ${shapeText(t.shape)}`);
    const shape = s.map((d, i) => {
      const from = integerArg(op, `begin[${i}]`, b[i]);
      if (from > t.shape[i]) fail(op, `begin[${i}] = ${from} lies past dimension ${i} of size ${t.shape[i]}`);
      const n = d === -1 ? t.shape[i] - from : integerArg(op, `size[${i}]`, d);
      if (from + n > t.shape[i]) fail(op, `begin[${i}] + size[${i}] = ${from + n} lies past dimension ${i} of size ${t.shape[i]} (shape ${shapeText(t.shape)})`);
      return n;
    });
    const index = blockIndex(t.shape, b, shape);
    const src = t.raw();
    const out = allocate(t.dtype, index.length);
    for (let k = 0; k < index.length; k++) out[k] = src[index[k]];
    const y = makeTensor(out, shape, t.dtype);
    record(op, [t], y, ([dy], { inputs: [xs] }) => [pad(dy, xs.shape.map((d, i) => [b[i], d - b[i] - shape[i]] as [number, number]))]);
    return y;
  } finally {
    release(converted);
  }
}

/** x padded with `constantValue`: paddings[i] = [before, after] for dimension i. */
export function pad(x: TensorInput, paddings: [number, number][], constantValue = 0): Tensor {
  const op = 'pad';
  const converted: Tensor[] = [];
  const t = toTensor(x, 'x', op, converted);
  try {
    if (!Array.isArray(paddings) || paddings.length !== t.rank || !paddings.every((p) => Array.isArray(p) && p.length === 2)) {
      fail(op, `paddings must be ${t.rank} pairs [before, after] (one per dimension of shape ${shapeText(t.shape)}), got ${quote(paddings)}`);
    }
    paddings.forEach(([a, b], i) => {
      integerArg(op, `paddings[${i}][0]`, a);
      integerArg(op, `paddings[${i}][1]`, b);
    });
    const shape = t.shape.map((d, i) => d + paddings[i][0] + paddings[i][1]);
    const out = allocate(t.dtype, shapeSize(shape));
    out.fill(constantValue);
    const index = blockIndex(shape, paddings.map((p) => p[0]), t.shape);
    const src = t.raw();
    for (let k = 0; k < index.length; k++) out[index[k]] = src[k];
    const y = makeTensor(out, shape, t.dtype);
    record(op, [t], y, ([dy], { inputs: [xs] }) => [slice(dy, paddings.map((p) => p[0]), xs.shape)]);
    return y;
  } finally {
    release(converted);
  }
}

/**
 * x padded with its own values mirrored at each edge: 'reflect' leaves the edge element out
 * (paddings at most dim - 1), 'symmetric' repeats it (at most dim), as TF.js's mirrorPad.
 */
export function mirrorPad(x: TensorInput, paddings: [number, number][], mode: 'reflect' | 'symmetric'): Tensor {
  const op = 'mirrorPad';
  const converted: Tensor[] = [];
  const t = toTensor(x, 'x', op, converted);
  try {
    if (mode !== 'reflect' && mode !== 'symmetric') fail(op, `mode must be 'reflect' or 'symmetric', got ${quote(mode)}`);
    if (t.rank === 0) fail(op, 'needs a tensor of rank 1 or more, got a scalar');
    if (!Array.isArray(paddings) || paddings.length !== t.rank || !paddings.every((p) => Array.isArray(p) && p.length === 2)) {
      fail(op, `paddings must be ${t.rank} pairs [before, after] (one per dimension of shape ${shapeText(t.shape)}), got ${quote(paddings)}`);
    }
    const reflect = mode === 'reflect';
    paddings.forEach(([a, b], i) => {
      const most = t.shape[i] - (reflect ? 1 : 0);
      for (const [v, which] of [[a, 0], [b, 1]] as const) {
        integerArg(op, `paddings[${i}][${which}]`, v);
        if (v > most) fail(op, `paddings[${i}][${which}] is ${v}; ${mode} padding of dimension ${i} (size ${t.shape[i]}) can be at most ${most}`);
      }
    });
    const shape = t.shape.map((d, i) => d + paddings[i][0] + paddings[i][1]);
    // Per axis, the input coordinate of each output coordinate; then each output's flat source.
    const sourceOf = shape.map((len, axis) =>
      Int32Array.from({ length: len }, (_, o) => {
        const n = t.shape[axis];
        const i = o - paddings[axis][0];
        if (i < 0) return reflect ? -i : -i - 1;
        if (i >= n) return reflect ? 2 * (n - 1) - i : 2 * n - 1 - i;
        return i;
      }),
    );
    const st = strides(t.shape);
    const total = shapeSize(shape);
    const from = new Int32Array(total);
    const counter = new Array<number>(shape.length).fill(0);
    for (let k = 0; k < total; k++) {
      let at = 0;
      for (let a = 0; a < shape.length; a++) at += sourceOf[a][counter[a]] * st[a];
      from[k] = at;
      for (let a = shape.length - 1; a >= 0; a--) {
        if (++counter[a] < shape[a]) break;
        counter[a] = 0;
      }
    }
    const src = t.raw();
    const out = allocate(t.dtype, total);
    for (let k = 0; k < total; k++) out[k] = src[from[k]];
    const y = makeTensor(out, shape, t.dtype);
    // Each input element gets the gradient of every output it was copied to.
    record(op, [t], y, ([dy], { inputs: [xs] }) => {
      const d = new Float32Array(xs.size);
      const dv = dy.raw();
      for (let k = 0; k < total; k++) d[from[k]] += dv[k];
      return [makeTensor(d, xs.shape, 'float32')];
    });
    return y;
  } finally {
    release(converted);
  }
}

/**
 * Blocks of channels moved into space, as TF.js's depthToSpace: [b, h, w, c] (NHWC) becomes
 * [b, h·s, w·s, c / s²]; output pixel (y·s + i, x·s + j) takes channels (i·s + j)·c/s² onward.
 */
export function depthToSpace(x: TensorInput, blockSize: number, dataFormat: 'NHWC' | 'NCHW' = 'NHWC'): Tensor {
  const op = 'depthToSpace';
  const converted: Tensor[] = [];
  const t = toTensor(x, 'x', op, converted);
  try {
    if (dataFormat !== 'NHWC') fail(op, `dataFormat must be 'NHWC' (channels last, as every nnplay image op) yet, got ${quote(dataFormat)}`);
    if (t.rank !== 4) fail(op, `needs a batch of images [batch, height, width, channels] (rank 4), got shape ${shapeText(t.shape)}`);
    integerArg(op, 'blockSize', blockSize, 2);
    const [b, h, w, c] = t.shape;
    if (c % (blockSize * blockSize) !== 0) fail(op, `the channels (${c}) must be a multiple of blockSize² (${blockSize * blockSize})`);
    const depth = c / (blockSize * blockSize);
    // Composed of reshapes and a transpose (so it has their gradients), in a scope that keeps the result only.
    return runScoped(op, () => reshape(transpose(reshape(t, [b, h, w, blockSize, blockSize, depth]), [0, 1, 3, 2, 4, 5]), [b, h * blockSize, w * blockSize, depth]), isTensor);
  } finally {
    release(converted);
  }
}

/** x itself when its shape is `shape` (null: any size there), else an error naming both, as TF.js's ensureShape. */
export function ensureShape(x: TensorInput, shape: (number | null)[]): Tensor {
  const op = 'ensureShape';
  const t = x instanceof Tensor ? x : toTensor(x, 'x', op, []);
  if (!Array.isArray(shape) || shape.length !== t.rank || shape.some((d, i) => d !== null && d !== t.shape[i])) {
    fail(op, `the tensor has shape ${shapeText(t.shape)}, not ${quote(shape)}`);
  }
  return t;
}

/** Dimensions permuted: result dimension i is input dimension perm[i] (default: reversed). */
export function transpose(x: TensorInput, perm?: number[]): Tensor {
  const op = 'transpose';
  const converted: Tensor[] = [];
  const t = toTensor(x, 'x', op, converted);
  try {
    const rank = t.rank;
    const p = perm ?? Array.from({ length: rank }, (_, i) => rank - 1 - i);
    if (!Array.isArray(p) || p.length !== rank || [...p].sort((a, b) => a - b).some((v, i) => v !== i)) {
      fail(op, `perm must be a permutation of 0..${rank - 1} for shape ${shapeText(t.shape)}, got ${quote(perm)}`);
    }
    const shape = p.map((d) => t.shape[d]);
    const st = strides(t.shape);
    const permStrides = p.map((d) => st[d]);
    const n = t.size;
    const src = t.raw();
    const out = allocate(t.dtype, n);
    const counter = new Array<number>(rank).fill(0);
    let at = 0;
    for (let k = 0; k < n; k++) {
      out[k] = src[at];
      for (let d = rank - 1; d >= 0; d--) {
        counter[d]++;
        at += permStrides[d];
        if (counter[d] < shape[d]) break;
        at -= permStrides[d] * counter[d];
        counter[d] = 0;
      }
    }
    const y = makeTensor(out, shape, t.dtype);
    const inverse = new Array<number>(rank);
    p.forEach((d, i) => (inverse[d] = i));
    record(op, [t], y, ([dy]) => [transpose(dy, inverse)]);
    return y;
  } finally {
    release(converted);
  }
}

/** x repeated to `shape` along its size-1 (and missing leading) dimensions. */
export function broadcastTo(x: TensorInput, shape: number[]): Tensor {
  const op = 'broadcastTo';
  const converted: Tensor[] = [];
  const t = toTensor(x, 'x', op, converted);
  try {
    const target = checkShape(shape, 'broadcastTo()');
    if (target.length < t.rank) fail(op, `cannot broadcast shape ${shapeText(t.shape)} to the lower-rank ${shapeText(target)}`);
    const lead = target.length - t.rank;
    const padded = [...new Array<number>(lead).fill(1), ...t.shape];
    padded.forEach((d, i) => {
      if (d !== 1 && d !== target[i]) fail(op, `cannot broadcast shape ${shapeText(t.shape)} to ${shapeText(target)}: dimension ${i} is ${d}, neither 1 nor ${target[i]}`);
    });
    const reps = target.map((d, i) => (padded[i] === 1 ? d : 1));
    const y = tileValues(t.raw(), padded, reps, t.dtype);
    const out = makeTensor(y, target, t.dtype);
    record(op, [t], out, ([dy], { inputs: [xs] }) => [reduceTo(dy, xs.shape)]);
    return out;
  } finally {
    release(converted);
  }
}

function tileValues(src: DataArray, shape: readonly number[], reps: readonly number[], dtype: Tensor['dtype']): DataArray {
  const outShape = shape.map((d, i) => d * reps[i]);
  const n = shapeSize(outShape);
  const out = allocate(dtype, n);
  const rank = shape.length;
  const st = strides(shape);
  const counter = new Array<number>(rank).fill(0);
  for (let k = 0; k < n; k++) {
    let at = 0;
    for (let d = 0; d < rank; d++) at += (counter[d] % shape[d]) * st[d];
    out[k] = src[at];
    for (let d = rank - 1; d >= 0; d--) {
      counter[d]++;
      if (counter[d] < outShape[d]) break;
      counter[d] = 0;
    }
  }
  return out;
}

/** x repeated reps[i] times along dimension i. */
export function tile(x: TensorInput, reps: number[]): Tensor {
  const op = 'tile';
  const converted: Tensor[] = [];
  const t = toTensor(x, 'x', op, converted);
  try {
    if (!Array.isArray(reps) || reps.length !== t.rank) fail(op, `reps must have one entry per dimension (${t.rank} for shape ${shapeText(t.shape)}), got ${quote(reps)}`);
    reps.forEach((r, i) => integerArg(op, `reps[${i}]`, r));
    const y = makeTensor(tileValues(t.raw(), t.shape, reps, t.dtype), t.shape.map((d, i) => d * reps[i]), t.dtype);
    record(op, [t], y, ([dy], { inputs: [xs] }) => {
      // dy [r0·d0, r1·d1, …] as [r0, d0, r1, d1, …], summed over the r axes.
      const interleaved = xs.shape.flatMap((d, i) => [reps[i], d]);
      const repAxes = xs.shape.map((_, i) => 2 * i);
      return [reshape(sum(reshape(dy, interleaved), repAxes), xs.shape)];
    });
    return y;
  } finally {
    release(converted);
  }
}

/** Slices of x along `axis` picked by int32 `indices` (any shape): x.shape[:axis] + indices.shape + x.shape[axis+1:]. */
export function gather(x: TensorInput, indices: TensorInput, axis = 0): Tensor {
  const op = 'gather';
  const converted: Tensor[] = [];
  const t = toTensor(x, 'x', op, converted);
  const idx = toTensor(indices, 'indices', op, converted, indices instanceof Tensor ? undefined : 'int32');
  try {
    requireDtype(idx, 'indices', op, ['int32']);
    if (t.rank === 0) fail(op, 'needs x of rank >= 1, got a scalar');
    const a = normalizeAxis(op, axis, t.rank);
    const outer = shapeSize(t.shape.slice(0, a));
    const n = t.shape[a];
    const inner = shapeSize(t.shape.slice(a + 1));
    const iv = idx.raw();
    for (let i = 0; i < iv.length; i++) {
      if (iv[i] < 0 || iv[i] >= n) fail(op, `indices[${i}] (flattened) is ${iv[i]}; indices along axis ${a} must be in [0, ${n - 1}] (shape ${shapeText(t.shape)})`);
    }
    const src = t.raw();
    const out = allocate(t.dtype, outer * iv.length * inner);
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < iv.length; i++) {
        const from = (o * n + iv[i]) * inner;
        const to = (o * iv.length + i) * inner;
        for (let j = 0; j < inner; j++) out[to + j] = src[from + j];
      }
    }
    const shape = [...t.shape.slice(0, a), ...idx.shape, ...t.shape.slice(a + 1)];
    const y = makeTensor(out, shape, t.dtype);
    record(op, [t, idx], y, ([dy], { inputs: [xs, is] }) => {
      const d = new Float32Array(xs.size);
      const dv = dy.raw();
      const ix = is.raw();
      for (let o = 0; o < outer; o++) {
        for (let i = 0; i < ix.length; i++) {
          const to = (o * n + ix[i]) * inner;
          const from = (o * ix.length + i) * inner;
          for (let j = 0; j < inner; j++) d[to + j] += dv[from + j];
        }
      }
      return [makeTensor(d, xs.shape, 'float32'), null];
    });
    return y;
  } finally {
    release(converted);
  }
}

/** Tensors joined along `axis`; all have the same rank, dtype and other dimensions. */
export function concat(tensors: TensorInput[], axis = 0): Tensor {
  const op = 'concat';
  if (!Array.isArray(tensors) || tensors.length === 0) fail(op, `needs a non-empty array of tensors, got ${describe(tensors)}`);
  const converted: Tensor[] = [];
  const ts = tensors.map((x, i) => toTensor(x, `tensors[${i}]`, op, converted));
  try {
    const first = ts[0];
    if (first.rank === 0) fail(op, 'cannot join scalars (rank 0); use nn.stack() to make a 1-D tensor of them');
    const a = normalizeAxis(op, axis, first.rank);
    ts.forEach((t, i) => {
      if (t.dtype !== first.dtype) fail(op, `tensors[${i}] is ${t.dtype} but tensors[0] is ${first.dtype}; all must have one dtype (cast them)`);
      if (t.rank !== first.rank || t.shape.some((d, j) => j !== a && d !== first.shape[j])) {
        fail(op, `tensors[${i}] has shape ${shapeText(t.shape)}, tensors[0] ${shapeText(first.shape)}: all dimensions but axis ${a} must match`);
      }
    });
    const outer = shapeSize(first.shape.slice(0, a));
    const inner = shapeSize(first.shape.slice(a + 1));
    const sizes = ts.map((t) => t.shape[a]);
    const total = sizes.reduce((p, q) => p + q, 0);
    const out = allocate(first.dtype, outer * total * inner);
    let offset = 0;
    ts.forEach((t, i) => {
      const src = t.raw();
      const chunk = sizes[i] * inner;
      for (let o = 0; o < outer; o++) out.set(src.subarray(o * chunk, (o + 1) * chunk), o * total * inner + offset);
      offset += chunk;
    });
    const shape = [...first.shape];
    shape[a] = total;
    const y = makeTensor(out, shape, first.dtype);
    record(op, ts, y, ([dy]) => split(dy, sizes, a));
    return y;
  } finally {
    release(converted);
  }
}

/** Tensors of one shape stacked along a new dimension `axis`. */
export function stack(tensors: TensorInput[], axis = 0): Tensor {
  const op = 'stack';
  if (!Array.isArray(tensors) || tensors.length === 0) fail(op, `needs a non-empty array of tensors, got ${describe(tensors)}`);
  const converted: Tensor[] = [];
  const ts = tensors.map((x, i) => toTensor(x, `tensors[${i}]`, op, converted));
  try {
    const first = ts[0];
    ts.forEach((t, i) => {
      if (t.rank !== first.rank || t.shape.some((d, j) => d !== first.shape[j])) {
        fail(op, `tensors[${i}] has shape ${shapeText(t.shape)}, tensors[0] ${shapeText(first.shape)}: stacked tensors must have one shape`);
      }
    });
    const a = normalizeAxis(op, axis, first.rank + 1);
    return runScoped(op, () => concat(ts.map((t) => expandDims(t, a)), a), isTensor);
  } finally {
    release(converted);
  }
}

/** The slices of x along `axis`, each without that dimension. */
export function unstack(x: TensorInput, axis = 0): Tensor[] {
  const converted: Tensor[] = [];
  const t = toTensor(x, 'x', 'unstack', converted);
  try {
    const a = normalizeAxis('unstack', axis, t.rank);
    const shape = t.shape.filter((_, i) => i !== a);
    return runScoped('unstack', () => split(t, t.shape[a], a).map((p) => reshape(p, shape)), isTensor);
  } finally {
    release(converted);
  }
}

/** x cut along `axis` into n equal parts, or into parts of the given sizes (one may be -1). */
export function split(x: TensorInput, numOrSizeSplits: number | number[], axis = 0): Tensor[] {
  const op = 'split';
  const converted: Tensor[] = [];
  const t = toTensor(x, 'x', op, converted);
  try {
    const a = normalizeAxis(op, axis, t.rank);
    const n = t.shape[a];
    let sizes: number[];
    if (typeof numOrSizeSplits === 'number') {
      const parts = integerArg(op, 'numOrSizeSplits', numOrSizeSplits, 1);
      if (n % parts !== 0) fail(op, `dimension ${a} has size ${n}, which does not divide into ${parts} equal parts`);
      sizes = new Array<number>(parts).fill(n / parts);
    } else if (Array.isArray(numOrSizeSplits)) {
      sizes = [...numOrSizeSplits];
      const free = sizes.filter((s) => s === -1).length;
      if (free > 1) fail(op, 'at most one size can be -1');
      const known = sizes.filter((s) => s !== -1).reduce((p, q) => p + integerArg(op, 'a size', q), 0);
      if (free === 1) sizes[sizes.indexOf(-1)] = n - known;
      if ((free === 1 && known > n) || (free === 0 && known !== n)) fail(op, `sizes ${quote(numOrSizeSplits)} must add up to ${n} (dimension ${a} of shape ${shapeText(t.shape)})`);
    } else {
      return fail(op, `numOrSizeSplits must be a number or an array of sizes, got ${describe(numOrSizeSplits)}`);
    }
    const outer = shapeSize(t.shape.slice(0, a));
    const inner = shapeSize(t.shape.slice(a + 1));
    const src = t.raw();
    let offset = 0;
    const parts = sizes.map((s) => {
      const out = allocate(t.dtype, outer * s * inner);
      for (let o = 0; o < outer; o++) out.set(src.subarray((o * n + offset) * inner, (o * n + offset + s) * inner), o * s * inner);
      offset += s;
      const shape = [...t.shape];
      shape[a] = s;
      return makeTensor(out, shape, t.dtype);
    });
    record(op, [t], parts, (dys, { outputs }) => [concat(dys.map((d, i) => d ?? zerosOf(outputs[i])), a)]);
    return parts;
  } finally {
    release(converted);
  }
}

function zerosOf(t: Tensor): Tensor {
  return makeTensor(new Float32Array(t.size), t.shape, 'float32');
}
