// The tensor ops against TensorFlow.js 4.22 (cpu backend): each case is one program written
// once against a library `L` and run on both nnplay and TF.js; results must have the same
// shape, dtype and values (float32 to 1e-6 relative / 1e-6 absolute: both round each result to
// float32, but softmax, norm and reductions may sum in a different order). Then: tidy / keep /
// dispose counting against TF.js for the same programs, and bad input.
import * as tf from '@tensorflow/tfjs';
import * as nn from 'nnplay';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

// Both libraries through one door: the cases below use only names both export.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Lib = any;
const leftovers: { dispose(): void }[] = [];
type Result = { shape: number[]; dtype: string; values: number[] };

beforeAll(async () => {
  await nn.ready();
  await tf.setBackend('cpu');
  await tf.ready();
});

afterAll(() => {
  expect(nn.memory().numTensors).toBe(0);
});

function collect(L: Lib, out: unknown): Result[] {
  if (out instanceof L.Tensor) {
    const t = out as { shape: number[]; dtype: string; dataSync(): ArrayLike<number> };
    return [{ shape: [...t.shape], dtype: t.dtype, values: Array.from(t.dataSync()) }];
  }
  if (Array.isArray(out)) return out.flatMap((o) => collect(L, o));
  return Object.keys(out as object)
    .sort()
    .flatMap((k) => collect(L, (out as Record<string, unknown>)[k]));
}

function run(L: Lib, program: (L: Lib) => unknown): Result[] {
  return L.tidy(() => {
    const out = program(L);
    return collect(L, out);
  });
}

function close(a: number, b: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (!Number.isFinite(a) || !Number.isFinite(b)) return a === b;
  return Math.abs(a - b) <= 1e-6 + 1e-6 * Math.abs(b);
}

function same(program: (L: Lib) => unknown): void {
  const ours = run(nn, program);
  const theirs = run(tf, program);
  expect(ours.map((r) => [r.shape, r.dtype])).toEqual(theirs.map((r) => [r.shape, r.dtype]));
  ours.forEach((r, i) => {
    const bad = r.values.findIndex((v, j) => !close(v, theirs[i].values[j]));
    if (bad >= 0) expect(`${i}[${bad}]: ${r.values[bad]}`).toBe(`${i}[${bad}]: ${theirs[i].values[bad]}`);
    expect(r.values.length).toBe(theirs[i].values.length);
  });
}

const m23 = (L: Lib) => L.tensor2d([[1, -2, 3], [-4, 5, -6.5]]);
const v3 = (L: Lib) => L.tensor1d([0.5, -1.25, 2]);
const i23 = (L: Lib) => L.tensor2d([[1, -2, 3], [4, 0, -6]], undefined, 'int32');
const b23 = (L: Lib) => L.tensor2d([[true, false, true], [false, false, true]]);
const pos = (L: Lib) => L.tensor2d([[0.5, 1, 2], [3, 4.5, 9]]);

