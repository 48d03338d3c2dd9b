// The functional graph as the user builds it (TF.js / Keras functional API): nn.input() makes a
// SymbolicTensor, layer.apply(x) records a call of the layer and returns its SymbolicTensor,
// nn.model({inputs, outputs}) cuts a graph out of those calls. Here: the records and the one
// function that turns the calls reachable from some outputs into an engine v2 spec
// (engine/nn/graph.h). Shapes are never computed here: apply() asks the engine (inspect) for the
// new call's output shape, so a layer applied to the wrong shape fails with the engine's reason.
import { inspect, layerNeedsExtraPart } from './engine-tables';
import { needExtraPart } from './memory';

/** What symbolic.ts needs of a layer (layers.ts implements it). */
export interface GraphLayer {
  readonly name: string;
  readonly type: string;
  /** The layer's engine config (table keys); the engine fills defaults. */
  readonly config: Record<string, unknown>;
  /** Calls of this layer, in the order they were made. */
  readonly calls: LayerCall[];
  /** false: its weights are frozen (written to the spec as "trainable": false). */
  readonly trainable?: boolean;
}

export interface LayerCall {
  layer: GraphLayer;
  index: number;
  inputs: SymbolicTensor[];
  /** Its output tensor 0. */
  output: SymbolicTensor;
  /** Every output tensor: [output], or for a recurrent layer with returnState [output, h(, c)]. */
  outputs: SymbolicTensor[];
  /** Creation order over all calls (a topological order: inputs exist before their calls). */
  seq: number;
}

let nextSeq = 1;

/**
 * A placeholder for a batch of values in a graph being built (TF.js SymbolicTensor). shape
 * starts with null, the batch dimension: [null, ...per-sample shape].
 */
export class SymbolicTensor {
  readonly dtype = 'float32';
  /** @internal The call that produces it. */
  readonly _call: LayerCall;
  readonly shape: (number | null)[];
  /** Which output tensor of its call (0; returnState's h is 1 and an LSTM's c 2), as Keras's tensor_index. */
  readonly tensorIndex: number;

  constructor(call: LayerCall, sampleShape: readonly number[], tensorIndex = 0) {
    this._call = call;
    this.shape = [null, ...sampleShape];
    this.tensorIndex = tensorIndex;
  }

  /** "<layer name>/<call index>" like TF.js ("dense_1/dense_1" there). */
  get name(): string {
    return this._call.index === 0 ? this._call.layer.name : `${this._call.layer.name}_${this._call.index}`;
  }

  get sourceLayer(): GraphLayer {
    return this._call.layer;
  }

  get rank(): number {
    return this.shape.length;
  }

  /** The per-sample shape (without the batch dimension). */
  get sampleShape(): number[] {
    return this.shape.slice(1) as number[];
  }

  get [Symbol.toStringTag](): string {
    return 'SymbolicTensor';
  }
}

export function isSymbolic(v: unknown): v is SymbolicTensor {
  return v instanceof SymbolicTensor;
}

/** Records a call of `layer` on `inputs` (already known to be symbolic) without a shape yet. */
export function recordCall(layer: GraphLayer, inputs: SymbolicTensor[]): LayerCall {
  // A graph with this layer will need the engine's second module: start loading it now.
  if (layerNeedsExtraPart(layer.type, layer.config)) needExtraPart();
  const call = { layer, index: layer.calls.length, inputs, seq: nextSeq++ } as LayerCall;
  return call;
}

export interface GraphSpecV2 {
  format: 'nnplay-graph';
  seed: number;
  layers: { name: string; type: string; config: Record<string, unknown>; inbound?: (string | [string, number, number])[][] }[];
  inputs: string[];
  outputs: (string | [string, number, number])[];
}

/** Every call reachable from `outputs`, in creation order (each after the calls it reads). */
export function reachableCalls(outputs: readonly SymbolicTensor[]): LayerCall[] {
  const seen = new Set<LayerCall>();
  const stack = outputs.map((t) => t._call);
  while (stack.length) {
    const c = stack.pop()!;
    if (seen.has(c)) continue;
    seen.add(c);
    for (const t of c.inputs) stack.push(t._call);
  }
  return [...seen].sort((a, b) => a.seq - b.seq);
}

