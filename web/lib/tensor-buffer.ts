// nn.buffer / nn.TensorBuffer (TF.js tf.buffer, tensor.buffer()/bufferSync()): a mutable array
// with a shape, written element by element with set(value, ...coordinates) and turned into a
// tensor with toTensor(). Tensors themselves stay immutable: toTensor() and bufferSync() copy.
//
// Unlike TF.js, a coordinate outside the shape is an error in set() as in get() (TF.js's set()
// writes past the end of the typed array, where the value silently disappears).
import { describe } from './describe';
import { Tensor, checkDtype, checkShape, shapeSize, tensor } from './tensor';
import type { DataArray, DataType } from './tensor';
import { allocate, strides } from './ops/util';

export class TensorBuffer {
  readonly shape: number[];
  readonly dtype: DataType;
  readonly size: number;
  readonly values: DataArray;
  /** Row-major strides of the shape's leading axes (TF.js: length rank − 1). */
  readonly strides: number[];

  constructor(shape: number[], dtype: DataType = 'float32', values?: DataArray | ArrayLike<number>) {
    const where = 'buffer()';
    this.shape = checkShape(shape, where);
    this.dtype = checkDtype(dtype, where);
    this.size = shapeSize(this.shape);
    if (values !== undefined && values !== null) {
      if (typeof values !== 'object' || typeof (values as ArrayLike<number>).length !== 'number') throw new Error(`nnplay: ${where}: values must be an array or typed array, got ${describe(values)}`);
      if (values.length !== this.size) throw new Error(`nnplay: ${where}: ${values.length} values do not fill shape [${this.shape.join(',')}], which holds ${this.size}`);
    }
    const arr = allocate(this.dtype, this.size);
    if (values) arr.set(values as ArrayLike<number>);
    this.values = arr;
    this.strides = strides(this.shape).slice(0, -1);
  }

  get rank(): number {
    return this.shape.length;
  }

  /** The flat index of coordinates [i, j, ...] (one per axis; none for a scalar). */
  locToIndex(locs: number[]): number {
    const where = 'TensorBuffer';
    if (locs.length !== this.rank) throw new Error(`nnplay: ${where}: ${locs.length} coordinate(s) given for a rank-${this.rank} buffer (shape [${this.shape.join(',')}])`);
    let index = 0;
    for (let d = 0; d < locs.length; d++) {
      const c = locs[d];
      if (!Number.isInteger(c) || c < 0 || c >= this.shape[d]) {
        throw new Error(`nnplay: ${where}: coordinate ${d} is ${describe(c)}; it must be an integer in [0, ${this.shape[d] - 1}] (shape [${this.shape.join(',')}])`);
      }
      index = index * this.shape[d] + c;
    }
    return index;
  }

  /** The coordinates of flat index `index`. */
  indexToLoc(index: number): number[] {
    if (!Number.isInteger(index) || index < 0 || index >= this.size) throw new Error(`nnplay: TensorBuffer: index ${describe(index)} is outside [0, ${this.size - 1}]`);
    const locs = new Array<number>(this.rank);
    for (let d = this.rank - 1; d >= 0; d--) {
      locs[d] = index % this.shape[d];
      index = Math.floor(index / this.shape[d]);
    }
    return locs;
  }

  /** Writes `value` at the coordinates (none for a scalar; TF.js also takes none for [0]). */
  set(value: number | boolean, ...locs: number[]): void {
    if (typeof value !== 'number' && typeof value !== 'boolean') throw new Error(`nnplay: TensorBuffer.set(): value must be a number or boolean, got ${describe(value)}`);
    this.values[this.locToIndex(locs.length === 0 && this.rank === 1 ? [0] : locs)] = Number(value);
  }

  get(...locs: number[]): number {
    return this.values[this.locToIndex(locs.length === 0 && this.rank === 1 ? [0] : locs)];
  }

  /** A tensor of the buffer's values as they are now (a copy: later set() calls do not change it). */
  toTensor(): Tensor {
    return tensor(this.values.slice(), this.shape, this.dtype);
  }
}

/** An empty (zero-filled) or pre-filled TensorBuffer (TF.js tf.buffer). */
export function buffer(shape: number[], dtype: DataType = 'float32', values?: DataArray | ArrayLike<number>): TensorBuffer {
  return new TensorBuffer(shape, dtype, values);
}