const cases: Record<string, (L: Lib) => unknown> = {
  // creation and dtypes
  'tensor dtypes': (L) => [L.tensor([1.5, 2.7]), L.tensor([1.7, -2.7], [2], 'int32'), L.tensor([0, 0.4, 0.6, -2], undefined, 'bool'), L.tensor([true, false]), L.tensor(new Int32Array([1, 2]))],
  'scalar..tensor4d': (L) => [L.scalar(3), L.scalar(2, 'int32'), L.scalar(true), L.tensor3d([[[1], [2]]]), L.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]), L.tensor2d([1, 2, 3, 4], [2, 2], 'int32')],
  'zeros ones fill like': (L) => [L.zeros([2, 3]), L.ones([2], 'int32'), L.fill([2, 2], 7), L.fill([1], 3, 'int32'), L.zerosLike(i23(L)), L.onesLike(b23(L)), L.zeros([0, 3])],
  'range linspace eye': (L) => [L.range(0, 5, 2), L.range(5, 0, -1.5), L.range(0, 4, 1, 'int32'), L.linspace(0, 1, 5), L.linspace(-3, 3, 1), L.eye(3), L.eye(2, 3), L.eye(2, 2, [2])],
  oneHot: (L) => [L.oneHot(L.tensor1d([0, 2, 1, 5, -1], 'int32'), 3), L.oneHot(L.tensor2d([[0, 1]], undefined, 'int32'), 2), L.oneHot(L.tensor1d([1], 'int32'), 3, 5, -1)],
  cast: (L) => [L.cast(L.tensor([1.7, -1.7, 0.2]), 'int32'), L.cast(L.tensor([0.4, -1.7, 0]), 'bool'), L.cast(b23(L), 'float32'), L.cast(i23(L), 'bool'), m23(L).cast('float32')],
  // elementwise
  'unary float': (L) => [m23(L).neg(), m23(L).abs(), pos(L).sqrt(), m23(L).square(), m23(L).exp(), pos(L).log(), pos(L).log1p(), L.log1p(L.tensor1d([-0.5, 1e-9])), m23(L).sigmoid(), m23(L).tanh(), m23(L).relu()],
  // ops/math.ts (functions only)
  'trig and hyperbolic': (L) => [L.sin(m23(L)), L.cos(m23(L)), L.tan(v3(L)), L.asin(L.tensor1d([-0.9, 0, 0.5])), L.acos(L.tensor1d([-0.9, 0, 0.5])), L.atan(m23(L)), L.sinh(v3(L)), L.cosh(v3(L)), L.asinh(m23(L)), L.acosh(pos(L).add(1)), L.atanh(L.tensor1d([-0.9, 0, 0.5])), L.asin(L.tensor1d([2]))],
  'rounding sign reciprocal': (L) => [L.floor(m23(L).mul(0.7)), L.ceil(m23(L).mul(0.7)), L.round(L.tensor1d([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 2.4, -2.6, 3])), L.sign(L.tensor1d([-2, 0, 3, NaN])), L.sign(i23(L)), L.reciprocal(pos(L)), L.rsqrt(pos(L)), L.expm1(L.tensor1d([1e-9, -1, 2])), L.round(i23(L))],
  'activation ops': (L) => [L.softplus(L.tensor1d([-100, -20, -1, 0, 1, 20, 100])), L.logSigmoid(L.tensor1d([-100, -1, 0, 1, 100])), L.elu(m23(L)), L.selu(m23(L)), L.leakyRelu(m23(L)), L.leakyRelu(m23(L), 0.1), L.step(L.tensor1d([-1, 0, 2, NaN])), L.step(m23(L), 0.5), L.erf(L.tensor1d([-3, -1, -0.2, 0, 0.3, 1, 2.5])), L.step(i23(L)), L.leakyRelu(i23(L)), L.erf(i23(L))],
  predicates: (L) => [L.isNaN(L.tensor1d([NaN, 1, Infinity])), L.isFinite(L.tensor1d([NaN, 1, -Infinity])), L.isInf(L.tensor1d([NaN, 1, Infinity, -Infinity])), L.isNaN(i23(L))],
  'mod atan2 divNoNan logicalXor': (L) => [L.mod(m23(L), 2.5), L.mod(m23(L), L.tensor1d([-2, 3, -4])), L.mod(i23(L), L.scalar(4, 'int32')), L.mod(L.tensor1d([-7, 7], 'int32'), L.tensor1d([-3, -3], 'int32')), L.atan2(m23(L), v3(L)), L.atan2(L.tensor1d([0, 1, -1]), L.tensor1d([-1, 0, 0])), L.divNoNan(m23(L), L.tensor1d([0, 2, -0.5])), L.divNoNan(i23(L), L.tensor1d([0, 2, 4], 'int32')), L.logicalXor(b23(L), L.tensor1d([true, false, false]))],
  // (not cumsum(x, -1): TF.js 4.22 takes a negative axis as is, returns shape [null, ...] and
  // leaves memory().numBytes NaN; nnplay counts it from the end, as every other op does)
  'cumsum reverse': (L) => [L.cumsum(m23(L)), L.cumsum(m23(L), 1), L.cumsum(m23(L), 1, true), L.cumsum(m23(L), 1, false, true), L.cumsum(m23(L), 0, true, true), L.cumsum(i23(L), 1), L.reverse(m23(L)), L.reverse(m23(L), 1), L.reverse(m23(L), [0, 1]), L.reverse(i23(L), -1), L.reverse(L.range(0, 24).reshape([2, 3, 4]), [0, 2])],
  cumprod: (L) => [L.cumprod(m23(L)), L.cumprod(m23(L), 1), L.cumprod(m23(L), 1, true), L.cumprod(m23(L), 1, false, true), L.cumprod(m23(L), 0, true, true), L.cumprod(i23(L), 1), L.cumprod(L.tensor1d([2, 0, 3]))],
  // ops/indexing.ts
  gatherND: (L) => [L.gatherND(m23(L), L.tensor2d([[0, 1], [1, 2]], undefined, 'int32')), L.gatherND(m23(L), L.tensor2d([[1], [0]], undefined, 'int32')), L.gatherND(L.range(0, 24).reshape([2, 3, 4]), L.tensor3d([[[0, 2], [1, 0]]], undefined, 'int32')), L.gatherND(i23(L), L.tensor1d([1, 1], 'int32')), L.gatherND(m23(L), [[1, 0]])],
  unsortedSegmentSum: (L) => [L.unsortedSegmentSum(m23(L), L.tensor1d([1, 1], 'int32'), 3), L.unsortedSegmentSum(L.tensor1d([1, 2, 3, 4]), L.tensor1d([0, 2, 0, 1], 'int32'), 3), L.unsortedSegmentSum(L.tensor1d([1, 2, 3]), L.tensor1d([0, -1, 0], 'int32'), 2), L.unsortedSegmentSum(L.range(0, 12).reshape([3, 2, 2]), L.tensor1d([2, 2, 0], 'int32'), 3)],
  'bincount denseBincount': (L) => [L.bincount(L.tensor1d([1, 1, 3, 0, 5], 'int32'), L.tensor1d([]), 4), L.bincount(L.tensor1d([1, 1, 3, 0], 'int32'), L.tensor1d([0.5, 1, 2, 3]), 5), L.denseBincount(L.tensor1d([1, 1, 2], 'int32'), L.tensor1d([]), 3), L.denseBincount(L.tensor2d([[1, 0], [2, 2]], undefined, 'int32'), L.tensor2d([[1, 2], [3, 4]]), 3), L.denseBincount(L.tensor2d([[1, 0], [2, 2]], undefined, 'int32'), L.tensor1d([]), 3, true)],
  'searchSorted lowerBound upperBound': (L) => [L.searchSorted(L.tensor1d([1, 3, 3, 7]), L.tensor1d([0, 3, 4, 8])), L.searchSorted(L.tensor1d([1, 3, 3, 7]), L.tensor1d([0, 3, 4, 8]), 'right'), L.lowerBound(L.tensor2d([[1, 2], [0, 5]]), L.tensor2d([[2, 2, 3], [-1, 5, 6]])), L.upperBound(L.tensor2d([[1, 2], [0, 5]]), L.tensor2d([[2, 2, 3], [-1, 5, 6]]))],
  meshgrid: (L) => [L.meshgrid(L.tensor1d([1, 2, 3]), L.tensor1d([4, 5])), L.meshgrid(L.tensor1d([1, 2, 3]), L.tensor1d([4, 5]), { indexing: 'ij' }), L.meshgrid(L.tensor1d([1, 2])), L.meshgrid(L.tensor2d([[1, 2], [3, 4]]), L.tensor1d([0, 9], 'int32'))],
  'scatterND tensorScatterUpdate': (L) => [L.scatterND(L.tensor2d([[1], [3], [1]], undefined, 'int32'), L.tensor1d([5, 6, 7]), [5]), L.scatterND(L.tensor2d([[0, 1], [1, 0]], undefined, 'int32'), L.tensor1d([2, 3], 'int32'), [2, 2]), L.scatterND(L.tensor2d([[1]], undefined, 'int32'), L.tensor2d([[1, 2, 3]]), [2, 3]), L.tensorScatterUpdate(m23(L), L.tensor2d([[0, 2], [1, 0], [0, 2]], undefined, 'int32'), L.tensor1d([10, 20, 30])), L.tensorScatterUpdate(m23(L), L.tensor2d([[1]], undefined, 'int32'), L.tensor2d([[7, 8, 9]]))],
  'mirrorPad depthToSpace ensureShape': (L) => [L.mirrorPad(m23(L), [[1, 1], [2, 2]], 'reflect'), L.mirrorPad(m23(L), [[2, 0], [0, 3]], 'symmetric'), L.mirrorPad(L.tensor1d([1, 2, 3], 'int32'), [[2, 1]], 'reflect'), L.depthToSpace(L.range(0, 32).reshape([1, 2, 2, 8]), 2), L.depthToSpace(L.range(0, 18).reshape([2, 1, 1, 9]), 3), L.ensureShape(m23(L), [2, null]), L.ensureShape(m23(L), [2, 3])],
  'all any logSoftmax': (L) => [L.all(b23(L)), L.all(b23(L), 0), L.any(b23(L), 1), L.any(b23(L), [0, 1], true), L.all(L.tensor2d([[true, true], [true, false]]), -1, true), L.logSoftmax(m23(L)), L.logSoftmax(L.tensor1d([1000, 0, -1000])), L.logSoftmax(v3(L)), L.logSoftmax(i23(L))],
  'addN outerProduct diag euclideanNorm prelu unique': (L) => [L.addN([m23(L), m23(L), L.ones([2, 3])]), L.addN([i23(L)]), L.outerProduct(v3(L), L.tensor1d([1, -2])), L.diag(v3(L)), L.diag(L.tensor2d([[1, 2], [3, 4]])), L.euclideanNorm(m23(L)), L.euclideanNorm(m23(L), 1, true), L.prelu(m23(L), L.tensor1d([0.1, 0.2, 0.3])), L.prelu(m23(L), L.scalar(0.25)), L.unique(L.tensor1d([3, 1, 3, 2, 1, 7])), L.unique(L.tensor1d([4, 4, -1], 'int32'))],
  'rank-suffixed aliases, tensor5d, relu6': (L) => [L.concat1d([v3(L), v3(L)]), L.concat2d([m23(L), m23(L)], 1), L.slice2d(m23(L), [0, 1], [2, 2]), L.slice1d(v3(L), 1, 2), L.pad1d(v3(L), [1, 2], 5), L.pad2d(m23(L), [[0, 1], [1, 0]]), L.reverse1d(v3(L)), L.reverse2d(m23(L), 0), L.tensor5d([1, 2, 3, 4], [1, 1, 2, 2, 1]), L.tensor6d([[[[[[7]]]]]]), L.relu6(L.tensor1d([-1, 3, 6, 9]))],
  'browser.fromPixels of pixel data': (L) => {
    const data = Uint8Array.from({ length: 3 * 2 * 4 }, (_, i) => (i * 37) % 256);
    return [L.browser.fromPixels({ data, width: 3, height: 2 }), L.browser.fromPixels({ data, width: 3, height: 2 }, 4), L.browser.fromPixels({ data, width: 3, height: 2 }, 1)];
  },
  // nn.image / nn.math (namespace modules), with TF.js's coordinate rules on up- and downsampling
  'image.resizeBilinear': (L) => {
    const img = L.tensor4d(Array.from({ length: 2 * 3 * 4 * 2 }, (_, i) => ((i * 7) % 11) - 3.5), [2, 3, 4, 2]);
    return [L.image.resizeBilinear(img, [5, 7]), L.image.resizeBilinear(img, [2, 3]), L.image.resizeBilinear(img, [5, 7], true), L.image.resizeBilinear(img, [4, 3], false, true), L.image.resizeBilinear(img, [1, 1], true), L.image.resizeBilinear(img.slice([0], [1]).squeeze([0]), [6, 2]), L.image.resizeBilinear(L.tensor3d([1, 2, 3, 4, 5, 6], [2, 3, 1], 'int32'), [3, 4]), L.image.resizeBilinear(img, [0, 3])];
  },
  'image.resizeNearestNeighbor': (L) => {
    const img = L.tensor4d(Array.from({ length: 1 * 3 * 4 * 2 }, (_, i) => ((i * 5) % 13) - 6), [1, 3, 4, 2]);
    return [L.image.resizeNearestNeighbor(img, [5, 7]), L.image.resizeNearestNeighbor(img, [2, 3]), L.image.resizeNearestNeighbor(img, [5, 7], true), L.image.resizeNearestNeighbor(img, [5, 7], false, true), L.image.resizeNearestNeighbor(img, [2, 2], false, true), L.image.resizeNearestNeighbor(L.tensor3d([1, 2, 3, 4, 5, 6], [2, 3, 1], 'int32'), [3, 5], true)];
  },
  'image flips and colour': (L) => {
    const rgb = L.tensor3d([1, 2, 3, 4, 5, 6, 250, 100, 7, 0, 0, 255], [2, 2, 3], 'int32');
    return [L.image.flipLeftRight(L.tensor4d([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], [1, 2, 3, 2])), L.image.rgbToGrayscale(rgb), L.image.rgbToGrayscale(rgb.cast('float32').div(255)), L.image.rgbToGrayscale(L.ones([2, 3])), L.image.grayscaleToRGB(L.tensor3d([1, 2], [1, 2, 1], 'int32')), L.image.grayscaleToRGB(L.ones([2, 1, 2, 1]))];
  },
  'a drawing to a MNIST input, the TF.js tutorials\' way': (L) => {
    const data = Uint8Array.from({ length: 56 * 42 * 4 }, (_, i) => (i % 4 === 3 ? 255 : (i * 29) % 256));
    return L.image.resizeBilinear(L.browser.fromPixels({ data, width: 56, height: 42 }, 1), [28, 28]).div(255).expandDims(0);
  },
  'math.confusionMatrix': (L) => [L.math.confusionMatrix(L.tensor1d([0, 1, 2, 1, 1], 'int32'), L.tensor1d([0, 2, 2, 1, 0], 'int32'), 3), L.math.confusionMatrix(L.tensor1d([1, 0]), L.tensor1d([1, 1]), 2), L.math.confusionMatrix(L.tensor1d([], 'int32'), L.tensor1d([], 'int32'), 2)],
  'more chained forms (older tutorials\' toFloat, as3D, ...)': (L) => [i23(L).toFloat(), m23(L).toInt(), m23(L).toBool(), m23(L).asType('int32'), L.tensor1d([7]).asScalar(), L.range(0, 24).as3D(2, 3, 4), L.range(0, 24).as4D(1, 2, 3, 4), L.range(0, 24).as5D(1, 2, 1, 3, 4), m23(L).reshapeAs(L.zeros([3, 2]))],
  'buffer set/get/toTensor': (L) => {
    const b = L.buffer([2, 3]);
    b.set(5, 0, 1);
    b.set(-2.5, 1, 2);
    const i = L.buffer([2, 2], 'int32', new Int32Array([1, 2, 3, 4]));
    i.set(9, 1, 0);
    const flags = L.buffer([3], 'bool');
    flags.set(true, 2);
    const one = L.buffer([4]);
    one.set(7);
    const info = L.tensor1d([b.get(0, 1), b.get(1, 2), i.get(1, 0), b.locToIndex([1, 2]), ...b.indexToLoc(4), b.rank, b.size, ...b.strides, one.get()]);
    return [b.toTensor(), i.toTensor(), flags.toTensor(), one.toTensor(), info];
  },
  'unary int/bool': (L) => [i23(L).neg(), i23(L).abs(), i23(L).square(), i23(L).relu(), L.exp(i23(L)), L.exp(b23(L)), b23(L).relu()],
  'binary broadcast': (L) => [m23(L).add(v3(L)), m23(L).sub(L.tensor2d([[1], [2]])), v3(L).mul(m23(L)), m23(L).div(v3(L)), L.add(m23(L), 2), L.sub(3, m23(L)), L.mul(L.scalar(2), m23(L)), L.add(L.ones([2, 1, 3]), L.ones([4, 1]))],
  'binary dtypes': (L) => [i23(L).add(i23(L)), i23(L).add(2), i23(L).mul(b23(L)), i23(L).div(L.tensor1d([2, 2, -4], 'int32')), i23(L).div(2), i23(L).sub(m23(L)), L.floorDiv(m23(L), 2)],
  'pow min max': (L) => [L.pow(pos(L), 2), L.pow(i23(L), L.tensor1d([2, 3, 1], 'int32')), L.pow(2, v3(L)), L.pow(L.tensor([-8]), 1 / 3), L.minimum(m23(L), v3(L)), L.maximum(i23(L), 0), L.maximum(i23(L), m23(L)), L.squaredDifference(m23(L), v3(L))],
  clipByValue: (L) => [m23(L).clipByValue(-1, 2), L.clipByValue(i23(L), 1.5, 2.5)],
  comparisons: (L) => [m23(L).equal(L.tensor1d([1, 5, 3])), m23(L).notEqual(1), m23(L).greater(v3(L)), m23(L).greaterEqual(-2), i23(L).less(m23(L)), m23(L).lessEqual(L.tensor2d([[1], [0]])), b23(L).less(1)],
  logical: (L) => [b23(L).logicalAnd(L.tensor1d([true, true, false])), L.logicalOr(b23(L), L.tensor1d([false, true, false])), L.logicalNot(b23(L))],
  where: (L) => [L.where(b23(L), m23(L), L.zerosLike(m23(L))), L.where(L.tensor1d([true, false, true]), m23(L), L.scalar(-1)), L.where(b23(L), i23(L), m23(L))],
  // reductions
  sum: (L) => [m23(L).sum(), m23(L).sum(0), m23(L).sum(-1, true), m23(L).sum([0, 1]), i23(L).sum(1), b23(L).sum(), L.sum(L.zeros([0, 3]), 0), L.sum(L.scalar(4))],
  'mean min max prod': (L) => [m23(L).mean(), m23(L).mean(1), i23(L).mean(0), b23(L).mean(), m23(L).min(0), m23(L).max(1, true), i23(L).max(), b23(L).max(), m23(L).prod(1), i23(L).prod(), L.mean(L.zeros([0, 3]), 0)],
  'argMax argMin': (L) => [m23(L).argMax(), m23(L).argMax(-1), m23(L).argMin(1), L.argMax(L.tensor1d([3, 7, 7, 1])), i23(L).argMin(0), L.argMax(L.ones([2, 3, 4]), 1)],
  moments: (L) => [L.moments(m23(L)), L.moments(m23(L), 0), L.moments(m23(L), [1], true), L.moments(i23(L), 1)],
  norm: (L) => [L.norm(m23(L)), L.norm(v3(L), 1), L.norm(v3(L), Infinity), L.norm(v3(L), -Infinity), L.norm(m23(L), 'euclidean', 1), L.norm(m23(L), 'fro', [0, 1]), L.norm(m23(L), 1, [0, 1]), L.norm(m23(L), Infinity, [0, 1]), L.norm(m23(L), 2, 0, true)],
  'softmax logSumExp': (L) => [m23(L).softmax(), L.softmax(v3(L)), L.softmax(L.tensor([1000, 0, -1000])), L.logSumExp(m23(L), 1), L.logSumExp(m23(L)), L.logSumExp(m23(L), 0, true)],
  topk: (L) => [L.topk(L.tensor([1, 3, 2, 3]), 2), L.topk(m23(L), 3), L.topk(i23(L), 1)],
  // shapes
  'reshape expandDims squeeze': (L) => [m23(L).reshape([3, 2]), m23(L).reshape([-1]), m23(L).reshape([2, -1, 1]), v3(L).expandDims(), v3(L).expandDims(1), L.expandDims(v3(L), -1), L.zeros([1, 2, 1]).squeeze(), L.squeeze(L.zeros([1, 2, 1]), [2]), m23(L).flatten(), L.reshape(L.zeros([0, 3]), [3, 0])],
  slice: (L) => [m23(L).slice([0, 1], [-1, 2]), m23(L).slice(1), m23(L).slice([1, 0], [1, 3]), L.slice(v3(L), 1, 1), L.slice(i23(L), [0, 2]), L.slice(m23(L), [0, 0], [0, 2])],
  gather: (L) => [m23(L).gather(L.tensor1d([1, 0, 1], 'int32')), L.gather(m23(L), [2, 0], 1), L.gather(v3(L), L.tensor2d([[0, 2], [1, 1]], undefined, 'int32')), L.gather(i23(L), [1])],
  'concat stack split': (L) => [L.concat([m23(L), m23(L)]), L.concat([m23(L), L.ones([2, 1])], 1), L.concat([v3(L)]), m23(L).concat(m23(L), -1), L.stack([v3(L), v3(L)]), L.stack([v3(L), v3(L)], 1), L.split(m23(L), 3, 1), L.split(L.range(0, 10), [3, -1, 2]), L.unstack(m23(L)), L.unstack(m23(L), 1)],
  'tile pad transpose': (L) => [m23(L).tile([2, 1]), v3(L).tile([3]), L.tile(i23(L), [1, 2]), m23(L).pad([[1, 0], [0, 2]]), L.pad(v3(L), [[2, 1]], 9), m23(L).transpose(), L.transpose(L.range(0, 24).reshape([2, 3, 4]), [1, 2, 0]), L.transpose(b23(L))],
  'matMul dot': (L) => [
    L.matMul(m23(L), m23(L), false, true),
    L.matMul(m23(L), m23(L), true, false),
    L.matMul(m23(L).transpose(), m23(L), true, true),
    L.matMul(m23(L), m23(L).transpose()),
    L.matMul(L.range(0, 24).reshape([2, 3, 4]), L.range(0, 8).reshape([4, 2])),
    L.matMul(L.range(0, 6).reshape([1, 2, 3]), L.range(0, 36).reshape([3, 3, 4])),
    L.matMul(L.range(0, 18).reshape([3, 2, 3]), L.range(0, 12).reshape([1, 3, 4]), false, false),
    L.matMul(L.tensor2d([[1, 2]], undefined, 'int32'), L.tensor2d([[3], [4]], undefined, 'int32')),
    L.matMul(L.zeros([2, 0]), L.zeros([0, 3])),
    L.dot(v3(L), v3(L)),
    L.dot(m23(L), v3(L)),
    L.dot(L.tensor1d([1, 2]), m23(L)),
    m23(L).dot(m23(L).transpose()),
  ],
  'matMul large': (L) => {
    const x = L.range(0, 70 * 130).reshape([70, 130]).div(9100).sub(0.5);
    const y = L.range(0, 130 * 33).reshape([130, 33]).div(4290).sub(0.3);
    return L.matMul(x, y);
  },
  clone: (L) => [m23(L).clone(), L.clone(b23(L))],
};

