// nn.exportCode(model, 'keras' | 'pytorch' | 'tfjs'): the model as source code of another
// framework, plus its weights in one small file to write beside it.
//
// What it is: a code generator over the engine's own description of the model (inspect():
// layers in graph order with their checked configs, calls, output shapes and variables). Layer
// types, keys and defaults are the engine's table rows; nothing here re-derives a shape. Each
// target gets one emitter per layer type; a layer or option a target cannot express is an
// Error naming the layer, the option and why, never silently different code.
//
// The weights file (format 'nnplay-weights', version 1) is JSON: {format, version, dtype:
// 'float32', byteOrder: 'little', weights: [{name: '<layer>/<weight>', shape, data}]}, data being
// base64 of the little-endian float32 values, in nnplay's (Keras's) layouts. Python reads it with
// json + base64 + numpy only; the generated loaders convert layouts where a framework differs
// (PyTorch: Linear [out, in], Conv NCHW [out, in, kh, kw], recurrent gates and biases).
//
// What it is not: a converter of training behaviour to the last bit. Inference is the same math
// (tests/js/code-export.test.ts runs the PyTorch and TF.js code against nnplay's predictions to
// 1e-5); the training loops use each framework's own optimizer and loss definitions (e.g. where
// epsilon sits in RMSprop), documented in the generated code.
import { engineTables, type Inspection, type InspectedLayer } from './engine-tables';
import { encodeFloat32 } from './model-json';
import { engineLoaded, isReady } from './memory';
import type { LayersModel } from './model';
import type { OptimizerConfig, ScheduleConfig } from './optimizers';
// The values users read before exporting live in the small always-loaded module.
import { WEIGHTS_FORMAT, codeTargets } from './code-export-lazy';

export { WEIGHTS_FORMAT, codeTargets };
export type CodeTarget = (typeof codeTargets)[number];

export interface ExportCodeOptions {
  /** Epochs of the generated training loop (nnplay's compile() has none: it is fit()'s). Default 10. */
  epochs?: number;
  /** Batch size of the generated training loop. Default 32. */
  batchSize?: number;
  /** Base name of the files (default 'model'): '<base>.py' / '<base>.mjs' and '<base>.weights.json'. */
  fileBase?: string;
  /** Lines put at the top of the code as comments (e.g. what the inputs mean). */
  comment?: string[];
}

export interface ExportedCode {
  target: CodeTarget;
  language: 'python' | 'javascript';
  /** Suggested file name of the code, e.g. 'model.py'. */
  codeFileName: string;
  /** The source text. */
  code: string;
  /** Suggested file name of the weights, e.g. 'model.weights.json' (the code loads this name). */
  weightsFileName: string;
  /** The weights file's text (format 'nnplay-weights', version 1: see docs/API.md). */
  weights: string;
}

function fail(message: string): never {
  throw new Error(`nnplay: exportCode(): ${message}`);
}

// ---------------------------------------------------------------- the model, as the engine reports it

type Layout = 'last' | 'nchw' | 'ncl';

interface Call {
  layer: InspectedLayer;
  /** Index of this call among the layer's calls. */
  index: number;
  inputs: string[]; // value names
  output: string; // value name of tensor 0
  outputShape: number[]; // per sample
  /** Every output tensor's value name: [output] or, with returnState, [output, h(, c)]. */
  outputs: string[];
  outputShapes: number[][];
}

interface Graph {
  layers: InspectedLayer[];
  calls: Call[];
  inputs: { name: string; value: string; shape: number[] }[];
  outputs: string[]; // value names
  /** Weights by full name '<layer>/<weight>'. */
  weights: Map<string, { shape: number[]; values: Float32Array }>;
}

const perSample = (shape: (number | null)[]): number[] => (shape.length > 0 && shape[0] === null ? shape.slice(1) : shape) as number[];

function identifier(name: string, taken: Set<string>): string {
  let id = name.replace(/[^A-Za-z0-9_]/g, '_');
  if (!/^[A-Za-z_]/.test(id)) id = `l_${id}`;
  if (reserved.has(id)) id = `${id}_`;
  let out = id;
  for (let k = 2; taken.has(out); k++) out = `${id}_${k}`;
  taken.add(out);
  return out;
}
// Python and JavaScript words a layer name must not become, and the names the generated code uses.
const reserved = new Set([
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif', 'else',
  'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise',
  'return', 'try', 'while', 'with', 'yield', 'const', 'let', 'var', 'function', 'new', 'this', 'switch', 'case', 'default',
  'delete', 'typeof', 'instanceof', 'void', 'do', 'export', 'extends', 'super', 'enum', 'static', 'tf', 'nn', 'F', 'torch',
  'np', 'keras', 'layers', 'model', 'x', 'inputs', 'outputs', 'json', 'base64', 'self', 'W', 'weights', 'doc', 'sys', 'math',
]);

// The names of a returnState call's extra tensors, after the output: h, then an lstm's c.
const stateSuffixes = ['', '_h', '_c'];

function graphOf(inspection: Inspection, weightList: { name: string; shape: number[]; values: Float32Array }[]): Graph {
  const taken = new Set<string>();
  const valueOf = new Map<string, string>(); // 'layer#call#tensor' -> value name
  const calls: Call[] = [];
  const inputs: Graph['inputs'] = [];
  for (const layer of inspection.layers) {
    if (layer.type === 'input') {
      const value = identifier(layer.name, taken);
      valueOf.set(`${layer.name}#0#0`, value);
      inputs.push({ name: layer.name, value, shape: perSample(layer.outputShape) });
      continue;
    }
    layer.nodes.forEach((node, index) => {
      const ins = node.inbound.map(([l, c, t]) => {
        const v = valueOf.get(`${l}#${c}#${t ?? 0}`);
        if (v === undefined) fail(`layer "${layer.name}" reads call ${c} of "${l}", which comes later in the engine's order`);
        return v;
      });
      const base = index === 0 ? layer.name : `${layer.name}_${index}`;
      const shapes = (node.outputShapes ?? [node.outputShape]).map(perSample);
      const outputs = shapes.map((_, t) => identifier(`${base}${stateSuffixes[t]}`, taken));
      outputs.forEach((v, t) => valueOf.set(`${layer.name}#${index}#${t}`, v));
      calls.push({ layer, index, inputs: ins, output: outputs[0], outputShape: shapes[0], outputs, outputShapes: shapes });
    });
  }
  // inspect() lists the graph's inputs in model order; keep that order.
  const orderedInputs = inspection.inputs.map((i) => inputs.find((x) => x.name === i.name)!);
  const outputs = inspection.outputs.map((o) => valueOf.get(`${o.name}#${o.call}#${o.tensor ?? 0}`)!);
  return { layers: inspection.layers, calls, inputs: orderedInputs, outputs, weights: new Map(weightList.map((w) => [w.name, w])) };
}

/** The local names of a layer's variables ('kernel', 'forward_kernel', ...), engine order. */
function localWeights(layer: InspectedLayer): string[] {
  return layer.variables.map((v) => (v.name.startsWith(`${layer.name}/`) ? v.name.slice(layer.name.length + 1) : v.name));
}

// ---------------------------------------------------------------- values shared by the targets

const cfg = (layer: InspectedLayer) => layer.config as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const where = (layer: InspectedLayer) => `layer "${layer.name}" (${layer.type})`;

/** A table default, for configs that leave a key out. */
function keyDefault(type: string, key: string): unknown {
  const row = engineTables().layers.find((r) => r.name === type);
  return row?.keys.find((k) => k.name === key)?.default;
}
function opt<T>(layer: InspectedLayer, key: string): T {
  const c = cfg(layer);
  return (c[key] ?? keyDefault(layer.type, key)) as T;
}

/** The alpha an activation uses: the config's, else TF.js's default (leakyRelu 0.3, elu 1). */
function alphaOf(name: string, alpha: unknown): number {
  if (typeof alpha === 'number') return alpha;
  return name === 'leakyRelu' ? 0.3 : 1;
}

