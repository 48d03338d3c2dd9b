// matMul and dot. The products run on the engine's GEMM (engine/kernels/gemm, xsimd) through
// the thin MatMul binding: JS lays out the operands in wasm memory, the engine multiplies one
// batch at a time. Batch dimensions broadcast as in TF.js 4; int32 operands multiply as float32
// and round back (exact while products and sums stay below 2^24).
//
// Needs the engine: before nn.ready() (or the first async call that loads it) matMul says so.
import type { WasmMatMul } from '../engine-module';
import { engine } from '../memory';
import { shapeSize } from '../tensor';
import type { Tensor, TensorInput } from '../tensor';
import { record } from './tape';
import { allocate, broadcastIndex, broadcastShapes, fail, makeTensor, release, shapeText, toTensor, upcast } from './util';
import { reduceTo } from './elementwise';
import { reshape } from './shape';
import { composite } from './reduce';

// One per realm, like the engine module itself (not counted in memory().liveWasmObjects).
let scratch: WasmMatMul | null = null;

function matMulScratch(): WasmMatMul {
  if (!scratch) scratch = new (engine().MatMul)();
  return scratch;
}

function check(result: string): void {
  if (result !== '') throw new Error(`nnplay: matMul(): ${result}`);
}

/** a · b over the last two dimensions (transposed first when asked); leading dimensions broadcast. */
export function matMul(a: TensorInput, b: TensorInput, transposeA = false, transposeB = false): Tensor {
  const op = 'matMul';
  const converted: Tensor[] = [];
  const ta = toTensor(a, 'a', op, converted);
  const tb = toTensor(b, 'b', op, converted);
  try {
    if (ta.rank < 2 || tb.rank < 2) {
      fail(op, `needs a and b of rank >= 2, got shapes ${shapeText(ta.shape)} and ${shapeText(tb.shape)} (use nn.dot() for vectors)`);
    }
    const [ar, ac] = ta.shape.slice(-2);
    const [br, bc] = tb.shape.slice(-2);
    const m = transposeA ? ac : ar;
    const k = transposeA ? ar : ac;
    const kb = transposeB ? bc : br;
    const n = transposeB ? br : bc;
    if (k !== kb) {
      fail(op, `inner dimensions differ: a${transposeA ? 'ᵀ' : ''} ${shapeText(ta.shape)} has ${k} columns but b${transposeB ? 'ᵀ' : ''} ${shapeText(tb.shape)} has ${kb} rows`);
    }
    const aBatch = ta.shape.slice(0, -2);
    const bBatch = tb.shape.slice(0, -2);
    const batch = broadcastShapes(op, aBatch, bBatch);
    const batches = shapeSize(batch);
    const dtype = upcast(ta.dtype, tb.dtype) === 'float32' ? 'float32' : 'int32';
    const out = allocate(dtype, batches * m * n);
    if (out.length > 0) {
      const mod = engine();
      const mmul = matMulScratch();
      check(mmul.reserve(ta.size, tb.size, batches * m * n));
      let heap = mod.HEAPF32;
      heap.set(ta.raw(), mmul.aPtr() >> 2);
      heap.set(tb.raw(), mmul.bPtr() >> 2);
      const ai = broadcastIndex(aBatch, batch);
      const bi = broadcastIndex(bBatch, batch);
      for (let i = 0; i < batches; i++) check(mmul.multiply(transposeA, transposeB, m, n, k, ai[i] * m * k, bi[i] * k * n, i * m * n));
      heap = mod.HEAPF32; // re-derived: nothing grows memory in multiply, but a stale view is silent
      const c = heap.subarray(mmul.cPtr() >> 2, (mmul.cPtr() >> 2) + out.length);
      if (dtype === 'float32') out.set(c);
      else for (let i = 0; i < out.length; i++) out[i] = Math.round(c[i]);
    }
    const y = makeTensor(out, [...batch, m, n], dtype);
    record(op, [ta, tb], y, ([dy], { inputs: [xa, xb] }) => {
      let da: Tensor;
      let db: Tensor;
      if (!transposeA && !transposeB) [da, db] = [matMul(dy, xb, false, true), matMul(xa, dy, true, false)];
      else if (!transposeA && transposeB) [da, db] = [matMul(dy, xb), matMul(dy, xa, true, false)];
      else if (transposeA && !transposeB) [da, db] = [matMul(xb, dy, false, true), matMul(xa, dy)];
      else [da, db] = [matMul(xb, dy, true, true), matMul(dy, xa, true, true)];
      return [reduceTo(da, xa.shape), reduceTo(db, xb.shape)];
    });
    return y;
  } finally {
    release(converted);
  }
}

/** Dot product of vectors / matrices (rank 1 or 2): 1·1 a scalar, 2·1 and 1·2 a vector, 2·2 matMul. */
export function dot(a: TensorInput, b: TensorInput): Tensor {
  const op = 'dot';
  const converted: Tensor[] = [];
  const ta = toTensor(a, 'a', op, converted);
  const tb = toTensor(b, 'b', op, converted);
  try {
    if (ta.rank < 1 || ta.rank > 2 || tb.rank < 1 || tb.rank > 2) {
      fail(op, `needs tensors of rank 1 or 2, got shapes ${shapeText(ta.shape)} and ${shapeText(tb.shape)}`);
    }
    const k1 = ta.shape[ta.rank - 1];
    const k2 = tb.shape[0];
    if (k1 !== k2) fail(op, `inner dimensions differ: ${shapeText(ta.shape)} · ${shapeText(tb.shape)} (${k1} vs ${k2})`);
    return composite(op, () => {
      const a2 = ta.rank === 1 ? reshape(ta, [1, k1]) : ta;
      const b2 = tb.rank === 1 ? reshape(tb, [k2, 1]) : tb;
      const p = matMul(a2, b2);
      if (ta.rank === 1 && tb.rank === 1) return reshape(p, []);
      if (ta.rank === 1) return reshape(p, [tb.shape[1]]);
      if (tb.rank === 1) return reshape(p, [ta.shape[0]]);
      return p;
    });
  } finally {
    release(converted);
  }
}