describe('each op on nnplay and on TF.js 4.22 (cpu) gives the same shape, dtype and values', () => {
  for (const [name, program] of Object.entries(cases)) test(name, () => same(program));
});

describe('print and toString as TF.js writes them', () => {
  const printed = (L: Lib, program: (L: Lib) => { toString(verbose?: boolean): string }, verbose = false): string => L.tidy(() => program(L).toString(verbose));
  const shows: [string, (L: Lib) => { toString(verbose?: boolean): string }, boolean?][] = [
    ['matrix, padded columns', (L) => L.tensor2d([[1.123456789, 22], [3, -4]])],
    ['bool, verbose', (L) => L.tensor([true, false]), true],
    ['int32, verbose', (L) => L.tensor([[1, 2]], undefined, 'int32'), true],
    ['scalar', (L) => L.scalar(3.25)],
    ['one row', (L) => L.tensor2d([[1, 0, 0]])],
    ['rank 3', (L) => L.zeros([2, 2, 2])],
    ['rank 4', (L) => L.range(0, 16).reshape([2, 2, 2, 2])],
    ['empty', (L) => L.zeros([0, 2])],
    ['long vector', (L) => L.range(0, 30)],
    ['many rows', (L) => L.range(0, 50).reshape([25, 2])],
    ['softmax values', (L) => L.softmax(L.tensor([1, 2, 3]))],
  ];
  for (const [name, program, verbose] of shows) {
    test(name, () => expect(printed(nn, program, verbose)).toBe(printed(tf, program, verbose)));
  }
});