/** TF's "same" padding of one axis: [before, after] (the extra cell after). */
function samePad(size: number, kernel: number, stride: number): [number, number] {
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + kernel - size, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

function pairOf(v: unknown, fallback: [number, number]): [number, number] {
  if (typeof v === 'number') return [v, v];
  if (Array.isArray(v) && v.length === 2) return [v[0], v[1]];
  if (Array.isArray(v) && v.length === 1) return [v[0], v[0]];
  return fallback;
}
function singleOf(v: unknown, fallback: number): number {
  if (typeof v === 'number') return v;
  if (Array.isArray(v) && v.length >= 1) return v[0];
  return fallback;
}

const num = (v: number): string => {
  if (Number.isInteger(v)) return String(v);
  return String(Math.fround(v) === v ? Number(v.toPrecision(9)) : v);
};
const pyNum = (v: number): string => (Number.isInteger(v) ? `${v}.0` : num(v));
const pyBool = (b: unknown): string => (b ? 'True' : 'False');
const pyStr = (s: string): string => JSON.stringify(s);
const jsStr = (s: string): string => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const tuple = (xs: number[]): string => (xs.length === 1 ? `(${xs[0]},)` : `(${xs.join(', ')})`);

function inputShapeOfCall(g: Graph, call: Call, k = 0): number[] {
  const v = call.inputs[k];
  const input = g.inputs.find((i) => i.value === v);
  if (input) return input.shape;
  const from = g.calls.find((c) => c.outputs.includes(v))!;
  return from.outputShapes[from.outputs.indexOf(v)];
}

/** The recurrent layer inside a bidirectional wrapper (or the layer itself). */
function recurrentOf(layer: InspectedLayer): { type: 'simpleRNN' | 'lstm' | 'gru'; c: Record<string, unknown> } {
  if (layer.type === 'bidirectional') return { type: cfg(layer).layer, c: cfg(layer) };
  return { type: layer.type as 'simpleRNN' | 'lstm' | 'gru', c: cfg(layer) };
}
function rnnOpt<T>(layer: InspectedLayer, key: string): T {
  const { type, c } = recurrentOf(layer);
  return (c[key] ?? keyDefault(layer.type, key) ?? keyDefault(type, key)) as T;
}

// ---------------------------------------------------------------- regularizers and frozen layers

/** A weight penalty as the engine holds it: loss += l1·Σ|w| + l2·Σw² (TF.js's and Keras's L1L2). */
interface Penalty {
  l1: number;
  l2: number;
}
/** The penalty a regularizer key of a layer's config sets, or null (none, or both rates 0). */
function penaltyOf(layer: InspectedLayer, key: string): Penalty | null {
  const r = (layer.type === 'bidirectional' ? rnnOpt<unknown>(layer, key) : cfg(layer)[key]) as Partial<Penalty> | null | undefined;
  if (!r || typeof r !== 'object') return null;
  const l1 = float32Rate(r.l1 ?? 0), l2 = float32Rate(r.l2 ?? 0);
  return l1 > 0 || l2 > 0 ? { l1, l2 } : null;
}
/** A rate the engine holds in float32, as the shortest decimal that reads back as the same float32 (0.01, not 0.00999999978). */
function float32Rate(v: number): number {
  for (let digits = 1; digits < 9; digits++) {
    const d = Number(v.toPrecision(digits));
    if (Math.fround(d) === Math.fround(v)) return d;
  }
  return v;
}
/** trainable: false in nnplay: the optimizer skips the layer's weights (and so does the penalty). */
const frozen = (layer: InspectedLayer): boolean => cfg(layer).trainable === false;
/** The regularizer keys a layer type takes: the engine's table row (kernelRegularizer, ...). */
function regularizerKeys(layer: InspectedLayer): string[] {
  const row = (type: string) => engineTables().layers.find((r) => r.name === type)?.keys.filter((k) => k.type === 'regularizer').map((k) => k.name) ?? [];
  return layer.type === 'bidirectional' ? row(recurrentOf(layer).type) : row(layer.type);
}

// ---------------------------------------------------------------- compile settings

interface Compiled {
  optimizer: OptimizerConfig;
  losses: string[];
  metrics: string[];
  lossWeights?: number[];
  /** Per output: the loss's parameters (huberLoss's delta), or null. */
  lossParameters?: (Record<string, number> | null)[];
}

/** huberLoss's delta for output i (the engine's default 1). */
function huberDelta(c: Compiled, i: number): number {
  return c.lossParameters?.[i]?.delta ?? 1;
}

function optimizerSettings(o: OptimizerConfig): Record<string, unknown> {
  const row = engineTables().optimizers.find((r) => r.name === o.name || r.aliases.includes(o.name));
  return { ...(row?.defaults ?? {}), ...o };
}

function lrOf(o: OptimizerConfig): number {
  return typeof o.learningRate === 'number' ? o.learningRate : o.learningRate.initialLearningRate;
}

// ---------------------------------------------------------------- PyTorch

interface PyParts {
  helpers: Set<string>;
  init: string[];
  forward: string[];
  load: string[];
}

function torchActivation(name: string, x: string, alpha: unknown, dim: number, h: Set<string>): string {
  switch (name) {
    case 'linear':
      return x;
    case 'relu':
      return `torch.relu(${x})`;
    case 'leakyRelu':
      return `F.leaky_relu(${x}, ${pyNum(alphaOf(name, alpha))})`;
    case 'elu':
      return `F.elu(${x}, ${pyNum(alphaOf(name, alpha))})`;
    case 'sigmoid':
      return `torch.sigmoid(${x})`;
    case 'tanh':
      return `torch.tanh(${x})`;
    case 'softmax':
      return `torch.softmax(${x}, dim=${dim})`;
    case 'hardSigmoid':
      h.add('hard_sigmoid');
      return `hard_sigmoid(${x})`;
    case 'softplus':
      return `F.softplus(${x})`;
    case 'softsign':
      return `F.softsign(${x})`;
    case 'selu':
      return `torch.selu(${x})`;
    case 'relu6':
      return `F.relu6(${x})`;
    case 'swish':
      return `F.silu(${x})`;
    case 'gelu':
      return `F.gelu(${x})`; // the exact erf form, as nnplay's and TF.js's 'gelu'
    case 'mish':
      return `F.mish(${x})`;
    case 'exponential':
      return `torch.exp(${x})`;
    default:
      fail(`activation '${name}' has no PyTorch form in the exporter`);
  }
}

const pyHelpers: Record<string, string> = {
  GaussianSampling: `class GaussianSampling(nn.Module):
    """nnplay's gaussianSampling: z = mean + exp(log_var / 2) * eps, eps ~ N(0, 1), while training
    (or always with sample_at_inference); mean at inference. torch's RNG, not nnplay's stream."""
    def __init__(self, sample_at_inference=False):
        super().__init__()
        self.sample_at_inference = sample_at_inference

    def forward(self, mean, log_var):
        if self.training or self.sample_at_inference:
            return mean + torch.exp(0.5 * log_var) * torch.randn_like(mean)
        return mean
`,
  KlDivergence: `class KlDivergence(nn.Module):
    """nnplay's klDivergence: passes mean through and keeps beta * KL of this forward pass in
    self.loss (mean over the batch of -0.5 * sum(1 + log_var - mean^2 - exp(log_var))); train() adds it."""
    def __init__(self, beta=1.0):
        super().__init__()
        self.beta = beta
        self.loss = torch.zeros(())

    def forward(self, mean, log_var):
        kl = -0.5 * (1 + log_var - mean.pow(2) - log_var.exp()).reshape(mean.shape[0], -1).sum(-1)
        self.loss = self.beta * kl.mean()
        return mean
`,
  hard_sigmoid: `def hard_sigmoid(x):
    # Keras 2 / TF.js / nnplay: clip(0.2 x + 0.5, 0, 1). Not F.hardsigmoid, which is x / 6 + 1/2.
    return torch.clamp(0.2 * x + 0.5, 0.0, 1.0)
`,
  avg_pool2d_same: `def avg_pool2d_same(x, kernel, stride, pad):
    # TF's "same" average pooling: the mean of the cells inside the image (padding not counted),
    # with TF's split of the padding (the extra row / column at the bottom / right).
    ones = torch.ones_like(x[:, :1])
    total = F.avg_pool2d(F.pad(x, pad), kernel, stride)
    cells = F.avg_pool2d(F.pad(ones, pad), kernel, stride)
    return total / cells
`,
  upsample_bilinear_tfjs: `def tfjs_bilinear_taps(n_in, n_out):
    # Where output index i reads along an axis: nnplay's and TF.js 4.22's rule (resizeBilinear with
    # alignCorners and halfPixelCenters false), src = i * in / out in double, between floor(src) and
    # ceil(src) clamped to the last pixel. Not F.interpolate's: it samples at half-pixel centres.
    src = torch.arange(n_out, dtype=torch.float64) * (n_in / n_out)
    lo = src.floor().long()
    hi = src.ceil().long().clamp(max=n_in - 1)
    return lo, hi, src - lo.to(torch.float64)


def upsample_bilinear_tfjs(x, size):
    # x [batch, channels, height, width]; along the rows first, then between them, as TF.js.
    ylo, yhi, fy = tfjs_bilinear_taps(x.shape[2], x.shape[2] * size[0])
    xlo, xhi, fx = tfjs_bilinear_taps(x.shape[3], x.shape[3] * size[1])
    left, right = x[:, :, :, xlo], x[:, :, :, xhi]
    rows = left + (right - left) * fx.to(x.dtype)
    top, bottom = rows[:, :, ylo], rows[:, :, yhi]
    return top + (bottom - top) * fy.to(x.dtype)[:, None]
`,
  keras_dropout: `def keras_dropout(x, rate, noise_shape, training):
    # Keras dropout with a noise shape (entries None take the input's size; 1 shares the mask).
    if not training or rate == 0:
        return x
    shape = [x.shape[i] if d is None else d for i, d in enumerate(noise_shape)]
    keep = (torch.rand(shape, device=x.device) >= rate).to(x.dtype)
    return x * keep / (1.0 - rate)
`,
  KerasRNN: `class KerasRNN(nn.Module):
    """A recurrent layer with Keras's equations and weight layouts, as an explicit loop over the
    steps, for what torch.nn.RNN / LSTM / GRU cannot express: a recurrent activation other than
    sigmoid, an activation other than tanh, or GRU's reset_after=False (TF.js's default).
    kernel [features, gates * units], recurrent_kernel [units, gates * units], gate order
    LSTM i, f, c, o; GRU z, r, h. Input [batch, steps, features]; output the last h [batch, units]
    or every h [batch, steps, units]; with return_state (output, h) or, for an LSTM, (output, h, c)
    as Keras / TF.js order them. dropout / recurrent_dropout as Keras and nnplay: in
    training one mask per sequence on x and one on h_{t-1} (every gate; GRU's carry too)."""

    def __init__(self, cell, input_size, units, activation, recurrent_activation, use_bias, reset_after, return_sequences,
                 dropout=0.0, recurrent_dropout=0.0, return_state=False):
        super().__init__()
        self.return_state = return_state
        self.dropout, self.recurrent_dropout = dropout, recurrent_dropout
        gates = {"simpleRNN": 1, "lstm": 4, "gru": 3}[cell]
        self.cell, self.units = cell, units
        self.activation, self.recurrent_activation = activation, recurrent_activation
        self.reset_after, self.return_sequences = reset_after, return_sequences
        self.kernel = nn.Parameter(torch.zeros(input_size, gates * units))
        self.recurrent_kernel = nn.Parameter(torch.zeros(units, gates * units))
        bias_shape = (2, gates * units) if reset_after else (gates * units,)
        self.bias = nn.Parameter(torch.zeros(bias_shape)) if use_bias else None

    def forward(self, x):
        batch, steps = x.shape[0], x.shape[1]
        u = self.units
        h = x.new_zeros(batch, u)
        c = x.new_zeros(batch, u)
        input_bias = None if self.bias is None else (self.bias[0] if self.reset_after else self.bias)

        def mask(width, rate):  # inverted dropout, drawn once for the whole sequence
            keep = (torch.rand(batch, width, device=x.device) >= rate).to(x.dtype)
            return keep / (1.0 - rate)

        if self.training and self.dropout > 0:
            x = x * mask(x.shape[2], self.dropout)[:, None, :]
        h_mask = mask(u, self.recurrent_dropout) if self.training and self.recurrent_dropout > 0 else None
        xs = x @ self.kernel
        if input_bias is not None:
            xs = xs + input_bias
        outs = []
        for t in range(steps):
            xt = xs[:, t]
            if h_mask is not None:
                h = h * h_mask  # the state as the cell reads it
            if self.cell == "simpleRNN":
                h = self.activation(xt + h @ self.recurrent_kernel)
            elif self.cell == "lstm":
                z = xt + h @ self.recurrent_kernel
                i, f, g, o = z[:, :u], z[:, u:2 * u], z[:, 2 * u:3 * u], z[:, 3 * u:]
                i, f, o = self.recurrent_activation(i), self.recurrent_activation(f), self.recurrent_activation(o)
                c = f * c + i * self.activation(g)
                h = o * self.activation(c)
            else:
                R = self.recurrent_kernel
                if self.reset_after:
                    rh = h @ R
                    if self.bias is not None:
                        rh = rh + self.bias[1]
                    z = self.recurrent_activation(xt[:, :u] + rh[:, :u])
                    r = self.recurrent_activation(xt[:, u:2 * u] + rh[:, u:2 * u])
                    hh = self.activation(xt[:, 2 * u:] + r * rh[:, 2 * u:])
                else:
                    z = self.recurrent_activation(xt[:, :u] + h @ R[:, :u])
                    r = self.recurrent_activation(xt[:, u:2 * u] + h @ R[:, u:2 * u])
                    hh = self.activation(xt[:, 2 * u:] + (r * h) @ R[:, 2 * u:])
                h = z * h + (1 - z) * hh
            outs.append(h)
        out = torch.stack(outs, 1) if self.return_sequences else h
        if self.return_state:
            return (out, h, c) if self.cell == "lstm" else (out, h)
        return out
`,
};

/**
 * A recurrent direction in PyTorch: its module line and its weight loading (added to parts), and
 * a writer of its call: the statements that set `outs` ([output] or, with returnState,
 * [output, h(, c)], Keras's and TF.js's order) from the sequence x.
 */
type RecurrentCall = (x: string, outs: string[]) => string[];
function torchRecurrent(layer: InspectedLayer, attr: string, prefix: string, inputSize: number, parts: PyParts): RecurrentCall {
  const { type } = recurrentOf(layer);
  const units = rnnOpt<number>(layer, 'units');
  const activation = rnnOpt<string>(layer, 'activation') ?? 'tanh';
  const recurrentActivation = type === 'simpleRNN' ? 'sigmoid' : (rnnOpt<string>(layer, 'recurrentActivation') ?? 'hardSigmoid');
  const useBias = rnnOpt<boolean>(layer, 'useBias') ?? true;
  const resetAfter = type === 'gru' && rnnOpt<boolean>(layer, 'resetAfter') === true;
  const returnSequences = rnnOpt<boolean>(layer, 'returnSequences') === true;
  const returnState = layer.type !== 'bidirectional' && rnnOpt<boolean>(layer, 'returnState') === true;
  const dropout = rnnOpt<number>(layer, 'dropout') ?? 0;
  const recurrentDropout = rnnOpt<number>(layer, 'recurrentDropout') ?? 0;
  const W = (w: string) => `W[${pyStr(`${layer.name}/${prefix}${w}`)}]`;
  // torch.nn's dropout argument drops between stacked layers, not Keras's per-sequence masks.
  const native =
    dropout === 0 && recurrentDropout === 0 &&
    (type === 'simpleRNN'
      ? activation === 'tanh' || activation === 'relu'
      : activation === 'tanh' && recurrentActivation === 'sigmoid' && (type === 'lstm' || resetAfter));
  if (native) {
    const cls = { simpleRNN: 'RNN', lstm: 'LSTM', gru: 'GRU' }[type];
    const extra = type === 'simpleRNN' ? `, nonlinearity=${pyStr(activation)}` : '';
    parts.init.push(`self.${attr} = nn.${cls}(${inputSize}, ${units}, batch_first=True, bias=${pyBool(useBias)}${extra})`);
    const m = `model.${attr}`;
    if (type === 'gru') {
      // Keras columns z, r, h; PyTorch rows r, z, n.
      parts.load.push(`${m}.weight_ih_l0.copy_(gru_gates(${W('kernel')}).T)`, `${m}.weight_hh_l0.copy_(gru_gates(${W('recurrent_kernel')}).T)`);
      if (useBias) parts.load.push(`${m}.bias_ih_l0.copy_(gru_gates(${W('bias')}[0]))`, `${m}.bias_hh_l0.copy_(gru_gates(${W('bias')}[1]))`);
      parts.helpers.add('gru_gates');
    } else {
      // LSTM gates i, f, c(g), o in both; Keras has one bias, PyTorch two (summed): bias_hh = 0.
      parts.load.push(`${m}.weight_ih_l0.copy_(${W('kernel')}.T)`, `${m}.weight_hh_l0.copy_(${W('recurrent_kernel')}.T)`);
      if (useBias) parts.load.push(`${m}.bias_ih_l0.copy_(${W('bias')})`, `${m}.bias_hh_l0.zero_()`);
    }
    if (!returnState) return (x, outs) => [`${outs[0]} = self.${attr}(${x})[0]${returnSequences ? '' : '[:, -1]'}`];
    // torch.nn returns (every h, h_n) / (every h, (h_n, c_n)), the states [layers, batch, units].
    return (x, outs) => [
      `${outs[0]}_all, ${outs[0]}_state = self.${attr}(${x})`,
      `${outs[0]} = ${outs[0]}_all${returnSequences ? '' : '[:, -1]'}`,
      ...(type === 'lstm' ? [`${outs[1]} = ${outs[0]}_state[0][0]`, `${outs[2]} = ${outs[0]}_state[1][0]`] : [`${outs[1]} = ${outs[0]}_state[0]`]),
    ];
  }
  const fn = (name: string) => {
    const body = torchActivation(name, 'v', null, -1, parts.helpers);
    return name === 'linear' ? 'lambda v: v' : /^[\w.]+\(v\)$/.test(body) ? body.slice(0, -3) : `lambda v: ${body}`;
  };
  parts.helpers.add('KerasRNN');
  const dropping = dropout > 0 || recurrentDropout > 0;
  parts.init.push(
    dropping
      ? `# ${type}: dropout ${dropout}, recurrentDropout ${recurrentDropout} (one mask per sequence, as Keras) are not torch.nn's: an explicit loop`
      : `# ${type}: ${type === 'simpleRNN' ? `activation '${activation}'` : `recurrentActivation '${recurrentActivation}', activation '${activation}'${type === 'gru' ? `, resetAfter ${resetAfter}` : ''}`}` +
        ` is not torch.nn.${{ simpleRNN: 'RNN', lstm: 'LSTM', gru: 'GRU' }[type]}'s (sigmoid gates, tanh${type === 'gru' ? ', reset_after=True' : ''}): an explicit loop`,
    `self.${attr} = KerasRNN(${pyStr(type)}, ${inputSize}, ${units}, ${fn(activation)}, ${fn(recurrentActivation)}, ${pyBool(useBias)}, ${pyBool(resetAfter)}, ${pyBool(returnSequences)}` +
      `${dropping || returnState ? `, ${pyNum(dropout)}, ${pyNum(recurrentDropout)}` : ''}${returnState ? ', return_state=True' : ''})`,
  );
  parts.load.push(`model.${attr}.kernel.copy_(${W('kernel')})`, `model.${attr}.recurrent_kernel.copy_(${W('recurrent_kernel')})`);
  if (useBias) parts.load.push(`model.${attr}.bias.copy_(${W('bias')})`);
  return (x, outs) => [`${outs.join(', ')} = self.${attr}(${x})`];
}

function pytorchCode(g: Graph, compiled: Compiled | null, o: Required<Omit<ExportCodeOptions, 'comment'>> & { comment: string[] }, weightsFile: string): string {
  const parts: PyParts = { helpers: new Set(), init: [], forward: [], load: [] };
  const layout = new Map<string, Layout>(g.inputs.map((i) => [i.value, 'last']));
  const rankOf = new Map<string, number>(g.inputs.map((i) => [i.value, i.shape.length]));
  const attrs = new Set<string>(['training', 'forward', 'eval', 'train']);
  const attrOf = new Map<string, string>();
  const attr = (l: InspectedLayer) => {
    if (!attrOf.has(l.name)) attrOf.set(l.name, identifier(l.name, attrs));
    return attrOf.get(l.name)!;
  };
  const W = (l: InspectedLayer, w: string) => `W[${pyStr(`${l.name}/${w}`)}]`;
  const f = parts.forward;
  // Converts a value to a layout, as a new statement when it needs a permute.
  const as = (v: string, want: Layout): string => {
    const have = layout.get(v)!;
    if (have === want) return v;
    const name = `${v}_${want}`;
    if (!layout.has(name)) {
      const perm = have === 'last' ? (want === 'nchw' ? '0, 3, 1, 2' : '0, 2, 1') : have === 'nchw' ? '0, 2, 3, 1' : '0, 2, 1';
      f.push(`${name} = ${v}.permute(${perm})`);
      layout.set(name, want);
      rankOf.set(name, rankOf.get(v)!);
    }
    return name;
  };
  const emitted = new Set<string>();
  // The weight penalties of the layers' regularizers, added to the loss by train().
  const penalties: TorchPenalty[] = [];
  const recurrentCalls = new Map<string, RecurrentCall>(); // by layer: a shared layer's later calls reuse its module
  for (const call of g.calls) {
    const l = call.layer;
    const a = attr(l);
    const first = !emitted.has(l.name);
    emitted.add(l.name);
    const out = call.output;
    const x = call.inputs[0];
    const inShape = inputShapeOfCall(g, call);
    let outLayout: Layout = 'last';
    const set = (expr: string) => f.push(`${out} = ${expr}`);
    switch (l.type) {
      case 'dense': {
        const units = opt<number>(l, 'units');
        const useBias = opt<boolean>(l, 'useBias');
        if (first) {
          parts.init.push(`self.${a} = nn.Linear(${inShape[inShape.length - 1]}, ${units}, bias=${pyBool(useBias)})`);
          parts.load.push(`model.${a}.weight.copy_(${W(l, 'kernel')}.T)  # Keras [in, out] -> PyTorch [out, in]`);
          if (useBias) parts.load.push(`model.${a}.bias.copy_(${W(l, 'bias')})`);
        }
        set(torchActivation(opt(l, 'activation'), `self.${a}(${as(x, 'last')})`, null, -1, parts.helpers));
        break;
      }
      case 'conv2d': {
        const [kh, kw] = pairOf(opt(l, 'kernelSize'), [1, 1]);
        const [sh, sw] = pairOf(opt(l, 'strides'), [1, 1]);
        const useBias = opt<boolean>(l, 'useBias');
        if (first) {
          parts.init.push(`self.${a} = nn.Conv2d(${inShape[2]}, ${opt<number>(l, 'filters')}, kernel_size=(${kh}, ${kw}), stride=(${sh}, ${sw}), bias=${pyBool(useBias)})`);
          parts.load.push(`model.${a}.weight.copy_(${W(l, 'kernel')}.permute(3, 2, 0, 1))  # Keras [kh, kw, in, out] -> PyTorch [out, in, kh, kw]`);
          if (useBias) parts.load.push(`model.${a}.bias.copy_(${W(l, 'bias')})`);
        }
        let v = as(x, 'nchw');
        if (opt(l, 'padding') === 'same') {
          const [t, b] = samePad(inShape[0], kh, sh);
          const [le, r] = samePad(inShape[1], kw, sw);
          if (t + b + le + r > 0) v = `F.pad(${v}, (${le}, ${r}, ${t}, ${b}))`; // TF's split: the extra cell after
        }
        set(torchActivation(opt(l, 'activation'), `self.${a}(${v})`, null, 1, parts.helpers));
        outLayout = 'nchw';
        break;
      }
      case 'conv1d': {
        const k = singleOf(opt(l, 'kernelSize'), 1);
        const s = singleOf(opt(l, 'strides'), 1);
        const useBias = opt<boolean>(l, 'useBias');
        if (first) {
          parts.init.push(`self.${a} = nn.Conv1d(${inShape[1]}, ${opt<number>(l, 'filters')}, kernel_size=${k}, stride=${s}, bias=${pyBool(useBias)})`);
          parts.load.push(`model.${a}.weight.copy_(${W(l, 'kernel')}.permute(2, 1, 0))  # Keras [k, in, out] -> PyTorch [out, in, k]`);
          if (useBias) parts.load.push(`model.${a}.bias.copy_(${W(l, 'bias')})`);
        }
        let v = as(x, 'ncl');
        if (opt(l, 'padding') === 'same') {
          const [le, r] = samePad(inShape[0], k, s);
          if (le + r > 0) v = `F.pad(${v}, (${le}, ${r}))`;
        }
        set(torchActivation(opt(l, 'activation'), `self.${a}(${v})`, null, 1, parts.helpers));
        outLayout = 'ncl';
        break;
      }
      case 'maxPooling2d':
      case 'averagePooling2d': {
        const [ph, pw] = pairOf(opt(l, 'poolSize'), [2, 2]);
        const [sh, sw] = pairOf(opt(l, 'strides') ?? [ph, pw], [ph, pw]);
        const v = as(x, 'nchw');
        let pad: number[] = [0, 0, 0, 0];
        if (opt(l, 'padding') === 'same') {
          const [t, b] = samePad(inShape[0], ph, sh);
          const [le, r] = samePad(inShape[1], pw, sw);
          pad = [le, r, t, b];
        }
        const padded = pad.some((p) => p > 0);
        if (l.type === 'maxPooling2d') {
          // TF's "same" max pooling ignores the padding: pad with -inf.
          const src = padded ? `F.pad(${v}, (${pad.join(', ')}), value=float("-inf"))` : v;
          set(`F.max_pool2d(${src}, (${ph}, ${pw}), (${sh}, ${sw}))`);
        } else if (padded) {
          parts.helpers.add('avg_pool2d_same');
          set(`avg_pool2d_same(${v}, (${ph}, ${pw}), (${sh}, ${sw}), (${pad.join(', ')}))`);
        } else {
          set(`F.avg_pool2d(${v}, (${ph}, ${pw}), (${sh}, ${sw}))`);
        }
        outLayout = 'nchw';
        break;
      }
      case 'globalAveragePooling2d':
        set(layout.get(x) === 'nchw' ? `${x}.mean(dim=(2, 3))` : `${as(x, 'last')}.mean(dim=(1, 2))`);
        break;
      case 'globalAveragePooling1d':
        set(layout.get(x) === 'ncl' ? `${x}.mean(dim=2)` : `${as(x, 'last')}.mean(dim=1)`);
        break;
      case 'repeatVector':
        set(`${as(x, 'last')}.unsqueeze(1).expand(-1, ${opt<number>(l, 'n')}, -1)`);
        break;
      case 'maxPooling1d':
      case 'averagePooling1d': {
        const k = opt<number>(l, 'poolSize') ?? 2;
        const st = opt<number>(l, 'strides') ?? k;
        const v = as(x, 'ncl');
        const [le, r] = opt(l, 'padding') === 'same' ? samePad(inShape[0], k, st) : [0, 0];
        const padded = le + r > 0;
        if (l.type === 'maxPooling1d') {
          // TF's "same" max pooling ignores the padding: pad with -inf.
          set(`F.max_pool1d(${padded ? `F.pad(${v}, (${le}, ${r}), value=float("-inf"))` : v}, ${k}, ${st})`);
        } else if (padded) {
          parts.helpers.add('avg_pool2d_same'); // as a one-row image: edge windows average the steps they cover
          set(`avg_pool2d_same(${v}.unsqueeze(2), (1, ${k}), (1, ${st}), (${le}, ${r}, 0, 0)).squeeze(2)`);
        } else {
          set(`F.avg_pool1d(${v}, ${k}, ${st})`);
        }
        outLayout = 'ncl';
        break;
      }
      case 'globalMaxPooling2d':
        set(layout.get(x) === 'nchw' ? `${x}.amax(dim=(2, 3))` : `${as(x, 'last')}.amax(dim=(1, 2))`);
        break;
      case 'globalMaxPooling1d':
        set(layout.get(x) === 'ncl' ? `${x}.amax(dim=2)` : `${as(x, 'last')}.amax(dim=1)`);
        break;
      case 'flatten':
        // Keras flattens channels-last: back to NHWC first, so the next dense layer's kernel rows match.
        set(`torch.flatten(${as(x, 'last')}, 1)`);
        break;
      case 'reshape':
        set(`${as(x, 'last')}.reshape(${as(x, 'last')}.shape[0], ${call.outputShape.join(', ')})`);
        break;
      case 'activation': {
        const lay = layout.get(x)!;
        set(torchActivation(opt(l, 'activation'), x, cfg(l).alpha, lay === 'last' ? -1 : 1, parts.helpers));
        outLayout = lay;
        break;
      }
      case 'permute':
        set(`${as(x, 'last')}.permute(0, ${(opt<number[]>(l, 'dims') ?? []).join(', ')})`);
        break;
      case 'zeroPadding2d':
      case 'cropping2D': {
        const m = (opt<number[]>(l, l.type === 'zeroPadding2d' ? 'padding' : 'cropping') ?? [1, 1, 1, 1]);
        const v = as(x, 'nchw');
        // F.pad takes (left, right, top, bottom) for the last two axes; negative amounts crop.
        const sign = l.type === 'zeroPadding2d' ? 1 : -1;
        set(`F.pad(${v}, (${[m[2], m[3], m[0], m[1]].map((p) => sign * p).join(', ')}))`);
        outLayout = 'nchw';
        break;
      }
      case 'gaussianNoise':
        set(`(${x} + torch.randn_like(${x}) * ${pyNum(opt<number>(l, 'stddev'))}) if self.training else ${x}`);
        outLayout = layout.get(x)!;
        break;
      case 'gaussianDropout': {
        const rate = opt<number>(l, 'rate');
        const sd = rate > 0 ? Math.sqrt(rate / (1 - rate)) : 0;
        set(`${x} * (1 + torch.randn_like(${x}) * ${pyNum(sd)}) if self.training else ${x}`);
        outLayout = layout.get(x)!;
        break;
      }
      case 'dropout': {
        const rate = opt<number>(l, 'rate');
        const noise = cfg(l).noiseShape as (number | null)[] | null | undefined;
        if (noise && noise.length > 0) {
          parts.helpers.add('keras_dropout');
          const shape = noise.map((d) => (d === null || d === -1 ? 'None' : String(d)));
          set(`keras_dropout(${as(x, 'last')}, ${pyNum(rate)}, [${shape.join(', ')}], self.training)`);
        } else {
          if (first) parts.init.push(`self.${a} = nn.Dropout(${pyNum(rate)})  # identity in eval(), as nnplay's at inference`);
          set(`self.${a}(${x})`);
          outLayout = layout.get(x)!;
        }
        break;
      }
      case 'layerNormalization': {
        const channels = inShape[inShape.length - 1];
        const center = opt<boolean>(l, 'center') !== false;
        const scale = opt<boolean>(l, 'scale') !== false;
        if (first) {
          parts.init.push(`self.${a} = nn.LayerNorm(${channels}, eps=${pyNum(opt<number>(l, 'epsilon'))}, elementwise_affine=${pyBool(center || scale)})`);
          const names = localWeights(l);
          if (scale) parts.load.push(`model.${a}.weight.copy_(${W(l, names.find((n) => /gamma/.test(n))!)})`);
          if (center) parts.load.push(`model.${a}.bias.copy_(${W(l, names.find((n) => /beta/.test(n))!)})`);
          if (center !== scale) {
            parts.load.push(`model.${a}.${scale ? 'bias' : 'weight'}.fill_(${scale ? '0.0' : '1.0'}).requires_grad_(False)  # ${scale ? 'center' : 'scale'}: false in nnplay`);
          }
        }
        set(`self.${a}(${as(x, 'last')})`);
        break;
      }
      case 'batchNormalization': {
        const rank = inShape.length;
        const channels = inShape[rank - 1];
        const center = opt<boolean>(l, 'center') !== false;
        const scale = opt<boolean>(l, 'scale') !== false;
        const momentum = opt<number>(l, 'momentum');
        const eps = opt<number>(l, 'epsilon');
        const cls = rank === 3 ? 'BatchNorm2d' : 'BatchNorm1d';
        if (first) {
          parts.init.push(
            `# PyTorch's momentum is 1 - Keras's (${num(momentum)}): running = (1 - m) * running + m * batch`,
            `self.${a} = nn.${cls}(${channels}, eps=${pyNum(eps)}, momentum=${pyNum(Number((1 - momentum).toPrecision(9)))}, affine=${pyBool(center || scale)})`,
          );
          const names = localWeights(l);
          if (scale) parts.load.push(`model.${a}.weight.copy_(${W(l, names.find((n) => /gamma/.test(n))!)})`);
          if (center) parts.load.push(`model.${a}.bias.copy_(${W(l, names.find((n) => /beta/.test(n))!)})`);
          if (center !== scale) {
            parts.load.push(`model.${a}.${scale ? 'bias' : 'weight'}.fill_(${scale ? '0.0' : '1.0'}).requires_grad_(False)  # ${scale ? 'center' : 'scale'}: false in nnplay`);
          }
          parts.load.push(`model.${a}.running_mean.copy_(${W(l, names.find((n) => /moving_?[mM]ean/.test(n))!)})`);
          parts.load.push(`model.${a}.running_var.copy_(${W(l, names.find((n) => /moving_?[vV]ariance/.test(n))!)})`);
        }
        if (rank > 3) {
          // No BatchNorm4d: BatchNorm1d over [batch, channels, every other cell] has the same
          // per-channel statistics; the channels go back last.
          const v = as(x, 'last');
          f.push(`${out}_cf = ${v}.movedim(-1, 1)`);
          set(`self.${a}(${out}_cf.reshape(${out}_cf.shape[0], ${channels}, -1)).reshape(${out}_cf.shape).movedim(1, -1)`);
        } else {
          const v = rank === 3 ? as(x, 'nchw') : rank === 2 ? as(x, 'ncl') : x;
          set(`self.${a}(${v})`);
          outLayout = rank === 3 ? 'nchw' : rank === 2 ? 'ncl' : 'last';
        }
        break;
      }
      case 'concatenate': {
        const axis = opt<number>(l, 'axis') ?? -1;
        set(`torch.cat([${call.inputs.map((v) => as(v, 'last')).join(', ')}], dim=${axis})`);
        break;
      }
      case 'add':
      case 'multiply':
      case 'average':
      case 'maximum':
      case 'minimum': {
        // Element-wise: any one layout will do, as long as every input is in it.
        const lays = call.inputs.map((v) => layout.get(v)!);
        const same = lays.every((y) => y === lays[0]);
        const vs = call.inputs.map((v) => (same ? v : as(v, 'last')));
        if (l.type === 'add') set(vs.join(' + '));
        else if (l.type === 'multiply') set(vs.join(' * '));
        else if (l.type === 'average') set(`(${vs.join(' + ')}) / ${vs.length}`);
        else set(vs.slice(1).reduce((acc, v) => `torch.${l.type}(${acc}, ${v})`, vs[0]));
        outLayout = same ? lays[0] : 'last';
        break;
      }
      case 'embedding': {
        if (first) {
          parts.init.push(`self.${a} = nn.Embedding(${opt<number>(l, 'inputDim')}, ${opt<number>(l, 'outputDim')})`);
          parts.load.push(`model.${a}.weight.copy_(${W(l, 'embeddings')})`);
        }
        set(`self.${a}(${as(x, 'last')}.long())  # ids arrive as numbers, as nnplay takes them`);
        break;
      }
      case 'simpleRNN':
      case 'lstm':
      case 'gru': {
        if (first) recurrentCalls.set(l.name, torchRecurrent(l, a, '', inShape[inShape.length - 1], parts));
        const v = as(x, 'last');
        f.push(...recurrentCalls.get(l.name)!(opt<boolean>(l, 'goBackwards') ? `${v}.flip(1)` : v, call.outputs));
        break;
      }
      case 'bidirectional': {
        const mode = opt<string>(l, 'mergeMode') ?? 'concat';
        const seq = rnnOpt<boolean>(l, 'returnSequences') === true;
        const back = rnnOpt<boolean>(l, 'goBackwards') === true;
        const fa = `${a}_forward`, ba = `${a}_backward`;
        const size = inShape[inShape.length - 1];
        // The engine names the copies' weights '<forward|backward>_<cell>/<weight>'.
        const prefix = (part: string) => localWeights(l).find((n) => n.startsWith(part))!.replace(/[^/]*$/, '');
        if (first) {
          recurrentCalls.set(`${l.name}#forward`, torchRecurrent(l, fa, prefix('forward_'), size, parts));
          recurrentCalls.set(`${l.name}#backward`, torchRecurrent(l, ba, prefix('backward_'), size, parts));
        }
        const fwd = recurrentCalls.get(`${l.name}#forward`)!;
        const bwd = recurrentCalls.get(`${l.name}#backward`)!;
        const v = as(x, 'last');
        // Keras: the backward copy reads the sequence reversed (relative to the forward one); its
        // returned sequence is flipped back so step t of both stand side by side.
        const fv = back ? `${v}.flip(1)` : v;
        const bv = back ? v : `${v}.flip(1)`;
        f.push(...fwd(fv, [`${out}_f`]), ...bwd(bv, [`${out}_b`]));
        if (seq) f.push(`${out}_b = ${out}_b.flip(1)`);
        const merged = { concat: `torch.cat([${out}_f, ${out}_b], dim=-1)`, sum: `${out}_f + ${out}_b`, mul: `${out}_f * ${out}_b`, ave: `(${out}_f + ${out}_b) / 2` }[mode];
        if (!merged) fail(`${where(l)}: mergeMode '${mode}' has no PyTorch form in the exporter`);
        set(merged);
        break;
      }
      case 'upSampling2d': {
        const [sh, sw] = pairOf(opt(l, 'size'), [2, 2]);
        if ((opt<string>(l, 'interpolation') ?? 'nearest') === 'bilinear') {
          // nn.Upsample(mode="bilinear") samples at half-pixel centres (align_corners=False) or
          // at the corners (True); nnplay and TF.js 4.22 at i · in / out: written out.
          parts.helpers.add('upsample_bilinear_tfjs');
          set(`upsample_bilinear_tfjs(${as(x, 'nchw')}, (${sh}, ${sw}))`);
        } else {
          if (first) parts.init.push(`self.${a} = nn.Upsample(scale_factor=(${sh}, ${sw}), mode="nearest")`);
          set(`self.${a}(${as(x, 'nchw')})`);
        }
        outLayout = 'nchw';
        break;
      }
      case 'conv2dTranspose': {
        const [kh, kw] = pairOf(opt(l, 'kernelSize'), [1, 1]);
        const [sh, sw] = pairOf(opt(l, 'strides'), [1, 1]);
        const useBias = opt<boolean>(l, 'useBias');
        // Keras / TF: 'valid' gives in·s + max(k − s, 0) and 'same' in·s. PyTorch's full output is
        // (in − 1)·s + k, plus output_padding s − k where k < s (those cells get only the bias,
        // as in TF); 'same' then keeps in·s cells from floor(max(k − s, 0) / 2), TF's crop.
        if (first) {
          parts.init.push(`self.${a} = nn.ConvTranspose2d(${inShape[2]}, ${opt<number>(l, 'filters')}, kernel_size=(${kh}, ${kw}), stride=(${sh}, ${sw}), output_padding=(${Math.max(sh - kh, 0)}, ${Math.max(sw - kw, 0)}), bias=${pyBool(useBias)})`);
          parts.load.push(`model.${a}.weight.copy_(${W(l, 'kernel')}.permute(3, 2, 0, 1))  # Keras [kh, kw, out, in] -> PyTorch [in, out, kh, kw]`);
          if (useBias) parts.load.push(`model.${a}.bias.copy_(${W(l, 'bias')})`);
        }
        let v = `self.${a}(${as(x, 'nchw')})`;
        if (opt(l, 'padding') === 'same' && (kh > sh || kw > sw)) {
          const t = Math.floor(Math.max(kh - sh, 0) / 2);
          const le = Math.floor(Math.max(kw - sw, 0) / 2);
          v = `${v}[:, :, ${t}:${t + inShape[0] * sh}, ${le}:${le + inShape[1] * sw}]`;
        }
        set(torchActivation(opt(l, 'activation'), v, null, 1, parts.helpers));
        outLayout = 'nchw';
        break;
      }
      case 'gaussianSampling':
      case 'klDivergence': {
        const sampling = l.type === 'gaussianSampling';
        parts.helpers.add(sampling ? 'GaussianSampling' : 'KlDivergence');
        if (first) {
          parts.init.push(sampling
            ? `self.${a} = GaussianSampling(sample_at_inference=${pyBool(opt(l, 'sampleAtInference'))})`
            : `self.${a} = KlDivergence(beta=${pyNum(opt<number>(l, 'beta') ?? 1)})`);
        }
        set(`self.${a}(${as(call.inputs[0], 'last')}, ${as(call.inputs[1], 'last')})`);
        break;
      }
      default:
        fail(`${where(l)}: the PyTorch exporter does not know this layer type`);
    }
    if (first && l.variables.length > 0) {
      const modules = l.type === 'bidirectional' ? [`${a}_forward`, `${a}_backward`] : [a];
      if (frozen(l)) {
        // requires_grad False: no gradient and left out of the optimizer, as nnplay's trainer
        // skips the layer. nnplay's frozen batchNormalization still normalizes with the batch's
        // statistics and moves its averages in training (TF.js 4.22's rule), as train() mode does.
        parts.load.push(...modules.map((m) => `model.${m}.requires_grad_(False)  # trainable: false in nnplay`));
      }
      for (const key of regularizerKeys(l)) {
        const p = penaltyOf(l, key);
        // The engine penalizes trainable weights only: a frozen layer's add nothing.
        if (!p || frozen(l)) continue;
        const weightOf: Record<string, string> = { dense: 'weight', conv1d: 'weight', conv2d: 'weight', conv2dTranspose: 'weight', embedding: 'weight' };
        const w = weightOf[l.type];
        if (!(key === 'kernelRegularizer' || key === 'embeddingsRegularizer') || !w) {
          fail(`${where(l)}: ${key} has no PyTorch form in the exporter (torch.nn's recurrent parameters do not hold nnplay's weights one to one); the Keras and TF.js targets carry it`);
        }
        penalties.push({ param: `model.${a}.${w}`, ...p });
      }
    }
    layout.set(out, outLayout);
    rankOf.set(out, call.outputShape.length);
    call.outputs.slice(1).forEach((v, t) => {
      layout.set(v, 'last');
      rankOf.set(v, call.outputShapes[t + 1].length);
    });
  }
  const outs = g.outputs.map((v) => as(v, 'last'));
  const args = g.inputs.map((i) => i.value).join(', ');
  const lines: string[] = [];
  lines.push(...header('#', o.comment, 'PyTorch (tested with torch 1.13)', weightsFile));
  lines.push(
    '#',
    '# Conventions: the module takes channels-last input ([batch, height, width, channels], as',
    '# nnplay and Keras do) and permutes inside, so you feed it the same arrays as nnplay. Weights',
    '# are stored in nnplay\'s (Keras\'s) layouts; load_nnplay_weights() converts them.',
    'import base64',
    'import json',
    'import math',
    'import sys',
    '',
    'import numpy as np',
    'import torch',
    'import torch.nn.functional as F',
    'from torch import nn',
    '',
    '',
  );
  if (parts.helpers.has('gru_gates')) {
    lines.push(
      'def gru_gates(w):',
      '    # Keras GRU gate order z, r, h (last axis) -> PyTorch r, z, n.',
      '    z, r, h = w.chunk(3, dim=-1)',
      '    return torch.cat([r, z, h], dim=-1)',
      '',
      '',
    );
  }
  for (const name of ['hard_sigmoid', 'avg_pool2d_same', 'upsample_bilinear_tfjs', 'keras_dropout', 'KerasRNN', 'GaussianSampling', 'KlDivergence']) if (parts.helpers.has(name)) lines.push(pyHelpers[name], '');
  lines.push(
    'class NnplayModel(nn.Module):',
    '    def __init__(self):',
    '        super().__init__()',
    ...(parts.init.length ? parts.init.map((s) => `        ${s}`) : ['        pass']),
    '',
    `    def forward(self, ${args}):`,
    `        # ${g.inputs.map((i) => `${i.value}: [batch, ${i.shape.join(', ')}]`).join('; ')}`,
    ...parts.forward.map((s) => `        ${s}`),
    `        return ${outs.length === 1 ? outs[0] : `(${outs.join(', ')})`}`,
    '',
    '',
    'def read_nnplay_weights(path):',
    '    """The weights file: {"format": "nnplay-weights", "weights": [{"name", "shape", "data"}]},',
    '    data = base64 of little-endian float32, in nnplay\'s (Keras\'s) layouts."""',
    '    with open(path) as f:',
    '        doc = json.load(f)',
    `    assert doc["format"] == ${pyStr(WEIGHTS_FORMAT)} and doc["version"] == 1, "not an nnplay weights file (version 1)"`,
    '    return {w["name"]: np.frombuffer(base64.b64decode(w["data"]), dtype="<f4").reshape(w["shape"]) for w in doc["weights"]}',
    '',
    '',
    `def load_nnplay_weights(model, path=${pyStr(weightsFile)}):`,
    '    W = {k: torch.from_numpy(v.copy()) for k, v in read_nnplay_weights(path).items()}',
    '    with torch.no_grad():',
    ...(parts.load.length ? parts.load.map((s) => `        ${s}`) : ['        pass']),
    '    return model',
    '',
    '',
  );
  lines.push(...pytorchTraining(g, compiled, o, weightsFile, penalties));
  return lines.join('\n') + '\n';
}

function header(c: string, comment: string[], what: string, weightsFile: string): string[] {
  return [
    `${c} Exported from nnplay (nn.exportCode): the model as ${what}.`,
    `${c} Its weights are in ${weightsFile} beside this file (format "nnplay-weights" v1: JSON,`,
    `${c} base64 little-endian float32 per weight, nnplay's layouts).`,
    ...comment.map((line) => `${c} ${line}`),
  ];
}

function torchOptimizer(opt: OptimizerConfig): { make: string; schedule: string | null } {
  const s = optimizerSettings(opt) as Record<string, number | boolean>;
  const lr = pyNum(lrOf(opt));
  let make: string;
  switch (opt.name) {
    case 'sgd':
      make = `torch.optim.SGD(params, lr=${lr})`;
      break;
    case 'momentum':
      // PyTorch: v = m v + g; w -= lr v (TF.js's momentum optimizer is the same update).
      make = `torch.optim.SGD(params, lr=${lr}, momentum=${pyNum(s.momentum as number)}, nesterov=${pyBool(s.useNesterov)})`;
      break;
    case 'adam':
      make = `torch.optim.Adam(params, lr=${lr}, betas=(${pyNum(s.beta1 as number)}, ${pyNum(s.beta2 as number)}), eps=${pyNum(s.epsilon as number)})`;
      break;
    case 'rmsprop':
      // TF.js adds epsilon inside the square root, PyTorch outside: they differ only near zero.
      make = `torch.optim.RMSprop(params, lr=${lr}, alpha=${pyNum(s.decay as number)}, momentum=${pyNum((s.momentum as number) ?? 0)}, eps=${pyNum(s.epsilon as number)})`;
      break;
    case 'adagrad':
      make = `torch.optim.Adagrad(params, lr=${lr}, initial_accumulator_value=${pyNum((s.initialAccumulatorValue as number) ?? 0.1)})`;
      break;
    default:
      fail(`optimizer '${opt.name}' has no PyTorch form in the exporter`);
  }
  let schedule: string | null = null;
  if (typeof opt.learningRate !== 'number') {
    const sc = opt.learningRate as ScheduleConfig;
    const n = (k: string) => pyNum(Number(sc[k]));
    switch (sc.schedule) {
      case 'exponentialDecay':
        schedule = sc.staircase ? `lambda step: ${n('decayRate')} ** (step // ${n('decaySteps')})` : `lambda step: ${n('decayRate')} ** (step / ${n('decaySteps')})`;
        break;
      case 'cosineDecay':
        schedule = `lambda step: (1 - ${n('alpha')}) * 0.5 * (1 + math.cos(math.pi * min(step, ${n('decaySteps')}) / ${n('decaySteps')})) + ${n('alpha')}`;
        if (sc.alpha === undefined) schedule = schedule.replace(/NaN/g, '0.0');
        break;
      case 'stepDecay':
        schedule = `lambda step: ${sc.gamma === undefined ? '0.1' : n('gamma')} ** (step // ${n('stepSize')})`;
        break;
      default:
        fail(`learning-rate schedule '${String(sc.schedule)}' has no PyTorch form in the exporter`);
    }
  }
  return { make, schedule };
}

// The losses as nnplay (= TF.js) defines them: per element (or per sample where TF.js sums over
// the outputs), then the mean over the batch; ε = 1e-7 where TF.js clips.
function torchLoss(loss: string, delta: number): { fn: string; accuracy: string } {
  const unit = (x: string) => `(${x}) / (${x}).pow(2).sum(-1, keepdim=True).clamp_min(1e-7).sqrt()`;
  switch (loss) {
    case 'meanAbsolutePercentageError':
      return { fn: '100.0 * ((y - p).abs() / y.abs().clamp_min(1e-7)).mean()', accuracy: '' };
    case 'huberLoss':
      return { fn: `F.huber_loss(p, y, delta=${pyNum(delta)})`, accuracy: '' };
    case 'hinge':
      return { fn: '(1 - y * p).clamp_min(0).mean()  # targets -1 / 1', accuracy: '' };
    case 'squaredHinge':
      return { fn: '(1 - y * p).clamp_min(0).pow(2).mean()  # targets -1 / 1', accuracy: '' };
    case 'logCosh':
      return { fn: '((p - y) + F.softplus(-2 * (p - y)) - math.log(2.0)).mean()  # log(cosh(p - y)), as TF.js writes it', accuracy: '' };
    case 'kullbackLeiblerDivergence':
      return { fn: '(y.clamp(1e-7, 1) * torch.log(y.clamp(1e-7, 1) / p.clamp(1e-7, 1))).sum(-1).mean()', accuracy: '' };
    case 'cosineProximity':
      return { fn: `-(${unit('y')} * ${unit('p')}).sum(-1).mean()`, accuracy: '' };
    case 'poisson':
      return { fn: '(p - y * torch.log(p + 1e-7)).mean()', accuracy: '' };
    case 'meanSquaredLogarithmicError':
      return { fn: '(torch.log(1 + p.clamp_min(1e-7)) - torch.log(1 + y.clamp_min(1e-7))).pow(2).mean()', accuracy: '' };
    case 'categoricalHinge':
      return { fn: '(1 + ((1 - y) * p).amax(-1) - (y * p).sum(-1)).clamp_min(0).mean()  # one-hot targets', accuracy: '' };
    case 'meanSquaredError':
      return { fn: 'F.mse_loss(p, y)', accuracy: '' };
    case 'binaryCrossentropy':
      return { fn: 'F.binary_cross_entropy(p.clamp(1e-7, 1 - 1e-7), y)', accuracy: '((p > 0.5).float() == y).float().mean()' };
    case 'categoricalCrossentropy':
      return { fn: '-(y * torch.log(p.clamp(1e-7, 1 - 1e-7))).sum(-1).mean()', accuracy: '(p.argmax(-1) == y.argmax(-1)).float().mean()' };
    case 'sparseCategoricalCrossentropy':
      return {
        fn: 'F.nll_loss(torch.log(p.clamp(1e-7, 1 - 1e-7)).reshape(-1, p.shape[-1]), y.reshape(-1).long())',
        accuracy: '(p.argmax(-1).reshape(-1) == y.reshape(-1).long()).float().mean()',
      };
    case 'meanAbsoluteError':
      return { fn: 'F.l1_loss(p, y)', accuracy: '' };
    default:
      fail(`loss '${loss}' has no PyTorch form in the exporter`);
  }
}

interface TorchPenalty extends Penalty {
  /** The parameter, e.g. 'model.dense_1.weight' (any layout: the sums do not depend on it). */
  param: string;
}

function pytorchTraining(g: Graph, compiled: Compiled | null, o: { epochs: number; batchSize: number }, weightsFile: string, penalties: TorchPenalty[]): string[] {
  const lines: string[] = [];
  const multiIn = g.inputs.length > 1;
  const multiOut = g.outputs.length > 1;
  if (compiled) {
    const { make, schedule } = torchOptimizer(compiled.optimizer);
    const losses = compiled.losses.map((l, i) => torchLoss(l, huberDelta(compiled, i)));
    // klDivergence layers keep their β·KL of the last forward pass (KlDivergence.loss): added here.
    const klTerm = g.calls.some((c) => c.layer.type === 'klDivergence') ? ' + sum(m.loss for m in model.modules() if isinstance(m, KlDivergence))' : '';
    const weights = compiled.lossWeights ?? compiled.losses.map(() => 1);
    const wantAcc = compiled.metrics.some((m) => /acc/i.test(m)) && losses.some((l) => l.accuracy);
    lines.push(
      '# compile(): ' + JSON.stringify({ optimizer: compiled.optimizer, loss: compiled.losses.length === 1 ? compiled.losses[0] : compiled.losses, metrics: compiled.metrics }),
      ...losses.map((l, i) => `def loss_${i}(p, y):\n    return ${l.fn}\n`),
      ...(wantAcc ? losses.map((l, i) => `def accuracy_${i}(p, y):\n    return ${l.accuracy || 'torch.tensor(float("nan"))'}\n`) : []),
      ...(penalties.length
        ? [
          'def regularization(model):',
          `    """The layers' weight regularizers, as nnplay adds them to every batch's loss: l1 * sum|w| + l2 * sum w^2."""`,
          `    return ${penalties.map((p) => [p.l1 > 0 ? `${pyNum(p.l1)} * ${p.param}.abs().sum()` : '', p.l2 > 0 ? `${pyNum(p.l2)} * ${p.param}.pow(2).sum()` : ''].filter(Boolean).join(' + ')).join(' + ')}`,
          '',
        ]
        : []),
      '',
      `def train(model, x, y, epochs=${o.epochs}, batch_size=${o.batchSize}, shuffle=True):`,
      `    """model.fit(x, y, epochs, batch_size, shuffle): x ${multiIn ? 'a list of arrays, one per input' : 'an array'}, y ${multiOut ? 'a list, one per output' : 'an array'}, channels-last."""`,
      `    xs = [torch.as_tensor(np.asarray(v), dtype=torch.float32) for v in ${multiIn ? 'x' : '[x]'}]`,
      `    ys = [torch.as_tensor(np.asarray(v), dtype=torch.float32) for v in ${multiOut ? 'y' : '[y]'}]`,
      '    params = [p for p in model.parameters() if p.requires_grad]  # frozen layers (trainable: false) stay as loaded',
      `    optimizer = ${make}`,
      schedule ? `    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, ${schedule})  # per step, as nnplay's schedules` : '    scheduler = None',
      '    n = xs[0].shape[0]',
      '    for epoch in range(epochs):',
      '        model.train()',
      '        order = torch.randperm(n) if shuffle else torch.arange(n)',
      '        total, seen = 0.0, 0',
      '        for start in range(0, n, batch_size):',
      '            idx = order[start:start + batch_size]',
      '            preds = model(*[v[idx] for v in xs])',
      `            preds = ${multiOut ? 'list(preds)' : '[preds]'}`,
      // The penalty is part of the loss trained and reported, as nnplay's (and TF.js's) fit() loss.
      `            loss = ${weights.map((w, i) => `${pyNum(w)} * loss_${i}(preds[${i}], ys[${i}][idx])`).join(' + ')}${klTerm}${penalties.length ? ' + regularization(model)' : ''}`,
      '            optimizer.zero_grad()',
      '            loss.backward()',
      '            optimizer.step()',
      '            if scheduler is not None:',
      '                scheduler.step()',
      '            total += loss.item() * len(idx)',
      '            seen += len(idx)',
      '        line = f"epoch {epoch + 1}/{epochs} loss {total / seen:.6f}"',
      ...(wantAcc
        ? ['        model.eval()', '        with torch.no_grad():', `            p = model(*xs)`, `            p = ${multiOut ? 'list(p)' : '[p]'}`, '            line += f" acc {accuracy_0(p[0], ys[0]).item():.4f}"']
        : []),
      '        print(line)',
      '    model.eval()',
      '    return model',
      '',
      '',
    );
  } else {
    lines.push('# The model was not compiled in nnplay: no training loop was exported.', '', '');
  }
  lines.push(
    'def predict(model, x):',
    `    """model.predict(x): numpy in, numpy out (channels-last, as nnplay)."""`,
    '    model.eval()',
    '    with torch.no_grad():',
    `        xs = [torch.as_tensor(np.asarray(v), dtype=torch.float32) for v in ${multiIn ? 'x' : '[x]'}]`,
    '        out = model(*xs)',
    `    return ${multiOut ? '[o.numpy() for o in out]' : 'out.numpy()'}`,
    '',
    '',
    'if __name__ == "__main__":',
    '    # python3 this.py [x.npy y.npy]: loads the weights beside this file, trains on x, y if given.',
    '    import os',
    '    here = os.path.dirname(os.path.abspath(__file__))',
    `    model = load_nnplay_weights(NnplayModel(), os.path.join(here, ${pyStr(weightsFile)}))`,
    '    model.eval()',
    '    print(model)',
    ...(compiled && !multiIn && !multiOut
      ? ['    if len(sys.argv) >= 3:', '        train(model, np.load(sys.argv[1]), np.load(sys.argv[2]))', '        torch.save(model.state_dict(), os.path.join(here, "model.pt"))']
      : []),
  );
  return lines;
}

// ---------------------------------------------------------------- Keras and TF.js (one functional-API writer)

// nnplay's two VAE layers have no Keras / TF.js class: the code defines them (same math; each
// framework's own RNG, so the sampled noise differs from nnplay's stream).
const kerasSamplingClass = `class GaussianSampling(layers.Layer):
    """nnplay's gaussianSampling: [mean, log_var] -> mean + exp(log_var / 2) * eps, eps ~ N(0, 1),
    while training (or always with sample_at_inference); mean at inference."""
    def __init__(self, sample_at_inference=False, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.sample_at_inference = sample_at_inference
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)

    def call(self, inputs, training=None):
        mean, log_var = inputs
        if training or self.sample_at_inference:
            eps = keras.random.normal(keras.ops.shape(mean), seed=self.seed_generator)
            return mean + keras.ops.exp(0.5 * log_var) * eps
        return mean

    def get_config(self):
        return {**super().get_config(), "sample_at_inference": self.sample_at_inference, "seed": self.seed}
`;
const kerasKlClass = `class KlDivergence(layers.Layer):
    """nnplay's klDivergence: [mean, log_var] -> mean, adding beta * the batch mean of
    -0.5 * sum(1 + log_var - mean^2 - exp(log_var)) to the model's loss (add_loss)."""
    def __init__(self, beta=1.0, **kwargs):
        super().__init__(**kwargs)
        self.beta = beta

    def call(self, inputs):
        mean, log_var = inputs
        kl = -0.5 * keras.ops.sum(1 + log_var - keras.ops.square(mean) - keras.ops.exp(log_var), axis=-1)
        self.add_loss(self.beta * keras.ops.mean(kl))
        return mean

    def get_config(self):
        return {**super().get_config(), "beta": self.beta}
`;
const kerasBilinearClass = `class TfjsBilinearUpSampling2D(layers.Layer):
    """UpSampling2D(interpolation="bilinear") as nnplay and TF.js 4.22 compute it: output index i
    reads src = i * in / out (resizeBilinear with align_corners and half_pixel_centers false),
    between floor(src) and ceil(src) clamped to the last pixel, along the rows first. Keras's own
    UpSampling2D samples at half-pixel centres (a different picture)."""
    def __init__(self, size=(2, 2), **kwargs):
        super().__init__(**kwargs)
        self.size = tuple(size)

    @staticmethod
    def taps(n_in, n_out):
        src = np.arange(n_out, dtype=np.float64) * (n_in / n_out)
        lo = np.floor(src).astype("int32")
        hi = np.minimum(np.ceil(src).astype("int32"), n_in - 1)
        return lo, hi, (src - lo).astype("float32")

    def call(self, x):
        h, w = x.shape[1], x.shape[2]
        ylo, yhi, fy = self.taps(h, h * self.size[0])
        xlo, xhi, fx = self.taps(w, w * self.size[1])
        left, right = keras.ops.take(x, xlo, axis=2), keras.ops.take(x, xhi, axis=2)
        rows = left + (right - left) * fx[:, None]
        top, bottom = keras.ops.take(rows, ylo, axis=1), keras.ops.take(rows, yhi, axis=1)
        return top + (bottom - top) * fy[:, None, None]

    def compute_output_shape(self, s):
        return (s[0], None if s[1] is None else s[1] * self.size[0], None if s[2] is None else s[2] * self.size[1], s[3])

    def get_config(self):
        return {**super().get_config(), "size": self.size}
`;
const tfjsExponentialClass = `/** nnplay's (and Keras's) 'exponential' activation, exp(x): TF.js 4.22 has no such name. */
export class ExponentialActivation extends tf.layers.Layer {
  static className = 'ExponentialActivation';
  computeOutputShape(inputShape) {
    return inputShape;
  }
  call(inputs) {
    return tf.tidy(() => tf.exp(Array.isArray(inputs) ? inputs[0] : inputs));
  }
}
tf.serialization.registerClass(ExponentialActivation);`;
const tfjsSamplingClass = `/** nnplay's gaussianSampling: [mean, logVar] -> mean + exp(logVar / 2) * eps, eps ~ N(0, 1), while
 *  training (or always with sampleAtInference); mean at inference. Seeded: seed, seed + 1, ... per call. */
export class GaussianSampling extends tf.layers.Layer {
  static className = 'GaussianSampling';
  constructor(config = {}) {
    super(config);
    this.sampleAtInference = !!config.sampleAtInference;
    this.seed = config.seed;
    this.calls = 0;
  }
  computeOutputShape(inputShape) {
    return inputShape[0];
  }
  call(inputs, kwargs = {}) {
    return tf.tidy(() => {
      const [mean, logVar] = inputs;
      if (!kwargs.training && !this.sampleAtInference) return tf.clone(mean);
      const eps = tf.randomNormal(mean.shape, 0, 1, 'float32', this.seed === undefined ? undefined : this.seed + this.calls++);
      return tf.add(mean, tf.mul(tf.exp(tf.mul(logVar, 0.5)), eps));
    });
  }
  getConfig() {
    return {...super.getConfig(), sampleAtInference: this.sampleAtInference, ...(this.seed === undefined ? {} : {seed: this.seed})};
  }
}
tf.serialization.registerClass(GaussianSampling);`;
const tfjsKlClass = `/** nnplay's klDivergence: [mean, logVar] -> mean; klLoss() is beta * the batch mean of
 *  -0.5 * sum(1 + logVar - mean^2 - exp(logVar)) of the last call, added with this layer's addLoss:
 *  fit() sums its layers' losses right after each batch's forward pass (a TF.js 4.22 LayersModel
 *  ignores model.addLoss; its own losses are its layers'). */
export class KlDivergence extends tf.layers.Layer {
  static className = 'KlDivergence';
  constructor(config = {}) {
    super(config);
    this.beta = config.beta ?? 1;
    this.last = null;
    this.addLoss(() => this.klLoss());
  }
  computeOutputShape(inputShape) {
    return inputShape[0];
  }
  call(inputs) {
    this.last = inputs;
    return tf.clone(inputs[0]);
  }
  klLoss() {
    const [mean, logVar] = this.last;
    const perSample = tf.sum(tf.sub(tf.add(1, logVar), tf.add(tf.square(mean), tf.exp(logVar))), -1);
    return tf.mul(-0.5 * this.beta, tf.mean(perSample));
  }
  getConfig() {
    return {...super.getConfig(), beta: this.beta};
  }
}
tf.serialization.registerClass(KlDivergence);`;

interface LayersDialect {
  target: 'keras' | 'tfjs';
  helpers: Map<string, string>;
}

/** The activation option: a name the target has, or a helper; null when it needs its own layer (TF.js). */
function layersActivation(d: LayersDialect, name: string, alpha: unknown, l: InspectedLayer): { option: string; extraLayer?: string } {
  const k = d.target === 'keras';
  const plain: Record<string, [string, string]> = {
    linear: ['linear', 'linear'], relu: ['relu', 'relu'], sigmoid: ['sigmoid', 'sigmoid'], tanh: ['tanh', 'tanh'], softmax: ['softmax', 'softmax'],
    softplus: ['softplus', 'softplus'], softsign: ['softsign', 'softsign'], selu: ['selu', 'selu'], relu6: ['relu6', 'relu6'], swish: ['silu', 'swish'],
    gelu: ['gelu', 'gelu'], mish: ['mish', 'mish'], exponential: ['exponential', ''], hardSigmoid: ['', 'hardSigmoid'],
  };
  if (name === 'elu' && alphaOf(name, alpha) === 1) return { option: k ? pyStr('elu') : jsStr('elu') };
  if (name in plain) {
    const [kn, tn] = plain[name];
    if (k && kn) return { option: pyStr(kn) };
    if (!k && tn) return { option: jsStr(tn) };
    if (k && name === 'hardSigmoid') {
      d.helpers.set('hard_sigmoid', `def hard_sigmoid(x):\n    # nnplay / TF.js / Keras 2: clip(0.2 x + 0.5, 0, 1); Keras 3's "hard_sigmoid" is relu6(x + 3) / 6.\n    return keras.ops.clip(0.2 * x + 0.5, 0.0, 1.0)\n`);
      return { option: 'hard_sigmoid' };
    }
    if (!k && name === 'exponential') {
      // TF.js 4.22 has no 'exponential' activation: a layer class in the script computes exp.
      d.helpers.set('ExponentialActivation', tfjsExponentialClass);
      return { option: jsStr('linear'), extraLayer: 'new ExponentialActivation({})' };
    }
  }
  if (name === 'leakyRelu' || name === 'elu') {
    const a = alphaOf(name, alpha);
    if (k) {
      const fn = `${name === 'elu' ? 'elu' : 'leaky_relu'}_${String(a).replace(/[^0-9]/g, '_')}`;
      d.helpers.set(fn, name === 'elu'
        ? `def ${fn}(x):\n    return keras.activations.elu(x, alpha=${pyNum(a)})\n`
        : `def ${fn}(x):\n    # nnplay's leakyRelu slope (TF.js default 0.3; Keras 3's leaky_relu defaults to 0.2)\n    return keras.activations.leaky_relu(x, negative_slope=${pyNum(a)})\n`);
      return { option: fn };
    }
    return { option: jsStr('linear'), extraLayer: name === 'elu' ? `tf.layers.elu({alpha: ${num(a)}})` : `tf.layers.leakyReLU({alpha: ${num(a)}})` };
  }
  fail(`${where(l)}: activation '${name}' has no ${k ? 'Keras' : 'TF.js'} form in the exporter`);
}

/** A TF.js layer constructor `f({...})` with `name` added to its options. */
function withName(make: string, name: string): string {
  return make.endsWith('({})') ? `${make.slice(0, -2)}name: ${name}})` : make.replace(/\}\)$/, `, name: ${name}})`);
}

