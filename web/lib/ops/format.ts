// Tensor.toString() / print() in TF.js's layout, so a program prints the same text on both:
// "Tensor" then the values indented by 4, rows of a matrix on their own lines, columns padded
// to their widest value, 7 decimals at most, and dimensions past 20 entries shown as their
// first 3, "...", and last 3.
import type { DataArray, DataType } from '../tensor';

const SUMMARIZE_OVER = 20;
const EDGE_ITEMS = 3;
const DECIMALS = 7;

function valueText(v: number, dtype: DataType): string {
  if (dtype === 'bool') return v === 0 ? 'false' : 'true';
  return parseFloat(v.toFixed(DECIMALS)).toString();
}

export function formatTensor(values: DataArray, shape: readonly number[], dtype: DataType, verbose: boolean): string {
  const lines = ['Tensor'];
  if (verbose) lines.push(`  dtype: ${dtype}`, `  rank: ${shape.length}`, `  shape: [${shape.join(',')}]`, '  values:');
  const cols = shape.length === 0 ? 1 : shape[shape.length - 1];
  const width = new Array<number>(cols).fill(0);
  if (shape.length > 1) {
    for (let i = 0; i < values.length; i++) width[i % cols] = Math.max(width[i % cols], valueText(values[i], dtype).length);
  }
  const body = block(values, shape, dtype, width, true);
  lines.push(body.map((l) => '    ' + l).join('\n'));
  return lines.join('\n');
}

function cell(v: number, dtype: DataType, pad: number): string {
  return valueText(v, dtype).padEnd(pad);
}

function block(values: DataArray, shape: readonly number[], dtype: DataType, width: number[], isLast: boolean): string[] {
  const rank = shape.length;
  if (rank === 0) return [dtype === 'bool' ? valueText(values[0], dtype) : String(values[0])];
  const size = shape[0];
  if (rank === 1) {
    if (size > SUMMARIZE_OVER) {
      const head = Array.from(values.subarray(0, EDGE_ITEMS), (v, i) => cell(v, dtype, width[i]));
      const tail = Array.from(values.subarray(size - EDGE_ITEMS, size), (v, i) => cell(v, dtype, width[size - EDGE_ITEMS + i]));
      return ['[' + head.join(', ') + ', ..., ' + tail.join(', ') + ']'];
    }
    return ['[' + Array.from(values, (v, i) => cell(v, dtype, width[i])).join(', ') + ']'];
  }
  const sub = shape.slice(1);
  const stride = values.length / Math.max(size, 1);
  const lines: string[] = [];
  const row = (i: number, last: boolean): void => {
    lines.push(...block(values.subarray(i * stride, (i + 1) * stride), sub, dtype, width, last));
  };
  if (size > SUMMARIZE_OVER) {
    for (let i = 0; i < EDGE_ITEMS; i++) row(i, false);
    lines.push('...');
    for (let i = size - EDGE_ITEMS; i < size; i++) row(i, i === size - 1);
  } else {
    for (let i = 0; i < size; i++) row(i, i === size - 1);
  }
  const sep = rank === 2 ? ',' : '';
  lines[0] = '[' + (size > 0 ? lines[0] + sep : '');
  for (let i = 1; i < lines.length - 1; i++) lines[i] = ' ' + lines[i] + sep;
  const newline = ',\n' + '\n'.repeat(Math.max(0, rank - 2));
  lines[lines.length - 1] = ' ' + lines[lines.length - 1] + ']' + (isLast ? '' : newline);
  return lines;
}