describe('tensor counting follows TF.js (memory().numTensors, numDataBuffers, numBytes)', () => {
  // Each program runs on both libraries; the counts after it (relative to before) must match.
  const programs: Record<string, (L: Lib) => void> = {
    'ops outside tidy leak their results only (not converted arguments)': (L) => {
      const a = L.tensor([1, 2, 3]);
      a.add(1);
      L.add(a, [1, 2, 3]);
      L.mean(a);
      L.moments(a);
      L.norm(a);
      L.softmax(a);
      L.stack([a, a]);
      L.dot(a, a);
      L.split(a, 3);
    },
    'reshape and clone share a data buffer': (L) => {
      const a = L.tensor([1, 2, 3, 4]);
      a.reshape([2, 2]);
      a.clone();
      L.expandDims(a);
      a.dispose();
    },
    'tidy keeps what it returns, disposes the rest': (L) => {
      const a = L.tensor([1, 2, 3]);
      const r = L.tidy(() => {
        const b = a.square();
        const c = b.add(1);
        return { c, list: [b.mul(2)] };
      });
      void r;
    },
    'nested tidy and keep': (L) => {
      const a = L.tensor([1, 2, 3]);
      L.tidy(() => {
        const inner = L.tidy(() => {
          leftovers.push(L.keep(a.mul(3)));
          a.sub(1);
          return a.add(1);
        });
        inner.neg();
      });
    },
    'tidy returning a tensor made outside': (L) => {
      const a = L.tensor([1, 2]);
      L.tidy(() => {
        a.add(1);
        return a;
      });
    },
    'variables: counted, never tidied, assign keeps the count': (L) => {
      const v = L.variable(L.tensor([1, 2]));
      L.tidy(() => {
        v.assign(L.tensor([3, 4]));
        return v.add(1);
      });
      leftovers.push(v);
    },
    'dispose of containers and int/bool bytes': (L) => {
      const a = L.tensor([1, 2], undefined, 'int32');
      const b = L.tensor([true, false, true]);
      const c = L.tensor([1, 2]);
      L.dispose([a, { c }]);
      void b;
    },
  };
  for (const [name, program] of Object.entries(programs)) {
    test(name, () => {
      // The programs leak on purpose; an outer tidy (same on both sides) collects the leaks
      // afterwards; variables and kept tensors (which no tidy disposes) are disposed by hand.
      const count = (L: Lib) => {
        let delta: number[] = [];
        L.tidy(() => {
          const before = L.memory();
          program(L);
          const after = L.memory();
          delta = [after.numTensors - before.numTensors, after.numDataBuffers - before.numDataBuffers, after.numBytes - before.numBytes];
        });
        for (const v of leftovers.splice(0)) v.dispose();
        return delta;
      };
      expect(count(nn)).toEqual(count(tf));
    });
  }
});