function layersCode(g: Graph, compiled: Compiled | null, d: LayersDialect, o: { epochs: number; batchSize: number; comment: string[] }, weightsFile: string): string {
  const k = d.target === 'keras';
  const S = k ? pyStr : jsStr;
  const B = (b: unknown) => (k ? pyBool(b) : String(!!b));
  const N = (v: number) => (k ? pyNum(v) : num(v));
  const list = (xs: (number | string)[]) => (k ? (xs.length === 1 ? `(${xs[0]},)` : `(${xs.join(', ')})`) : `[${xs.join(', ')}]`);
  // Options as `key=value` (Keras) or `key: value` (TF.js).
  const opts = (pairs: [string, string, string][]) => (k ? pairs.map(([kk, , v]) => `${kk}=${v}`).join(', ') : `{${pairs.map(([, tk, v]) => `${tk}: ${v}`).join(', ')}}`);
  const L = k ? 'layers.' : 'tf.layers.';
  const cls = (kc: string, tc: string) => `${L}${k ? kc : tc}`;
  const body: string[] = [];
  const load: string[] = [];
  const layerVar = new Map<string, string>();
  const taken = new Set<string>(g.inputs.map((i) => i.value).concat(g.calls.flatMap((c) => c.outputs)));
  for (const i of g.inputs) {
    body.push(k ? `${i.value} = keras.Input(shape=${list(i.shape)}, name=${S(i.name)})` : `const ${i.value} = tf.input({shape: ${list(i.shape)}, name: ${S(i.name)}});`);
  }
  const assign = (v: string, expr: string) => body.push(k ? `${v} = ${expr}` : `const ${v} = ${expr};`);
  // The layer's regularizers as options: Keras's L1L2 and TF.js's l1l2 add l1·Σ|w| + l2·Σw² to
  // the loss, nnplay's penalty (no ½ on l2). nnplay penalizes trainable weights only, TF.js 4.22
  // every weight with a regularizer: on a frozen layer they are a comment, so that the loss fit()
  // reports is nnplay's (the gradients are the same either way: the layer does not train).
  const regularizerArgs = (l: InspectedLayer): [string, string, string][] => {
    const args = regularizerKeys(l).flatMap((key): [string, string, string][] => {
      const p = penaltyOf(l, key);
      if (!p) return [];
      const snake = key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
      return [[snake, key, k ? `keras.regularizers.L1L2(l1=${pyNum(p.l1)}, l2=${pyNum(p.l2)})` : `tf.regularizers.l1l2({l1: ${num(p.l1)}, l2: ${num(p.l2)}})`]];
    });
    if (!frozen(l) || args.length === 0) return args;
    if (!layerVar.has(l.name)) {
      const c = k ? '#' : '//';
      body.push(`${c} ${l.name} is frozen (trainable: false), and nnplay does not penalize frozen weights: its regularizers, for when it trains again:`, ...args.map(([kk, tk, v]) => `${c}   ${k ? `${kk}=${v}` : `${tk}: ${v}`}`));
    }
    return [];
  };
  const rnnArgs = (l: InspectedLayer): [string, string, string][] => {
    const { type } = recurrentOf(l);
    const act = layersActivation(d, rnnOpt<string>(l, 'activation') ?? 'tanh', null, l);
    if (act.extraLayer) fail(`${where(l)}: activation '${rnnOpt<string>(l, 'activation')}' of a recurrent layer has no TF.js form (it is not an activation name in TF.js)`);
    const p: [string, string, string][] = [
      ['units', 'units', String(rnnOpt<number>(l, 'units'))],
      ['activation', 'activation', act.option],
    ];
    if (type !== 'simpleRNN') {
      const ra = layersActivation(d, rnnOpt<string>(l, 'recurrentActivation') ?? 'hardSigmoid', null, l);
      if (ra.extraLayer) fail(`${where(l)}: recurrentActivation '${rnnOpt<string>(l, 'recurrentActivation')}' has no TF.js form`);
      p.push(['recurrent_activation', 'recurrentActivation', ra.option]);
    }
    p.push(['use_bias', 'useBias', B(rnnOpt<boolean>(l, 'useBias') ?? true)], ...regularizerArgs(l));
    p.push(['return_sequences', 'returnSequences', B(rnnOpt<boolean>(l, 'returnSequences'))]);
    // On a bidirectional layer's wrapped layer: Keras and TF.js give the backward copy the
    // opposite go_backwards and flip its sequence back, as nnplay does (checked against TF.js).
    p.push(['go_backwards', 'goBackwards', B(rnnOpt<boolean>(l, 'goBackwards'))]);
    // Keras and TF.js return [output, h] ([output, h, c] for an LSTM), nnplay's order.
    if (l.type !== 'bidirectional' && rnnOpt<boolean>(l, 'returnState') === true) p.push(['return_state', 'returnState', B(true)]);
    if (type === 'gru') {
      const ra = rnnOpt<boolean>(l, 'resetAfter') === true;
      if (!k && ra) fail(`${where(l)}: resetAfter: true has no TF.js form (TF.js 4.22's GRU throws "GRUCell does not support reset_after parameter set to true")`);
      if (k) p.push(['reset_after', 'resetAfter', B(ra)]);
    }
    if (type === 'lstm') p.push(['unit_forget_bias', 'unitForgetBias', B(rnnOpt<boolean>(l, 'unitForgetBias') ?? true)]);
    // The same masks as nnplay's: one per sequence, shared by the gates (TF.js and Keras 3).
    for (const [kk, tk] of [['dropout', 'dropout'], ['recurrent_dropout', 'recurrentDropout']]) {
      const rate = rnnOpt<number>(l, tk) ?? 0;
      if (rate > 0) p.push([kk, tk, String(rate)]);
    }
    return p;
  };
  for (const call of g.calls) {
    const l = call.layer;
    const nameOpt: [string, string, string] = ['name', 'name', S(l.name)];
    let make: string | null = null;
    let extra: string | undefined;
    // TF.js 4.22's batchNormalization runs on ranks up to 4 with the batch: a higher rank is
    // reshaped to [cells, channels] around it (the same per-channel statistics).
    let cellsAround: number[] | undefined;
    const inShape = inputShapeOfCall(g, call);
    switch (l.type) {
      case 'dense':
      case 'conv2d':
      case 'conv2dTranspose':
      case 'conv1d': {
        const act = layersActivation(d, opt(l, 'activation'), null, l);
        extra = act.extraLayer;
        const p: [string, string, string][] = [];
        if (l.type === 'dense') p.push(['units', 'units', String(opt<number>(l, 'units'))]);
        else {
          const two = l.type !== 'conv1d';
          const ks = two ? pairOf(opt(l, 'kernelSize'), [1, 1]) : [singleOf(opt(l, 'kernelSize'), 1)];
          const st = two ? pairOf(opt(l, 'strides'), [1, 1]) : [singleOf(opt(l, 'strides'), 1)];
          p.push(['filters', 'filters', String(opt<number>(l, 'filters'))], ['kernel_size', 'kernelSize', list(ks)], ['strides', 'strides', list(st)], ['padding', 'padding', S(opt<string>(l, 'padding'))]);
        }
        p.push(['activation', 'activation', act.option], ['use_bias', 'useBias', B(opt(l, 'useBias'))], ...regularizerArgs(l), nameOpt);
        make = `${cls({ dense: 'Dense', conv2d: 'Conv2D', conv2dTranspose: 'Conv2DTranspose', conv1d: 'Conv1D' }[l.type]!, { dense: 'dense', conv2d: 'conv2d', conv2dTranspose: 'conv2dTranspose', conv1d: 'conv1d' }[l.type]!)}(${opts(p)})`;
        break;
      }
      case 'upSampling2d': {
        const interpolation = opt<string>(l, 'interpolation') ?? 'nearest';
        // Keras (tf.image.resize / keras.ops.image.resize) interpolates at half-pixel centres, TF.js
        // 4.22 (and nnplay) at i · in / out: Keras gets the rule written out as a layer.
        if (k && interpolation === 'bilinear') {
          d.helpers.set('TfjsBilinearUpSampling2D', kerasBilinearClass);
          make = `TfjsBilinearUpSampling2D(size=${list(pairOf(opt(l, 'size'), [2, 2]))}, name=${S(l.name)})`;
          break;
        }
        make = `${cls('UpSampling2D', 'upSampling2d')}(${opts([['size', 'size', list(pairOf(opt(l, 'size'), [2, 2]))], ['interpolation', 'interpolation', S(interpolation)], nameOpt])})`;
        break;
      }
      case 'gaussianSampling': {
        d.helpers.set('GaussianSampling', k ? kerasSamplingClass : tfjsSamplingClass);
        const seed = cfg(l).seed;
        const p: [string, string, string][] = [['sample_at_inference', 'sampleAtInference', B(opt(l, 'sampleAtInference'))]];
        if (typeof seed === 'number') p.push(['seed', 'seed', String(seed)]);
        p.push(nameOpt);
        make = k ? `GaussianSampling(${opts(p)})` : `new GaussianSampling(${opts(p)})`;
        break;
      }
      case 'klDivergence':
        d.helpers.set('KlDivergence', k ? kerasKlClass : tfjsKlClass);
        make = k ? `KlDivergence(${opts([['beta', 'beta', N(opt<number>(l, 'beta') ?? 1)], nameOpt])})` : `new KlDivergence(${opts([['beta', 'beta', N(opt<number>(l, 'beta') ?? 1)], nameOpt])})`;
        break;
      case 'maxPooling2d':
      case 'averagePooling2d': {
        const ps = pairOf(opt(l, 'poolSize'), [2, 2]);
        const st = pairOf(opt(l, 'strides') ?? ps, ps);
        const p: [string, string, string][] = [['pool_size', 'poolSize', list(ps)], ['strides', 'strides', list(st)], ['padding', 'padding', S(opt<string>(l, 'padding'))], nameOpt];
        make = l.type === 'maxPooling2d' ? `${cls('MaxPooling2D', 'maxPooling2d')}(${opts(p)})` : `${cls('AveragePooling2D', 'averagePooling2d')}(${opts(p)})`;
        break;
      }
      case 'repeatVector':
        make = `${cls('RepeatVector', 'repeatVector')}(${opts([['n', 'n', String(opt<number>(l, 'n'))], nameOpt])})`;
        break;
      case 'maxPooling1d':
      case 'averagePooling1d': {
        const k = opt<number>(l, 'poolSize') ?? 2;
        const p: [string, string, string][] = [['pool_size', 'poolSize', String(k)], ['strides', 'strides', String(opt<number>(l, 'strides') ?? k)], ['padding', 'padding', S(opt<string>(l, 'padding'))], nameOpt];
        make = l.type === 'maxPooling1d' ? `${cls('MaxPooling1D', 'maxPooling1d')}(${opts(p)})` : `${cls('AveragePooling1D', 'averagePooling1d')}(${opts(p)})`;
        break;
      }
      case 'globalAveragePooling2d':
        make = `${cls('GlobalAveragePooling2D', 'globalAveragePooling2d')}(${opts([nameOpt])})`;
        break;
      case 'globalAveragePooling1d':
        make = `${cls('GlobalAveragePooling1D', 'globalAveragePooling1d')}(${opts([nameOpt])})`;
        break;
      case 'globalMaxPooling2d':
        make = `${cls('GlobalMaxPooling2D', 'globalMaxPooling2d')}(${opts([nameOpt])})`;
        break;
      case 'globalMaxPooling1d':
        make = `${cls('GlobalMaxPooling1D', 'globalMaxPooling1d')}(${opts([nameOpt])})`;
        break;
      case 'flatten':
        make = `${cls('Flatten', 'flatten')}(${opts([nameOpt])})`;
        break;
      case 'reshape':
        make = `${cls('Reshape', 'reshape')}(${opts([['target_shape', 'targetShape', list(call.outputShape)], nameOpt])})`;
        break;
      case 'activation': {
        const act = layersActivation(d, opt(l, 'activation'), cfg(l).alpha, l);
        make = act.extraLayer ? withName(act.extraLayer, S(l.name)) : `${cls('Activation', 'activation')}(${opts([['activation', 'activation', act.option], nameOpt])})`;
        break;
      }
      case 'dropout': {
        const p: [string, string, string][] = [['rate', 'rate', N(opt<number>(l, 'rate'))]];
        const noise = cfg(l).noiseShape as (number | null)[] | null | undefined;
        if (noise && noise.length) p.push(['noise_shape', 'noiseShape', k ? `(${noise.map((v) => (v === null || v === -1 ? 'None' : v)).join(', ')}${noise.length === 1 ? ',' : ''})` : `[${noise.map((v) => (v === -1 ? 'null' : String(v))).join(', ')}]`]);
        if (typeof cfg(l).seed === 'number') p.push(['seed', 'seed', String(cfg(l).seed)]);
        p.push(nameOpt);
        make = `${cls('Dropout', 'dropout')}(${opts(p)})`;
        break;
      }
      case 'permute': {
        const dims = opt<number[]>(l, 'dims') ?? [];
        make = `${cls('Permute', 'permute')}(${opts([['dims', 'dims', k ? `(${dims.join(', ')}${dims.length === 1 ? ',' : ''})` : `[${dims.join(', ')}]`], nameOpt])})`;
        break;
      }
      case 'zeroPadding2d':
      case 'cropping2D': {
        const key = l.type === 'zeroPadding2d' ? 'padding' : 'cropping';
        const m = opt<number[]>(l, key) ?? [1, 1, 1, 1];
        const value = k ? `((${m[0]}, ${m[1]}), (${m[2]}, ${m[3]}))` : `[[${m[0]}, ${m[1]}], [${m[2]}, ${m[3]}]]`;
        make = `${cls(l.type === 'zeroPadding2d' ? 'ZeroPadding2D' : 'Cropping2D', l.type)}(${opts([[key, key, value], nameOpt])})`;
        break;
      }
      case 'gaussianNoise':
        make = `${cls('GaussianNoise', 'gaussianNoise')}(${opts([['stddev', 'stddev', N(opt<number>(l, 'stddev'))], nameOpt])})`;
        break;
      case 'gaussianDropout':
        make = `${cls('GaussianDropout', 'gaussianDropout')}(${opts([['rate', 'rate', N(opt<number>(l, 'rate'))], nameOpt])})`;
        break;
      case 'layerNormalization': {
        const p: [string, string, string][] = [
          ['axis', 'axis', '-1'],
          ['epsilon', 'epsilon', N(opt<number>(l, 'epsilon'))],
          ['center', 'center', B(opt<boolean>(l, 'center') !== false)],
          ['scale', 'scale', B(opt<boolean>(l, 'scale') !== false)],
          nameOpt,
        ];
        make = `${cls('LayerNormalization', 'layerNormalization')}(${opts(p)})`;
        break;
      }
      case 'batchNormalization': {
        const p: [string, string, string][] = [
          ['axis', 'axis', '-1'],
          ['momentum', 'momentum', N(opt<number>(l, 'momentum'))],
          ['epsilon', 'epsilon', N(opt<number>(l, 'epsilon'))],
          ['center', 'center', B(opt<boolean>(l, 'center') !== false)],
          ['scale', 'scale', B(opt<boolean>(l, 'scale') !== false)],
          nameOpt,
        ];
        make = `${cls('BatchNormalization', 'batchNormalization')}(${opts(p)})`;
        if (!k && inShape.length > 3) cellsAround = inShape;
        break;
      }
      case 'concatenate':
        make = `${cls('Concatenate', 'concatenate')}(${opts([['axis', 'axis', String(opt<number>(l, 'axis') ?? -1)], nameOpt])})`;
        break;
      case 'add':
      case 'multiply':
      case 'average':
      case 'maximum':
      case 'minimum':
        make = `${cls(l.type[0].toUpperCase() + l.type.slice(1), l.type)}(${opts([nameOpt])})`;
        break;
      case 'embedding':
        make = `${cls('Embedding', 'embedding')}(${opts([['input_dim', 'inputDim', String(opt<number>(l, 'inputDim'))], ['output_dim', 'outputDim', String(opt<number>(l, 'outputDim'))], ...regularizerArgs(l), nameOpt])})`;
        break;
      case 'simpleRNN':
      case 'lstm':
      case 'gru':
        make = `${cls({ simpleRNN: 'SimpleRNN', lstm: 'LSTM', gru: 'GRU' }[l.type], { simpleRNN: 'simpleRNN', lstm: 'lstm', gru: 'gru' }[l.type])}(${opts([...rnnArgs(l), nameOpt])})`;
        break;
      case 'bidirectional': {
        const { type } = recurrentOf(l);
        const inner = `${cls({ simpleRNN: 'SimpleRNN', lstm: 'LSTM', gru: 'GRU' }[type], { simpleRNN: 'simpleRNN', lstm: 'lstm', gru: 'gru' }[type])}(${opts(rnnArgs(l))})`;
        make = `${cls('Bidirectional', 'bidirectional')}(${opts([['layer', 'layer', inner], ['merge_mode', 'mergeMode', S(opt<string>(l, 'mergeMode') ?? 'concat')], nameOpt])})`;
        break;
      }
      default:
        fail(`${where(l)}: the ${k ? 'Keras' : 'TF.js'} exporter does not know this layer type`);
    }
    void inShape;
    if (frozen(l) && l.variables.length > 0) {
      // trainable: false in nnplay: the optimizer (and the penalty) skip the layer's weights.
      // Keras 3 also runs a frozen BatchNormalization with its moving statistics in training;
      // nnplay (and TF.js 4.22) keep normalizing with the batch's and moving the averages.
      make = k ? make!.replace(/\)$/, ', trainable=False)') : make!.replace(/\}\)$/, ', trainable: false})');
      if (k && l.type === 'batchNormalization' && !layerVar.has(l.name)) {
        body.push("# Keras 3 normalizes a frozen BatchNormalization with its moving statistics in training;", "# nnplay (and TF.js) with the batch's, moving the averages: fit() differs here.");
      }
    }
    if (!layerVar.has(l.name)) {
      const v = identifier(`${l.name}_layer`, taken);
      layerVar.set(l.name, v);
      assign(v, make);
      if (l.variables.length > 0) {
        const names = localWeights(l);
        // Keras and TF.js take a layer's weights in its own order; the engine's order is the same
        // (kernel, recurrent kernel, bias; gamma, beta, moving mean, moving variance; forward then backward).
        load.push(k
          ? `model.get_layer(${S(l.name)}).set_weights([${names.map((n) => `W[${S(`${l.name}/${n}`)}]`).join(', ')}])`
          : `model.getLayer(${S(l.name)}).setWeights([${names.map((n) => `W[${S(`${l.name}/${n}`)}]`).join(', ')}]);`);
      }
    }
    const ins = call.inputs.length === 1 ? call.inputs[0] : `[${call.inputs.join(', ')}]`;
    if (cellsAround) {
      const suffix = call.index ? `_${call.index}` : '';
      const channels = cellsAround[cellsAround.length - 1];
      const cells = cellsAround.reduce((a, b) => a * b, 1) / channels;
      assign(`${call.output}_cells`, `tf.layers.reshape({targetShape: [${cells}, ${channels}], name: ${S(`${l.name}_cells${suffix}`)}}).apply(${ins})`);
      assign(`${call.output}_normalized`, `${layerVar.get(l.name)}.apply(${call.output}_cells)`);
      assign(call.output, `tf.layers.reshape({targetShape: [${cellsAround.join(', ')}], name: ${S(`${l.name}_back${suffix}`)}}).apply(${call.output}_normalized)`);
    } else if (extra) {
      assign(`${call.output}_linear`, k ? `${layerVar.get(l.name)}(${ins})` : `${layerVar.get(l.name)}.apply(${ins})`);
      assign(call.output, `${withName(extra, S(`${l.name}_activation${call.index ? `_${call.index}` : ''}`))}.apply(${call.output}_linear)`);
    } else {
      const target = call.outputs.length === 1 ? call.output : k ? call.outputs.join(', ') : `[${call.outputs.join(', ')}]`;
      assign(target, k ? `${layerVar.get(l.name)}(${ins})` : `${layerVar.get(l.name)}.apply(${ins})`);
    }
  }
  const ins = g.inputs.map((i) => i.value);
  const outs = g.outputs;
  const lines: string[] = [];
  if (k) {
    // The compile line may need a schedule class, defined before build_model().
    const scheduleHelpers: string[] = [];
    const compileLine = compiled ? kerasCompile(compiled, scheduleHelpers) : null;
    lines.push(...header('#', o.comment, 'a Keras (Python) script (Keras 3, `import keras`)', weightsFile));
    lines.push(
      'import base64',
      'import json',
      'import os',
      'import sys',
      '',
      'import numpy as np',
      'import keras',
      'from keras import layers',
      '',
      '',
      ...[...d.helpers.values()].flatMap((h) => [h, '']),
      ...scheduleHelpers,
      'def build_model():',
      ...body.map((s) => `    ${s}`),
      `    model = keras.Model(inputs=${ins.length === 1 ? ins[0] : `[${ins.join(', ')}]`}, outputs=${outs.length === 1 ? outs[0] : `[${outs.join(', ')}]`})`,
      ...(compileLine ? [`    model.compile(${compileLine})`] : ['    # not compiled in nnplay']),
      '    return model',
      '',
      '',
      'def read_nnplay_weights(path):',
      '    """{"format": "nnplay-weights", "weights": [{"name", "shape", "data"}]}: data = base64 of little-endian float32 (Keras layouts)."""',
      '    with open(path) as f:',
      '        doc = json.load(f)',
      `    assert doc["format"] == ${pyStr(WEIGHTS_FORMAT)} and doc["version"] == 1, "not an nnplay weights file (version 1)"`,
      '    return {w["name"]: np.frombuffer(base64.b64decode(w["data"]), dtype="<f4").reshape(w["shape"]) for w in doc["weights"]}',
      '',
      '',
      `def load_nnplay_weights(model, path=${pyStr(weightsFile)}):`,
      '    W = read_nnplay_weights(path)',
      ...(load.length ? load.map((s) => `    ${s}`) : ['    pass']),
      '    return model',
      '',
      '',
      'if __name__ == "__main__":',
      '    # python3 this.py [x.npy y.npy]: builds the model, loads the weights beside this file, fits x, y if given.',
      '    here = os.path.dirname(os.path.abspath(__file__))',
      `    model = load_nnplay_weights(build_model(), os.path.join(here, ${pyStr(weightsFile)}))`,
      '    model.summary()',
      ...(compiled ? ['    if len(sys.argv) >= 3:', `        model.fit(np.load(sys.argv[1]), np.load(sys.argv[2]), epochs=${o.epochs}, batch_size=${o.batchSize}, shuffle=True)`] : []),
      '',
    );
  } else {
    lines.push(...header('//', o.comment, 'a TensorFlow.js script (ES module, @tensorflow/tfjs 4.22)', weightsFile));
    lines.push(
      "import * as tf from '@tensorflow/tfjs';",
      '',
      ...[...d.helpers.values()].flatMap((h) => [h, '']),
      '/** The model, built with the functional API (tf.model); compiled as it was in nnplay. */',
      'export function createModel() {',
      ...body.map((s) => `  ${s}`),
      `  const model = tf.model({inputs: [${ins.join(', ')}], outputs: ${outs.length === 1 ? outs[0] : `[${outs.join(', ')}]`}});`,

      ...(compiled ? [`  model.compile(${tfjsCompile(compiled)});`] : ['  // not compiled in nnplay']),
      '  return model;',
      '}',
      '',
      '/** Base64 of little-endian float32 -> Float32Array (the weights file\'s "data"). */',
      'function decodeFloat32(data) {',
      '  const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));',
      '  return new Float32Array(bytes.buffer);',
      '}',
      '',
      `/** Sets the weights from the parsed ${weightsFile} ({format: 'nnplay-weights', weights: [{name, shape, data}]}). */`,
      'export function loadNnplayWeights(model, doc) {',
      `  if (doc.format !== '${WEIGHTS_FORMAT}' || doc.version !== 1) throw new Error('not an nnplay weights file (version 1)');`,
      '  const W = {};',
      '  for (const w of doc.weights) W[w.name] = tf.tensor(decodeFloat32(w.data), w.shape);',
      ...load.map((s) => `  ${s}`),
      '  for (const t of Object.values(W)) t.dispose();',
      '  return model;',
      '}',
      '',
      `/** model.fit with the settings exported from nnplay. */`,
      `export function train(model, xs, ys, {epochs = ${o.epochs}, batchSize = ${o.batchSize}, shuffle = true} = {}) {`,
      '  return model.fit(xs, ys, {epochs, batchSize, shuffle});',
      '}',
      '',
      '// In Node: node this.mjs   (reads the weights file beside this script and prints the summary)',
      "if (typeof process !== 'undefined' && process.argv?.[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {",
      "  const { readFileSync } = await import('node:fs');",
      `  const doc = JSON.parse(readFileSync(new URL(${jsStr(weightsFile)}, import.meta.url), 'utf8'));`,
      '  const model = loadNnplayWeights(createModel(), doc);',
      '  model.summary();',
      '}',
      '',
    );
  }
  return lines.join('\n');
}

