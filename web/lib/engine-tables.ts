// What the library asks the engine instead of knowing itself: its tables (layer types with their
// keys and defaults, activations, initializers, losses, metrics, optimizers), inspect(spec)
// (every layer's output shape and every variable of a model spec) and one layer's config
// checked against its row. The library keeps no copy of shape rules, weight names or defaults.
//
// Why the tables are embedded: TF.js programs build layers and compile before any await, when
// the engine may still be loading. scripts/engine-tables-json.mjs writes the built engine's
// tables to build/wasm/engine-tables.json at build time and the bundle carries them, so name
// checks are synchronous; inspect() and checkLayerConfig() still need the loaded engine.
import embeddedTables from '../../build/wasm/engine-tables.json';
import { engine } from './memory';

export interface TableKey {
  name: string;
  type: string;
  required: boolean;
  default: unknown;
  choices?: string[];
}

/**
 * Which of the engine's two wasm modules holds a row's code (engine/nn/registry.h EnginePart):
 * 'extra' rows are in nnplay-extra.wasm, which the library loads as soon as a model names one
 * (memory.ts needExtraPart).
 */
export type EnginePart = 'core' | 'extra';

export interface EngineTables {
  layers: { name: string; aliases: string[]; keys: TableKey[]; minInputs: number; maxInputs: number; part: EnginePart }[];
  activations: { name: string; aliases: string[]; part: EnginePart }[];
  initializers: { name: string; aliases: string[]; keys?: TableKey[]; part: EnginePart }[];
  losses: { name: string; aliases: string[]; keys?: TableKey[]; part: EnginePart }[];
  metrics: { name: string; aliases: string[]; logName: string; part: EnginePart }[];
  optimizers: { name: string; aliases: string[]; keys: string[]; defaults: Record<string, unknown>; part: EnginePart }[];
  /** The learning-rate schedules (nn.train.exponentialDecay, ...). */
  schedules: { name: string; aliases: string[]; keys: TableKey[]; part: EnginePart }[];
  /** The engine's thread pool: `max`, the largest count nn.setThreadsCount accepts. */
  threads: { max: number };
}

export interface InspectedVariable {
  name: string;
  shape: number[];
  trainable: boolean;
}

export interface InspectedLayer {
  name: string;
  type: string;
  config: Record<string, unknown>;
  outputShape: number[];
  /** outputShapes: every output tensor's, when the call has several (returnState). */
  nodes: { inbound: [string, number, number][]; outputShape: number[]; outputShapes?: number[][] }[];
  params: number;
  variables: InspectedVariable[];
}

export interface Inspection {
  inputs: { name: string; call: number; shape: number[] }[];
  /** tensor: which output tensor of that call (0 but for returnState's states). */
  outputs: { name: string; call: number; tensor?: number; shape: number[] }[];
  layers: InspectedLayer[];
  totalParams: number;
  trainableParams: number;
  nonTrainableParams: number;
}

/** The engine's tables, as the engine built with this bundle reports them (no engine needed). */
export function engineTables(): EngineTables {
  return embeddedTables as EngineTables;
}

/** The table row of a layer type (by name or alias), or undefined. */
export function layerRow(type: string): EngineTables['layers'][number] | undefined {
  return engineTables().layers.find((r) => r.name === type || r.aliases.includes(type));
}

type Named = { name: string; aliases: string[]; part?: EnginePart };

// Whether `value` names an 'extra' row of `rows`: a name or alias, or an object with one as its
// name (an initializer with parameters, {name: 'constant', value: 1}; a schedule's config).
function namesExtraRow(rows: readonly Named[], value: unknown): boolean {
  const name = value !== null && typeof value === 'object' ? (value as { name?: unknown }).name : value;
  return typeof name === 'string' && rows.some((r) => r.part === 'extra' && (r.name === name || r.aliases.includes(name)));
}

/**
 * Whether a layer's code is in the engine's second module, nnplay-extra.wasm: its type's, or that
 * of an activation or initializer its config names.
 */
export function layerNeedsExtraPart(type: string, config: Readonly<Record<string, unknown>> = {}): boolean {
  if (layerRow(type)?.part === 'extra') return true;
  const { activations, initializers } = engineTables();
  return Object.values(config).some((v) => namesExtraRow(activations, v) || namesExtraRow(initializers, v));
}

/** Whether an engine spec (JSON text, v2 or v1: {layers: [{type, config}, ...]}) has such a layer. */
export function specNeedsExtraPart(specJson: string): boolean {
  const spec = JSON.parse(specJson) as { layers?: { type?: unknown; config?: Record<string, unknown> }[] };
  return Array.isArray(spec.layers) && spec.layers.some((l) => typeof l?.type === 'string' && layerNeedsExtraPart(l.type, l.config ?? {}));
}

/**
 * Whether an engine compile spec (JSON text: {optimizer: {name, learningRate}, loss, metrics},
 * where learningRate is a number or a schedule's {schedule, ...}) names an optimizer, schedule,
 * loss or metric whose code is in the second module.
 */
export function compileNeedsExtraPart(compileJson: string): boolean {
  const { optimizers, schedules, losses, metrics } = engineTables();
  const spec = JSON.parse(compileJson) as { optimizer?: { name?: unknown; learningRate?: { schedule?: unknown } }; loss?: unknown; metrics?: unknown };
  const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);
  return (
    namesExtraRow(optimizers, spec.optimizer) ||
    namesExtraRow(schedules, spec.optimizer?.learningRate?.schedule) ||
    list(spec.loss).some((l) => namesExtraRow(losses, l)) ||
    list(spec.metrics).some((m) => namesExtraRow(metrics, m))
  );
}

/** inspect(spec): throws `nnplay: <where>: <the engine's message>` for a spec it rejects. */
export function inspect(spec: unknown, where: string): Inspection {
  const out = JSON.parse(engine().inspectModel(JSON.stringify(spec))) as Inspection | { error: string };
  if ('error' in out) throw new Error(`nnplay: ${where}: ${out.error}`);
  return out;
}

/** A layer's config checked by the engine: canonical type and every key with defaults filled in. */
export function checkLayerConfig(type: string, config: Record<string, unknown>, where: string): { type: string; config: Record<string, unknown> } {
  const out = JSON.parse(engine().checkLayerConfig(type, JSON.stringify(config), where)) as
    | { type: string; config: Record<string, unknown> }
    | { error: string };
  if ('error' in out) throw new Error(`nnplay: ${out.error}`);
  return out;
}

/**
 * The model-level weight order of Keras and TF.js (model.getWeights()): every trainable variable
 * in layer order, then every non-trainable one (batchNormalization's moving statistics), as
 * indices into the engine's order (layer by layer). For a model without non-trainable variables
 * it is the engine's order; with them it is what TF.js's setWeights() expects.
 */
export function kerasWeightOrder(inspection: Inspection): number[] {
  const all = inspection.layers.flatMap((l) => l.variables);
  const order = all.map((_, i) => i);
  return [...order.filter((i) => all[i].trainable), ...order.filter((i) => !all[i].trainable)];
}

/** The variables in kerasWeightOrder(). */
export function kerasWeights(inspection: Inspection): InspectedVariable[] {
  const all = inspection.layers.flatMap((l) => l.variables);
  return kerasWeightOrder(inspection).map((i) => all[i]);
}