describe('bad input says which op and what is allowed', () => {
  const errors: [string, () => unknown, RegExp][] = [
    ['broadcast', () => nn.add(nn.ones([2, 3]), nn.ones([4])), /add\(\): shapes \[2,3\] and \[4\] cannot be broadcast together.*equal or 1/],
    ['axis out of range', () => nn.sum(nn.ones([2, 3]), 2), /sum\(\): axis must be an integer in \[-2, 2\) for a rank-2 tensor, got 2/],
    ['float-only op on int32', () => nn.sqrt(nn.tensor([1, 4], undefined, 'int32')), /sqrt\(\): argument 'x' must be a float32 tensor, got a int32 tensor/],
    ['float-only op on int32 (TF.js would cut the fraction off)', () => nn.asin(nn.tensor([1], undefined, 'int32')), /asin\(\): argument 'x' must be a float32 tensor, got a int32 tensor \(cast it with nn.cast\(x, 'float32'\)\)/],
    ['all on numbers', () => nn.all(nn.ones([2])), /all\(\): argument 'x' must be a bool tensor, got a float32 tensor/],
    ['cumsum of a scalar', () => nn.cumsum(nn.scalar(1)), /cumsum\(\): needs a tensor of rank 1 or more, got a scalar/],
    ['cumprod of a scalar', () => nn.cumprod(nn.scalar(1)), /cumprod\(\): needs a tensor of rank 1 or more, got a scalar/],
    ['gatherND out of range', () => nn.gatherND(nn.ones([2, 3]), nn.tensor2d([[1, 3]], undefined, 'int32')), /gatherND\(\): indices\[0\] is \[1, 3\]; coordinate 1 must be in \[0, 2\] \(x has shape \[2,3\]\)/],
    ['unsortedSegmentSum ids shape', () => nn.unsortedSegmentSum(nn.ones([2, 3]), nn.tensor1d([0, 1, 0], 'int32'), 2), /unsortedSegmentSum\(\): segmentIds must be a vector of one id per slice of x's first axis \(x has shape \[2,3\]\), got shape \[3\]/],
    ['bincount of a negative value', () => nn.bincount(nn.tensor1d([1, -1], 'int32'), nn.tensor1d([]), 3), /bincount\(\): x must be >= 0 \(counts by value\), got -1 at index 1/],
    ['searchSorted rows', () => nn.searchSorted(nn.ones([2, 3]), nn.ones([3, 1])), /searchSorted\(\): sortedSequence and values must have as many rows/],
    ['scatterND updates shape', () => nn.scatterND(nn.tensor2d([[1], [3]], undefined, 'int32'), nn.tensor1d([5, 6, 7]), [5]), /scatterND\(\): updates must have shape \[2\] \(indices' leading axes, then the slice\), got \[3\]/],
    ['mirrorPad too far', () => nn.mirrorPad(nn.ones([2, 3]), [[0, 0], [3, 0]], 'reflect'), /mirrorPad\(\): paddings\[1\]\[0\] is 3; reflect padding of dimension 1 \(size 3\) can be at most 2/],
    ['depthToSpace channels', () => nn.depthToSpace(nn.ones([1, 2, 2, 6]), 2), /depthToSpace\(\): the channels \(6\) must be a multiple of blockSize² \(4\)/],
    ['ensureShape', () => nn.ensureShape(nn.ones([2, 3]), [3, null]), /ensureShape\(\): the tensor has shape \[2,3\], not \[3,null\]/],
    ['leakyRelu alpha', () => nn.leakyRelu(nn.ones([2]), NaN), /leakyRelu\(\): alpha must be a finite number, got NaN/],
    ['addN shapes', () => nn.addN([nn.ones([2]), nn.ones([3])]), /addN\(\): tensors\[1\] is float32 \[3\], tensors\[0\] float32 \[2\]: all must have one shape and dtype/],
    ['multinomial of one class', () => nn.multinomial(nn.tensor1d([1]), 3), /multinomial\(\): needs at least 2 classes/],
    ['dropout rate', () => nn.dropout(nn.ones([2]), 1), /dropout\(\): rate must be a number in \[0, 1\), got 1/],
    ['randomUniformInt bounds', () => nn.randomUniformInt([2], 3, 3), /randomUniformInt\(\): needs integers minval < maxval, got 3 and 3/],
    ['logicalAnd on numbers', () => nn.logicalAnd(nn.ones([2]), nn.ones([2])), /logicalAnd\(\): argument 'a' must be a bool tensor, got a float32 tensor/],
    ['where with a float condition', () => nn.where(nn.ones([2]), nn.ones([2]), nn.zeros([2])), /where\(\): argument 'condition' must be a bool tensor/],
    ['oneHot of floats', () => nn.oneHot(nn.tensor1d([0, 1]), 2), /oneHot\(\): argument 'indices' must be a int32 tensor/],
    ['gather out of range', () => nn.gather(nn.ones([3]), [3]), /gather\(\): indices\[0\] \(flattened\) is 3; indices along axis 0 must be in \[0, 2\]/],
    ['reshape size', () => nn.reshape(nn.ones([2, 3]), [4, 2]), /reshape\(\): cannot reshape 6 values \(shape \[2,3\]\) into shape \[4,2\]/],
    ['matMul inner dims', () => nn.matMul(nn.ones([2, 3]), nn.ones([2, 3])), /matMul\(\): inner dimensions differ: a \[2,3\] has 3 columns but b \[2,3\] has 2 rows/],
    ['matMul rank', () => nn.matMul(nn.ones([3]), nn.ones([3, 1])), /matMul\(\): needs a and b of rank >= 2/],
    ['concat shapes', () => nn.concat([nn.ones([2, 3]), nn.ones([2, 2])]), /concat\(\): tensors\[1\] has shape \[2,2\], tensors\[0\] \[2,3\]: all dimensions but axis 0 must match/],
    ['split sizes', () => nn.split(nn.ones([5]), 2), /split\(\): dimension 0 has size 5, which does not divide into 2 equal parts/],
    ['slice past the end', () => nn.slice(nn.ones([3]), [2], [2]), /slice\(\): begin\[0\] \+ size\[0\] = 4 lies past dimension 0 of size 3/],
    ['squeeze a non-1 axis', () => nn.squeeze(nn.ones([1, 2]), [1]), /squeeze\(\): cannot squeeze axis 1: its size is 2, not 1/],
    ['transpose perm', () => nn.transpose(nn.ones([2, 3]), [0, 0]), /transpose\(\): perm must be a permutation of 0..1/],
    ['softmax dim', () => nn.softmax(nn.ones([2, 3]), 0), /softmax\(\): works along the last dimension only/],
    ['bad dtype', () => nn.tensor([1], undefined, 'float64' as 'float32'), /tensor\(\): dtype must be one of \["float32","int32","bool"\], got the string "float64"/],
    ['not a tensor', () => nn.add({} as unknown as number, 1), /add\(\): argument 'a' must be a Tensor, a number or an array, got an object/],
    ['disposed tensor', () => { const t = nn.ones([2]); t.dispose(); return nn.neg(t); }, /neg\(\): argument 'x' is a disposed tensor/],
    ['tidy with an async function', () => nn.tidy((async () => nn.ones([1])) as unknown as () => nn.Tensor), /tidy\(\): the function returned a Promise/],
    ['assign of another shape', () => { const v = nn.variable(nn.zeros([2]), true, 'assign-shape'); try { v.assign(nn.zeros([3])); } finally { v.dispose(); } }, /assign\(\): variable "assign-shape" has shape \[2\]; newValue has \[3\]/],
    ['resize size', () => nn.image.resizeBilinear(nn.ones([2, 2, 1]), [3] as unknown as [number, number]), /image.resizeBilinear\(\): size must be \[newHeight, newWidth\], got \[3\]/],
    ['resize rank', () => nn.image.resizeNearestNeighbor(nn.ones([2, 2]), [3, 3]), /image.resizeNearestNeighbor\(\): images must be of rank 3 \(\[height, width, channels\]\) or 4/],
    ['resize both rules', () => nn.image.resizeBilinear(nn.ones([2, 2, 1]), [3, 3], true, true), /alignCorners and halfPixelCenters cannot both be true/],
    ['resize too large', () => nn.image.resizeBilinear(nn.ones([4, 2, 2, 3]), [2 ** 28, 2 ** 28]), /would hold \d{18} values \(shape \[4,268435456,268435456,3\]\); at most 2\^31 - 1/],
    ['flipLeftRight of one image', () => nn.image.flipLeftRight(nn.ones([2, 2, 1])), /image must be a batch of rank 4 .*nn.expandDims\(image, 0\)/],
    ['rgbToGrayscale channels', () => nn.image.rgbToGrayscale(nn.ones([2, 2, 4])), /the last dimension of an RGB image must be 3/],
    ['confusionMatrix out of range (TF.js drops the sample)', () => nn.math.confusionMatrix(nn.tensor1d([0, 5], 'int32'), nn.tensor1d([0, 1], 'int32'), 3), /math.confusionMatrix\(\): labels\[1\] is 5; a class index must be an integer in 0..2/],
    ['confusionMatrix fractions', () => nn.math.confusionMatrix([0, 1], [0, 1.5], 2), /predictions\[1\] is 1.5/],
    ['confusionMatrix lengths', () => nn.math.confusionMatrix([0, 1], [0], 2), /labels has 2 samples and predictions 1/],
    ['buffer coordinates', () => nn.buffer([2, 3]).set(1, 2, 0), /TensorBuffer: coordinate 0 is 2; it must be an integer in \[0, 1\] \(shape \[2,3\]\)/],
    ['buffer rank', () => nn.buffer([2, 3]).get(1), /TensorBuffer: 1 coordinate\(s\) given for a rank-2 buffer/],
    ['buffer values', () => nn.buffer([2, 2], 'float32', [1, 2, 3]), /buffer\(\): 3 values do not fill shape \[2,2\], which holds 4/],
    ['norm ord', () => nn.norm(nn.ones([2, 2]), 2, [0, 1]), /norm\(\): a matrix norm takes ord 'fro', 'euclidean', 1, -1, Infinity or -Infinity, got 2/],
  ];
  for (const [name, f, pattern] of errors) {
    test(name, () => {
      const before = nn.memory().numTensors;
      expect(() => nn.tidy(() => void f())).toThrow(pattern);
      expect(nn.memory().numTensors).toBe(before);
    });
  }
});

describe('seeded random ops', () => {
  test('same seed, same values; distributions as TF.js describes them', () => {
    nn.tidy(() => {
      const a = nn.randomNormal([20000], 2, 3, 'float32', 7);
      const b = nn.randomNormal([20000], 2, 3, 'float32', 7);
      expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
      const { mean, variance } = nn.moments(a);
      expect(mean.dataSync()[0]).toBeCloseTo(2, 1);
      expect(Math.sqrt(variance.dataSync()[0])).toBeCloseTo(3, 1);
      const u = nn.randomUniform([20000], -1, 3, 'float32', 1);
      expect(u.min().dataSync()[0]).toBeGreaterThanOrEqual(-1);
      expect(u.max().dataSync()[0]).toBeLessThan(3);
      expect(u.mean().dataSync()[0]).toBeCloseTo(1, 1);
      const ui = nn.randomUniform([1000], 0, 10, 'int32', 2);
      expect(ui.dtype).toBe('int32');
      expect(new Set(ui.dataSync()).size).toBe(10);
      const t = nn.truncatedNormal([20000], 0, 1, 'float32', 3);
      expect(t.abs().max().dataSync()[0]).toBeLessThanOrEqual(2);
      // TF.js's truncated normal has the standard deviation of N(0,1) cut at ±2: 0.8796.
      expect(Math.sqrt(nn.moments(t).variance.dataSync()[0])).toBeCloseTo(0.8796, 1);
      expect(Array.from(nn.randomUniform([5], 0, 1, 'float32', 4).dataSync())).not.toEqual(Array.from(nn.randomUniform([5], 0, 1, 'float32', 5).dataSync()));
    });
  });
  test('randomStandardNormal, randomUniformInt, multinomial and dropout: seeded, with the right distributions', () => {
    nn.tidy(() => {
      const z = nn.randomStandardNormal([20000], 'float32', 11);
      expect(Array.from(z.dataSync())).toEqual(Array.from(nn.randomNormal([20000], 0, 1, 'float32', 11).dataSync()));
      const k = nn.randomUniformInt([5000], -2, 3, 5);
      expect(k.dtype).toBe('int32');
      expect([...new Set(k.dataSync())].sort()).toEqual([-1, -2, 0, 1, 2]);
      // Class frequencies follow softmax(logits) (and the probabilities when normalized).
      const logits = nn.tensor2d([[0, Math.log(3), -Infinity], [2, 2, 2]]);
      const draws = nn.multinomial(logits, 20000, 3);
      expect(draws.shape).toEqual([2, 20000]);
      expect(Array.from(draws.dataSync())).toEqual(Array.from(nn.multinomial(logits, 20000, 3).dataSync()));
      const row0 = Array.from(draws.dataSync().slice(0, 20000));
      expect(row0.filter((c) => c === 2).length).toBe(0);
      expect(row0.filter((c) => c === 1).length / 20000).toBeCloseTo(0.75, 1);
      const row1 = Array.from(draws.dataSync().slice(20000));
      for (const c of [0, 1, 2]) expect(row1.filter((v) => v === c).length / 20000).toBeCloseTo(1 / 3, 1);
      const p = nn.multinomial(nn.tensor1d([0.1, 0.9]), 10000, 4, true);
      expect(p.shape).toEqual([10000]);
      expect(p.sum().dataSync()[0] / 10000).toBeCloseTo(0.9, 1);
      // dropout: kept values scaled by 1 / (1 − rate), a fraction rate zeroed; noiseShape shares a draw.
      const d = nn.dropout(nn.ones([100, 100]), 0.25, undefined, 9).dataSync();
      expect(new Set(d)).toEqual(new Set([0, 1 / 0.75].map((v) => Math.fround(v))));
      expect(Array.from(d).filter((v) => v === 0).length / 10000).toBeCloseTo(0.25, 1);
      const shared = nn.dropout(nn.ones([4, 50]), 0.5, [1, 50], 2).arraySync() as number[][];
      for (const row of shared) expect(row).toEqual(shared[0]);
    });
  });
  test('util.createShuffledIndices is a permutation', () => {
    const p = nn.util.createShuffledIndices(100);
    expect(p).toBeInstanceOf(Uint32Array);
    expect(Array.from(p).sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, i) => i));
  });
  test('util.shuffle permutes in place', () => {
    const a = Array.from({ length: 50 }, (_, i) => i);
    nn.util.shuffle(a);
    expect([...a].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(a).not.toEqual(Array.from({ length: 50 }, (_, i) => i));
  });
});

describe('the async ops whose result size depends on the data, as TF.js', () => {
  test('whereAsync, booleanMaskAsync and setdiff1dAsync give TF.js\'s shapes, dtypes and values, and leave no tensor behind', async () => {
    // Each: the inputs (made in a tidy, kept) and the async call on them.
    const programs: [(L: Lib) => unknown[], (L: Lib, ins: unknown[]) => Promise<unknown>][] = [
      [(L) => [L.tensor2d([[true, false, true], [false, false, true]])], (L, [c]) => L.whereAsync(c)],
      [(L) => [L.tensor1d([false, false], 'bool')], (L, [c]) => L.whereAsync(c)],
      [(L) => [L.tensor2d([[1, 2], [3, 4], [5, 6]]), L.tensor1d([true, false, true], 'bool')], (L, [t, m]) => L.booleanMaskAsync(t, m)],
      [(L) => [L.range(0, 12).reshape([2, 3, 2]), L.tensor1d([false, true, true], 'bool')], (L, [t, m]) => L.booleanMaskAsync(t, m, 1)],
      [(L) => [L.range(0, 12).reshape([2, 3, 2]), L.tensor2d([[true, false, true], [false, true, false]])], (L, [t, m]) => L.booleanMaskAsync(t, m)],
      [(L) => [L.tensor1d([1, 2, 3, 4, 5, 6], 'int32'), L.tensor1d([1, 3, 5], 'int32')], (L, [x, y]) => L.setdiff1dAsync(x, y)],
      [(L) => [L.tensor1d([1.5, 2, 1.5]), L.tensor1d([2])], (L, [x, y]) => L.setdiff1dAsync(x, y)],
    ];
    for (const [make, call] of programs) {
      const results: Result[][] = [];
      for (const L of [nn, tf] as Lib[]) {
        const ins = L.tidy(() => make(L));
        const before = L.memory().numTensors;
        const out = await call(L, ins);
        const made = L.memory().numTensors - before;
        results.push([...collect(L, out), { shape: [], dtype: 'tensors made', values: [made] }]);
        L.dispose(out);
        L.dispose(ins);
      }
      expect(results[0]).toEqual(results[1]);
    }
  });
  test('rand fills a tensor from a function, as TF.js', () => {
    nn.tidy(() => {
      expect(Array.from(nn.rand([2, 3], () => 2.5).dataSync())).toEqual(new Array(6).fill(2.5));
      let i = 0;
      const t = nn.rand([3], () => i++, 'int32');
      expect([t.dtype, Array.from(t.dataSync())]).toEqual(['int32', [0, 1, 2]]);
      expect(() => nn.rand([2], 3 as unknown as () => number)).toThrow(/rand\(\): randFunction must be a function returning a number, got 3/);
    });
  });
});

describe('TF.js helpers outside the ops', () => {
  test('util helpers answer as TF.js\'s', () => {
    for (const L of [nn, tf] as Lib[]) {
      expect(L.util.sizeFromShape([2, 3, 4])).toBe(24);
      expect(L.util.sizeFromShape([])).toBe(1);
      expect(L.util.arraysEqual([1, 2, 3], new Int32Array([1, 2, 3]))).toBe(true);
      expect(L.util.arraysEqual([1, 2], [1, 3])).toBe(false);
      expect(L.util.clamp(0, 7, 5)).toBe(5);
      expect(L.util.flatten([[1, [2, 3]], [4]])).toEqual([1, 2, 3, 4]);
      expect(() => L.util.assert(false, () => 'shapes differ')).toThrow('shapes differ');
      expect(typeof L.util.now()).toBe('number');
    }
  });
  test('browser.toPixels gives TF.js\'s bytes (float32 in [0, 1], int32 in [0, 255], 1 to 4 channels) and refuses values out of range', async () => {
    const programs: ((L: Lib) => unknown)[] = [
      (L) => L.tensor2d([[0, 0.5], [1, 0.25]]),
      (L) => L.tensor3d([[[0, 128, 255], [10, 20, 30]]], undefined, 'int32'),
      (L) => L.tensor3d([[[0.1, 0.2, 0.3, 0.4]]]),
      (L) => L.tensor3d([[[0.9], [0.1]]]),
    ];
    for (const make of programs) {
      const a = make(nn) as nn.Tensor, b = make(tf) as tf.Tensor;
      expect(Array.from(await nn.browser.toPixels(a))).toEqual(Array.from(await tf.browser.toPixels(b as tf.Tensor2D)));
      a.dispose();
      b.dispose();
    }
    const bad = nn.tensor2d([[0, 2]]);
    await expect(nn.browser.toPixels(bad)).rejects.toThrow(/browser.toPixels\(\): float32 values must be in \[0, 1\], got 2 at pixel 1/);
    bad.dispose();
    expect(() => nn.browser.fromPixels({ data: new Uint8ClampedArray(3), width: 1, height: 1 })).toThrow(/data holds 3 bytes; 1 × 1 RGBA pixels need 4/);
    expect(() => nn.browser.fromPixels({ data: new Float32Array(4), width: 1, height: 1 } as unknown as nn.PixelData)).toThrow(/pixels must be an image, canvas, video, ImageBitmap, ImageData or \{data, width, height\} \(data: RGBA bytes\)/);
  });
  test('nextFrame resolves, time measures, disposeVariables frees the variables and not a model\'s weights', async () => {
    await nn.nextFrame();
    const timing = await nn.time(() => nn.tidy(() => void nn.matMul(nn.ones([64, 64]), nn.ones([64, 64]))));
    expect(timing.wallMs).toBeGreaterThanOrEqual(0);
    expect(timing.kernelMs).toBe(timing.wallMs);
    const model = nn.sequential({ layers: [nn.layers.dense({ inputShape: [2], units: 1 })] });
    const before = nn.memory().numTensors;
    const v = nn.variable([0, 0, 0]);
    const w = nn.variable([1, 1], false);
    expect(nn.memory().numTensors).toBe(before + 2);
    nn.disposeVariables();
    expect(v.isDisposed && w.isDisposed).toBe(true);
    expect(nn.memory().numTensors).toBe(before);
    const weights = model.getWeights();
    expect(weights.map((t) => t.shape)).toEqual([[2, 1], [1]]);
    nn.dispose(weights);
    model.dispose();
  });
});