function kerasOptimizer(opt: OptimizerConfig, helpers: string[]): string {
  const s = optimizerSettings(opt) as Record<string, number | boolean>;
  let lr = pyNum(lrOf(opt));
  if (typeof opt.learningRate !== 'number') {
    const sc = opt.learningRate as ScheduleConfig;
    const n = (key: string, fb: number) => pyNum(sc[key] === undefined ? fb : Number(sc[key]));
    if (sc.schedule === 'exponentialDecay') lr = `keras.optimizers.schedules.ExponentialDecay(${n('initialLearningRate', 0)}, ${n('decaySteps', 1)}, ${n('decayRate', 1)}, staircase=${pyBool(sc.staircase)})`;
    else if (sc.schedule === 'cosineDecay') lr = `keras.optimizers.schedules.CosineDecay(${n('initialLearningRate', 0)}, ${n('decaySteps', 1)}, alpha=${n('alpha', 0)})`;
    else if (sc.schedule === 'stepDecay') {
      helpers.push(
        'class StepDecay(keras.optimizers.schedules.LearningRateSchedule):',
        '    # nnplay stepDecay (PyTorch StepLR): lr * gamma ** floor(step / step_size)',
        '    def __init__(self, lr, step_size, gamma):',
        '        self.lr, self.step_size, self.gamma = lr, step_size, gamma',
        '',
        '    def __call__(self, step):',
        '        return self.lr * self.gamma ** keras.ops.floor(keras.ops.cast(step, "float32") / self.step_size)',
        '',
        '',
      );
      lr = `StepDecay(${n('initialLearningRate', 0)}, ${n('stepSize', 1)}, ${n('gamma', 0.1)})`;
    } else fail(`learning-rate schedule '${String(sc.schedule)}' has no Keras form in the exporter`);
  }
  switch (opt.name) {
    case 'sgd':
      return `keras.optimizers.SGD(learning_rate=${lr})`;
    case 'momentum':
      return `keras.optimizers.SGD(learning_rate=${lr}, momentum=${pyNum(s.momentum as number)}, nesterov=${pyBool(s.useNesterov)})`;
    case 'adam':
      return `keras.optimizers.Adam(learning_rate=${lr}, beta_1=${pyNum(s.beta1 as number)}, beta_2=${pyNum(s.beta2 as number)}, epsilon=${pyNum(s.epsilon as number)})`;
    case 'rmsprop':
      return `keras.optimizers.RMSprop(learning_rate=${lr}, rho=${pyNum(s.decay as number)}, momentum=${pyNum((s.momentum as number) ?? 0)}, epsilon=${pyNum(s.epsilon as number)})`;
    case 'adagrad':
      return `keras.optimizers.Adagrad(learning_rate=${lr}, initial_accumulator_value=${pyNum((s.initialAccumulatorValue as number) ?? 0.1)})`;
    default:
      fail(`optimizer '${opt.name}' has no Keras form in the exporter`);
  }
}

