// model.summary(): the table TF.js 4.22 prints (tfjs-layers utils/layer_utils.ts printSummary),
// line for line, from the engine's inspect() of the model (shapes, calls and parameter counts
// as the engine built them). Columns sit at fixed positions of the line (90 characters for a
// chain, 115 with the "Receives inputs" column), cells cut to fit, exactly as TF.js cuts them,
// so a program's printed summary reads the same in both (tests/js/training-utils.test.ts
// compares the text).
import { describe } from './describe';
import type { Inspection } from './engine-tables';

function fail(where: string, message: string): never {
  throw new Error(`nnplay: ${where}: ${message}`);
}

/** A row's cells at their positions (TF.js's printRow). */
function row(fields: string[], positions: number[]): string {
  let line = '';
  for (let i = 0; i < fields.length; i++) {
    if (i > 0) line = line.slice(0, line.length - 1) + ' ';
    line += fields[i];
    line = line.slice(0, positions[i]);
    line += ' '.repeat(Math.max(0, positions[i] - line.length));
  }
  return line;
}

const shapeText = (s: readonly number[]) => JSON.stringify([null, ...s]);

/**
 * Whether TF.js would print the model without connections: every depth of the graph has one
 * node with at most one inbound layer and no layer is called twice (isModelSequentialLike).
 */
function sequentialLike(inspection: Inspection): boolean {
  if (inspection.inputs.length !== 1 || inspection.outputs.length !== 1) return false;
  for (const l of inspection.layers) {
    if (l.nodes.length > 1 || l.nodes.some((n) => n.inbound.length > 1)) return false;
  }
  // A chain: every layer feeds at most one other (a branch puts two nodes at one depth).
  const fedBy = new Map<string, number>();
  for (const l of inspection.layers) for (const n of l.nodes) for (const [name] of n.inbound) fedBy.set(name, (fedBy.get(name) ?? 0) + 1);
  return [...fedBy.values()].every((c) => c <= 1);
}

/**
 * The layers in TF.js's model.layers order (container.ts): by decreasing depth from the
 * outputs, ties in the order a depth-first walk from the outputs first meets them. nnplay's
 * model.layers lists them in build order; the summary uses TF.js's so the text is the same.
 */
function tfjsLayerOrder(inspection: Inspection): Inspection['layers'] {
  const byName = new Map(inspection.layers.map((l) => [l.name, l]));
  const inboundOf = (name: string, call: number) => byName.get(name)?.nodes[call]?.inbound ?? [];
  const firstSeen = new Map<string, number>();
  const finished = new Set<string>();
  const postOrder: [string, number][] = [];
  const walk = (name: string, call: number): void => {
    const key = `${name}:${call}`;
    if (finished.has(key)) return;
    if (!firstSeen.has(name)) firstSeen.set(name, firstSeen.size);
    for (const [n, c] of inboundOf(name, call)) walk(n, c);
    finished.add(key);
    postOrder.push([name, call]);
  };
  for (const o of inspection.outputs) walk(o.name, o.call);
  const nodeDepth = new Map<string, number>();
  const layerDepth = new Map<string, number>();
  for (const [name, call] of postOrder.reverse()) {
    const key = `${name}:${call}`;
    const depth = Math.max(nodeDepth.get(key) ?? 0, layerDepth.get(name) ?? 0);
    layerDepth.set(name, depth);
    nodeDepth.set(key, depth);
    for (const [n, c] of inboundOf(name, call)) nodeDepth.set(`${n}:${c}`, Math.max(depth + 1, nodeDepth.get(`${n}:${c}`) ?? 0));
  }
  const names = [...layerDepth.keys()].sort((a, b) => layerDepth.get(b)! - layerDepth.get(a)! || firstSeen.get(a)! - firstSeen.get(b)!);
  return names.map((n) => byName.get(n)!);
}

export interface SummaryArgs {
  inspection: Inspection;
  /** A Sequential lists its layers without the input layer, as TF.js's Sequential does. */
  isSequential: boolean;
  className: (layerName: string, type: string) => string;
}

/** The summary's lines; summary(lineLength?, positions?, printFn?) as TF.js takes them. */
export function printSummary(model: SummaryArgs, lineLength?: unknown, positions?: unknown): string[] {
  const where = 'summary()';
  if (lineLength !== undefined && (typeof lineLength !== 'number' || !Number.isInteger(lineLength) || lineLength < 1)) {
    fail(where, `lineLength must be an integer >= 1, got ${describe(lineLength)}`);
  }
  const { inspection } = model;
  const chain = model.isSequential || sequentialLike(inspection);
  const header = ['Layer (type)', 'Input Shape', 'Output shape', 'Param #'];
  if (!chain) header.push('Receives inputs');
  const length = (lineLength as number | undefined) ?? (chain ? 90 : 115);
  let pos = (positions as number[] | undefined) ?? (chain ? [0.32, 0.61, 0.89, 1] : [0.24, 0.48, 0.7, 0.8, 1]);
  if (!Array.isArray(pos) || pos.length !== header.length || pos.some((p) => typeof p !== 'number' || !Number.isFinite(p) || p < 0)) {
    fail(where, `positions must be ${header.length} numbers (fractions of the line up to 1, or column ends), got ${describe(positions)}`);
  }
  if (pos[pos.length - 1] <= 1) pos = pos.map((p) => Math.floor(length * p));

  const byName = new Map(inspection.layers.map((l) => [l.name, l]));
  const outputOf = (name: string, call: number): number[] => {
    const l = byName.get(name)!;
    return l.nodes[call]?.outputShape ?? l.outputShape;
  };
  const layers = model.isSequential ? inspection.layers.filter((l) => l.type !== 'input') : tfjsLayerOrder(inspection);
  const lines: string[] = ['_'.repeat(length), row(header, pos), '='.repeat(length)];
  layers.forEach((l, i) => {
    const isInput = l.type === 'input' || l.nodes.length === 0 || l.nodes.every((n) => n.inbound.length === 0);
    const inputShape = isInput
      ? `[${shapeText(l.outputShape)}]`
      : l.nodes.map((n) => `[${n.inbound.map(([name, call]) => shapeText(outputOf(name, call))).join(',')}]`).join(',');
    const outShapes = l.nodes.length > 0 ? l.nodes.map((n) => shapeText(n.outputShape)) : [shapeText(l.outputShape)];
    const outputShape = outShapes.every((s) => s === outShapes[0]) ? outShapes[0] : 'multiple';
    const cells = [`${l.name} (${model.className(l.name, l.type)})`, inputShape, outputShape, String(l.params)];
    if (chain) lines.push(row(cells, pos));
    else {
      const connections = l.nodes.flatMap((n) => n.inbound.map(([name, call, tensor]) => `${name}[${call}][${tensor}]`));
      lines.push(row([...cells, connections[0] ?? ''], pos));
      for (const c of connections.slice(1)) lines.push(row(['', '', '', '', c], pos));
    }
    lines.push((i === layers.length - 1 ? '=' : '_').repeat(length));
  });
  lines.push(
    `Total params: ${inspection.totalParams}`,
    `Trainable params: ${inspection.trainableParams}`,
    `Non-trainable params: ${inspection.nonTrainableParams}`,
    '_'.repeat(length),
  );
  return lines;
}