/**
 * The engine v2 spec of the graph from `inputs` to `outputs`: the reachable calls only, each
 * layer once with its calls renumbered in order (a sub-model keeps only the calls it uses).
 * Two distinct layers with one name, or an input layer reached but not listed, are Errors.
 */
export function graphSpec(inputs: readonly SymbolicTensor[], outputs: readonly SymbolicTensor[], seed: number, where: string): GraphSpecV2 {
  const calls = reachableCalls(outputs);
  const layerOrder: GraphLayer[] = [];
  const callsOf = new Map<GraphLayer, LayerCall[]>();
  const byName = new Map<string, GraphLayer>();
  for (const c of calls) {
    const other = byName.get(c.layer.name);
    if (other && other !== c.layer) {
      throw new Error(`nnplay: ${where}: two different layers are named "${c.layer.name}"; layer names must be unique in a model`);
    }
    byName.set(c.layer.name, c.layer);
    if (!callsOf.has(c.layer)) {
      callsOf.set(c.layer, []);
      layerOrder.push(c.layer);
    }
    callsOf.get(c.layer)!.push(c);
  }
  const ref = (t: SymbolicTensor): string | [string, number, number] => {
    const i = callsOf.get(t._call.layer)!.indexOf(t._call);
    return i === 0 && t.tensorIndex === 0 ? t._call.layer.name : [t._call.layer.name, i, t.tensorIndex];
  };
  const inputNames = inputs.map((t) => t._call.layer.name);
  for (const layer of layerOrder) {
    if (layer.type === 'input' && !inputNames.includes(layer.name)) {
      throw new Error(
        `nnplay: ${where}: the outputs depend on input "${layer.name}", which is not in inputs (${inputNames.map((n) => `"${n}"`).join(', ') || 'none'})`,
      );
    }
  }
  return {
    format: 'nnplay-graph',
    seed,
    layers: layerOrder.map((layer) => {
      const entry: GraphSpecV2['layers'][number] = {
        name: layer.name,
        type: layer.type,
        config: { ...layer.config, ...(layer.trainable === false ? { trainable: false } : {}) },
      };
      if (layer.type !== 'input') entry.inbound = callsOf.get(layer)!.map((c) => c.inputs.map(ref));
      return entry;
    }),
    inputs: inputNames,
    outputs: outputs.map(ref),
  };
}

/**
 * Completes a call recorded by recordCall(): inspects the graph ending at it (the engine checks
 * the layer's config, its number of inputs and their shapes) and gives the call its outputs.
 * Returns its output, or every output tensor when it has several (returnState: [output, h(, c)]).
 * Throws the engine's message, which names the layer and says why.
 */
export function completeCall(call: LayerCall, where: string): SymbolicTensor | SymbolicTensor[] {
  // Inputs of the graph ending here: every input layer reached (in creation order).
  const provisional = new SymbolicTensor(call, []);
  const reached = reachableCalls(call.inputs).filter((c) => c.layer.type === 'input').map((c) => c.output);
  // The call joins its layer's calls only for the inspection; it stays if the engine accepts it.
  call.output = provisional;
  call.outputs = [provisional];
  (call.layer.calls as LayerCall[]).push(call);
  try {
    const spec = graphSpec(reached, [provisional], 0, where);
    const result = inspect(spec, where);
    const entry = result.layers.find((l) => l.name === call.layer.name)!;
    const ownCalls = spec.layers.find((l) => l.name === call.layer.name)!.inbound!.length;
    const node = entry.nodes[ownCalls - 1];
    call.outputs = (node.outputShapes ?? [node.outputShape]).map((shape, k) => new SymbolicTensor(call, shape, k));
    call.output = call.outputs[0];
    return call.outputs.length > 1 ? [...call.outputs] : call.output;
  } catch (err) {
    (call.layer.calls as LayerCall[]).pop();
    throw err;
  }
}

/** An input layer's one call (no inputs), with its declared shape as output. */
export function inputCall(layer: GraphLayer, shape: readonly number[]): SymbolicTensor {
  const call = recordCall(layer, []);
  call.output = new SymbolicTensor(call, shape);
  call.outputs = [call.output];
  (layer.calls as LayerCall[]).push(call);
  return call.output;
}