const kerasLossNames: Record<string, string> = {
  meanSquaredError: 'mean_squared_error',
  binaryCrossentropy: 'binary_crossentropy',
  categoricalCrossentropy: 'categorical_crossentropy',
  sparseCategoricalCrossentropy: 'sparse_categorical_crossentropy',
  meanAbsoluteError: 'mean_absolute_error',
  meanAbsolutePercentageError: 'mean_absolute_percentage_error',
  hinge: 'hinge', // Keras maps 0/1 targets to -1/1 first; nnplay takes -1/1 as given
  squaredHinge: 'squared_hinge',
  logCosh: 'log_cosh',
  kullbackLeiblerDivergence: 'kl_divergence',
  cosineProximity: 'cosine_similarity', // Keras's loss: −cosine similarity, as nnplay's
  poisson: 'poisson',
  meanSquaredLogarithmicError: 'mean_squared_logarithmic_error',
  categoricalHinge: 'categorical_hinge',
};
const kerasMetricNames: Record<string, string> = { accuracy: 'accuracy', binaryAccuracy: 'binary_accuracy', categoricalAccuracy: 'categorical_accuracy', mse: 'mse', mae: 'mae' };

function kerasCompile(c: Compiled, helpers: string[]): string {
  const loss = c.losses.map((l, i) => {
    if (l === 'huberLoss') return `keras.losses.Huber(delta=${pyNum(huberDelta(c, i))})`;
    if (!(l in kerasLossNames)) fail(`loss '${l}' has no Keras form in the exporter`);
    return pyStr(kerasLossNames[l]);
  });
  // TF.js's 'cosine' is −cos(y, p): Keras's loss function of that name gives the same figure as a metric.
  const metrics = c.metrics.map((m) => (m === 'cosine' ? 'keras.losses.cosine_similarity' : pyStr(kerasMetricNames[m] ?? m)));
  return [
    `optimizer=${kerasOptimizer(c.optimizer, helpers)}`,
    `loss=${loss.length === 1 ? loss[0] : `[${loss.join(', ')}]`}`,
    ...(c.lossWeights ? [`loss_weights=[${c.lossWeights.map(pyNum).join(', ')}]`] : []),
    `metrics=[${metrics.join(', ')}]`,
  ].join(', ');
}

function tfjsCompile(c: Compiled): string {
  const o = optimizerSettings(c.optimizer) as Record<string, number | boolean>;
  if (typeof c.optimizer.learningRate !== 'number') {
    fail(`the learning-rate schedule '${(c.optimizer.learningRate as ScheduleConfig).schedule}' has no TF.js form (TF.js optimizers take a constant rate)`);
  }
  const lr = num(lrOf(c.optimizer));
  let optimizer: string;
  switch (c.optimizer.name) {
    case 'sgd':
      optimizer = `tf.train.sgd(${lr})`;
      break;
    case 'momentum':
      optimizer = `tf.train.momentum(${lr}, ${num(o.momentum as number)}, ${!!o.useNesterov})`;
      break;
    case 'adam':
      optimizer = `tf.train.adam(${lr}, ${num(o.beta1 as number)}, ${num(o.beta2 as number)}, ${num(o.epsilon as number)})`;
      break;
    case 'rmsprop':
      optimizer = `tf.train.rmsprop(${lr}, ${num(o.decay as number)}, ${num((o.momentum as number) ?? 0)}, ${num(o.epsilon as number)})`;
      break;
    case 'adagrad':
      optimizer = `tf.train.adagrad(${lr}, ${num((o.initialAccumulatorValue as number) ?? 0.1)})`;
      break;
    default:
      fail(`optimizer '${c.optimizer.name}' has no TF.js form in the exporter`);
  }
  // TF.js's lossesMap spells logCosh 'logcosh' and has no huber entry (tf.losses.huberLoss is a function).
  const loss = c.losses.map((l, i) =>
    l === 'logCosh' ? jsStr('logcosh') : l === 'huberLoss' ? `(y, p) => tf.losses.huberLoss(y, p, undefined, ${num(huberDelta(c, i))})` : jsStr(l));
  return `{optimizer: ${optimizer}, loss: ${loss.length === 1 ? loss[0] : `[${loss.join(', ')}]`}, ${c.lossWeights ? `lossWeights: [${c.lossWeights.map(num).join(', ')}], ` : ''}metrics: [${c.metrics.map(jsStr).join(', ')}]}`;
}

// ---------------------------------------------------------------- the entry point

/** The weights file (format 'nnplay-weights', version 1) of named float32 weights. */
export function nnplayWeightsFile(weights: { name: string; shape: number[]; values: Float32Array }[]): string {
  return JSON.stringify({
    format: WEIGHTS_FORMAT,
    version: 1,
    dtype: 'float32',
    byteOrder: 'little',
    weights: weights.map((w) => ({ name: w.name, shape: w.shape, data: encodeFloat32(w.values) })),
  });
}

function positiveInteger(v: unknown, what: string, fallback: number): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 1e9) fail(`options.${what} must be an integer in [1, 1e9], got ${JSON.stringify(v)}`);
  return v;
}

/**
 * The model as source code of another framework plus its weights (to write beside it):
 * 'keras' (a Python script, Keras 3), 'pytorch' (an nn.Module, its weight loader and a training
 * loop) or 'tfjs' (an ES module for @tensorflow/tfjs). Throws an Error naming the layer and
 * option for anything the target cannot express. See docs/API.md, "Exporting code".
 */
export async function exportCode(model: LayersModel, target: CodeTarget, options: ExportCodeOptions = {}): Promise<ExportedCode> {
  if (!isReady()) await engineLoaded();
  return exportCodeNow(model, target, options);
}

/** exportCode() for a model whose engine is loaded (synchronous). */
export function exportCodeNow(model: LayersModel, target: CodeTarget, options: ExportCodeOptions = {}): ExportedCode {
  if (!(codeTargets as readonly string[]).includes(target)) fail(`unknown target ${JSON.stringify(target)}; allowed: ${codeTargets.map((t) => `'${t}'`).join(', ')}`);
  if (options === null || typeof options !== 'object') fail(`options must be an object like {epochs: 10, batchSize: 32}, got ${String(options)}`);
  for (const key of Object.keys(options)) {
    if (!['epochs', 'batchSize', 'fileBase', 'comment'].includes(key)) fail(`unknown option '${key}'; allowed: epochs, batchSize, fileBase, comment`);
  }
  const epochs = positiveInteger(options.epochs, 'epochs', 10);
  const batchSize = positiveInteger(options.batchSize, 'batchSize', 32);
  const fileBase = options.fileBase ?? 'model';
  if (typeof fileBase !== 'string' || !/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}$/.test(fileBase)) fail(`options.fileBase must be a plain file name (letters, digits, _ . -), got ${JSON.stringify(fileBase)}`);
  const comment = options.comment ?? [];
  if (!Array.isArray(comment) || !comment.every((c) => typeof c === 'string')) fail('options.comment must be an array of strings');
  const tensors = model.getWeights();
  const inspection = model.inspection;
  const all = inspection.layers.flatMap((l) => l.variables);
  const order = all.map((_, i) => i);
  const kerasOrder = [...order.filter((i) => all[i].trainable), ...order.filter((i) => !all[i].trainable)];
  const weightList = kerasOrder.map((engineIndex, k) => ({ name: all[engineIndex].name, shape: tensors[k].shape.slice(), values: tensors[k].values() }));
  for (const t of tensors) t.dispose();
  // Engine order (layer by layer) in the file, as the loaders read them by name anyway.
  weightList.sort((a, b) => all.findIndex((v) => v.name === a.name) - all.findIndex((v) => v.name === b.name));
  const g = graphOf(inspection, weightList);
  const c = model.compiledWith;
  const compiled: Compiled | null = c && {
    optimizer: c.optimizer, losses: c.losses, metrics: c.metrics,
    ...(c.lossWeights ? { lossWeights: c.lossWeights } : {}),
    ...(c.lossParameters ? { lossParameters: c.lossParameters } : {}),
  };
  const weightsFileName = `${fileBase}.weights.json`;
  let code: string;
  if (target === 'pytorch') {
    code = pytorchCode(g, compiled, { epochs, batchSize, fileBase, comment }, weightsFileName);
  } else {
    code = layersCode(g, compiled, { target, helpers: new Map() }, { epochs, batchSize, comment }, weightsFileName);
  }
  return {
    target,
    language: target === 'tfjs' ? 'javascript' : 'python',
    codeFileName: `${fileBase}.${target === 'tfjs' ? 'mjs' : 'py'}`,
    code,
    weightsFileName,
    weights: nnplayWeightsFile(weightList),
  };
}
